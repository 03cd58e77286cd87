import { useState } from 'react';
import { api } from '../api/client';
import type { Person } from '../auth';
import { useI18n, type Said } from '../i18n';
import type { Key } from '../i18n-tables';
import { answerWords } from '../logic';
import { CommandForm, Field, Loading, ProblemBox, useCommand, useLoad } from '../ui';
import { fetchFile, save } from './Downloads';

/** An entry of GET /organizations/{org}/delegation-decisions. */
interface RegisterEntry {
  ref: string;
  date: string;
  item: string;
  version: number;
  function: string;
  via: 'delegate' | 'further' | 'substitute';
  gate: string;
  decision: string;
  firstOfTwo: boolean;
  tenderId: string;
  title: string;
  valueSek: number;
  decidedBy: { sub: string; name: string };
  asSubstituteFor: { sub: string; name: string } | null;
  reportToBoard: boolean;
  reported: { meeting: string; at: string } | null;
  evidence: { index: number; hash: string };
}

const swedishToday = () =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());

/** Who may report decisions to the board (POST …/delegation-decisions/reported). */
export const mayReport = (p: Person) => p.roles.includes('admin') || p.roles.includes('policy_admin');
/** Who may read the register. */
export const mayReadRegister = (p: Person) => mayReport(p) || p.roles.includes('approver');

/**
 * The register of delegation decisions (issue 29): a period's decisions taken under the delegation
 * order, each with its item, decider and the person a substitute stood in for, whether it is
 * reported to the board; its CSV and Swedish PDF; and, for the policy administrator, reporting the
 * period's decisions to a meeting of the board.
 */
export function DelegationRegister({ person }: { person: Person }) {
  const { t, sek, term } = useI18n();
  const org = person.org;
  const today = swedishToday();
  const [period, setPeriod] = useState({ from: `${today.slice(0, 8)}01`, to: today });
  const [asked, setAsked] = useState(period);
  const [n, setN] = useState(0);
  const loaded = useLoad(async () => {
    const res = await api.GET('/organizations/{org}/delegation-decisions', {
      params: { path: { org }, query: { from: asked.from, to: asked.to } },
    });
    return res.error
      ? { error: res.error }
      : { data: res.data as unknown as { items: RegisterEntry[]; truncated: boolean } };
  }, [org, asked.from, asked.to, n]);
  const href = (format: 'csv' | 'pdf') =>
    `/organizations/${org}/delegation-decisions?from=${asked.from}&to=${asked.to}&format=${format}`;

  return (
    <>
      <h1>{t('register.title', { org })}</h1>
      <p>{t('register.intro')}</p>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(period);
        }}
      >
        <Field id="register-from" label={t('register.from')}>
          {(p) => (
            <input
              {...p}
              type="date"
              value={period.from}
              onChange={(e) => setPeriod((x) => ({ ...x, from: e.target.value }))}
            />
          )}
        </Field>
        <Field id="register-to" label={t('register.to')}>
          {(p) => (
            <input
              {...p}
              type="date"
              value={period.to}
              onChange={(e) => setPeriod((x) => ({ ...x, to: e.target.value }))}
            />
          )}
        </Field>
        <button type="submit">{t('register.show')}</button>
      </form>
      <Loading loading={loaded.loading && !loaded.data} problem={loaded.problem}>
        {loaded.data && (
          <>
            <p>
              <DownloadLink href={href('csv')} name={`delegationsbeslut-${org}-${asked.from}-${asked.to}.csv`}>
                {t('register.csv')}
              </DownloadLink>
              {' · '}
              <DownloadLink href={href('pdf')} name={`delegationsbeslut-${org}-${asked.from}-${asked.to}.pdf`}>
                {t('register.pdf')}
              </DownloadLink>
            </p>
            {loaded.data.items.length === 0 ? (
              <p>{t('register.none')}</p>
            ) : (
              <div className="scroll" tabIndex={0} role="region" aria-label={t('register.caption')}>
                <table data-testid="delegation-register">
                  <caption>{t('register.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('register.date')}</th>
                      <th scope="col">{t('delegation.id')}</th>
                      <th scope="col">{t('delegation.decision')}</th>
                      <th scope="col">{t('register.tender')}</th>
                      <th scope="col">{t('approvals.value')}</th>
                      <th scope="col">{t('register.decidedBy')}</th>
                      <th scope="col">{t('register.reported')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {loaded.data.items.map((e) => (
                      <tr key={e.ref} data-ref={e.ref}>
                        <th scope="row">{e.date}</th>
                        <td>
                          {e.item} <small>(v{e.version})</small>
                        </td>
                        <td>
                          {term(e.gate)}: {t(`register.decision.${e.decision}` as Key)}
                          {e.firstOfTwo && <small> {t('register.firstOfTwo')}</small>}
                        </td>
                        <td>
                          {e.title} <small>({e.tenderId})</small>
                        </td>
                        <td>{sek(e.valueSek)}</td>
                        <td>
                          {e.decidedBy.name}, {e.function} ({t(`register.via.${e.via}` as Key)})
                          {e.asSubstituteFor && (
                            <>
                              <br />
                              <small>{t('register.substituteFor', { name: e.asSubstituteFor.name })}</small>
                            </>
                          )}
                        </td>
                        <td>
                          {e.reported
                            ? `${e.reported.meeting} (${e.reported.at.slice(0, 10)})`
                            : e.reportToBoard
                              ? t('register.due')
                              : t('register.notReported')}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {mayReport(person) && loaded.data.items.some((e) => e.reportToBoard && !e.reported) && (
              <ReportForm org={org} period={asked} onReported={() => setN((x) => x + 1)} />
            )}
          </>
        )}
      </Loading>
    </>
  );
}

/** A file of the API fetched with the signed-in person's token, then saved (a plain link would carry no token). */
function DownloadLink({ href, name, children }: { href: string; name: string; children: string }) {
  const { t } = useI18n();
  const [failed, setFailed] = useState<string>();
  async function download() {
    setFailed(undefined);
    try {
      save(await fetchFile(href), name);
    } catch (e) {
      setFailed(e instanceof Error ? e.message : String(e));
    }
  }
  return (
    <>
      <button type="button" className="link" onClick={() => void download()}>
        {children}
      </button>
      {failed && <span role="alert"> {t('downloads.failed', { detail: failed })}</span>}
    </>
  );
}

function ReportForm({
  org,
  period,
  onReported,
}: {
  org: string;
  period: { from: string; to: string };
  onReported: () => void;
}) {
  const { t, explain } = useI18n();
  const [meeting, setMeeting] = useState('');
  const [said, setSaid] = useState<string>();
  const { busy, problem, send } = useCommand();
  const say = answerWords(problem, explain);
  const errors: Record<string, Said[]> = {};
  for (const e of problem?.errors ?? []) (errors[e.field] ??= []).push(say(e.rule, e.message));
  async function submit() {
    const r = await send({ ...period, meeting: meeting.trim() }, (b) =>
      api.POST('/organizations/{org}/delegation-decisions/reported', { params: { path: { org } }, body: b }),
    );
    if (r.ok) {
      setSaid(t('register.wasReported', { meeting: meeting.trim() }));
      setMeeting('');
      onReported();
    }
  }
  return (
    <section aria-labelledby="report-h">
      <h2 id="report-h">{t('register.report')}</h2>
      <p role="status" className={said ? 'done' : 'visually-hidden'}>
        {said ?? ''}
      </p>
      <CommandForm onSubmit={submit}>
        {problem && <ProblemBox problem={problem} />}
        <Field
          id="report-meeting"
          label={t('register.meeting')}
          hint={t('register.meetingHint')}
          errors={errors.meeting}
        >
          {(p) => <input {...p} value={meeting} onChange={(e) => setMeeting(e.target.value)} />}
        </Field>
        <button type="submit" disabled={busy}>
          {t('register.reportButton')}
        </button>
      </CommandForm>
    </section>
  );
}
