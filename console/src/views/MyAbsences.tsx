import { useState } from 'react';
import { api } from '../api/client';
import type { Person } from '../auth';
import { useI18n, type Said } from '../i18n';
import { answerWords } from '../logic';
import { CommandForm, Field, Loading, ProblemBox, useCommand, useLoad } from '../ui';
import { mayReadPeople } from './People';

/** An absence as GET /organizations/{org}/people/{sub}/absences answers it. */
interface Absence {
  id: string;
  from: string;
  to: string;
  substitute: { sub: string; name: string } | null;
  reason: string | null;
  cancelledAt: string | null;
}

/** Today in Sweden, the day the API compares an absence's first day with. */
const swedishToday = () =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());

/**
 * The signed-in person's absences and a form to record one with a substitute. The organisation's
 * people (to choose the substitute from) are for its administrators; anyone else names the
 * substitute by user id, and the API says when that is not an active person of the organisation.
 */
export function MyAbsences({ person }: { person: Person }) {
  const { t } = useI18n();
  const { org, sub } = person;
  const [n, setN] = useState(0);
  const [said, setSaid] = useState<string>();
  const cancelling = useCommand();
  const loaded = useLoad(async () => {
    const mine = await api.GET('/organizations/{org}/people/{sub}/absences', { params: { path: { org, sub } } });
    if (mine.error) return { error: mine.error };
    let people: { sub: string; name: string; active: boolean }[] | undefined;
    if (mayReadPeople(person)) {
      const list = await api.GET('/organizations/{org}/people', { params: { path: { org } } });
      if (!list.error) people = (list.data as unknown as { items: typeof people & object }).items;
    }
    return { data: { items: (mine.data as unknown as { items: Absence[] }).items, people } };
  }, [org, sub, n]);
  const data = loaded.data;
  const today = swedishToday();

  async function cancel(a: Absence) {
    const r = await cancelling.send({ id: a.id }, (b) =>
      api.DELETE('/organizations/{org}/people/{sub}/absences/{id}', { params: { path: { org, sub, id: b.id } } }),
    );
    if (r.ok) {
      setSaid(t('absences.wasCancelled', { from: a.from, to: a.to }));
      setN((x) => x + 1);
    }
  }

  return (
    <>
      <h1>{t('absences.title')}</h1>
      <p>{t('absences.intro')}</p>
      <p role="status" className={said ? 'done' : 'visually-hidden'}>
        {said ?? ''}
      </p>
      <Loading loading={loaded.loading && !data} problem={loaded.problem}>
        {data && (
          <>
            {cancelling.problem && <ProblemBox problem={cancelling.problem} />}
            {data.items.length === 0 ? (
              <p>{t('absences.none')}</p>
            ) : (
              <table data-testid="absences">
                <caption>{t('absences.count', { n: data.items.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('absences.from')}</th>
                    <th scope="col">{t('absences.to')}</th>
                    <th scope="col">{t('absences.substitute')}</th>
                    <th scope="col">{t('absences.reason')}</th>
                    <th scope="col">{t('absences.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((a) => (
                    <tr key={a.id}>
                      <th scope="row">{a.from}</th>
                      <td>{a.to}</td>
                      <td>{a.substitute ? `${a.substitute.name} (${a.substitute.sub})` : '—'}</td>
                      <td>{a.reason ?? '—'}</td>
                      <td>
                        {a.cancelledAt ? (
                          t('absences.cancelled')
                        ) : a.from > today ? (
                          <button
                            type="button"
                            className="secondary"
                            disabled={cancelling.busy}
                            aria-label={t('absences.cancelLabel', { from: a.from, to: a.to })}
                            onClick={() => void cancel(a)}
                          >
                            {t('absences.cancel')}
                          </button>
                        ) : (
                          t('absences.planned')
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <AbsenceForm
              person={person}
              people={data.people?.filter((p) => p.active && p.sub !== sub)}
              onRecorded={(a) => {
                setSaid(t('absences.recorded', { from: a.from, to: a.to }));
                setN((x) => x + 1);
              }}
            />
          </>
        )}
      </Loading>
    </>
  );
}

function AbsenceForm({
  person,
  people,
  onRecorded,
}: {
  person: Person;
  people?: { sub: string; name: string }[];
  onRecorded: (a: { from: string; to: string }) => void;
}) {
  const { t, explain } = useI18n();
  const [value, setValue] = useState({ from: '', to: '', substitute: '', reason: '' });
  const { busy, problem, send } = useCommand();
  const say = answerWords(problem, explain);
  const errors: Record<string, Said[]> = {};
  for (const e of problem?.errors ?? []) (errors[e.field] ??= []).push(say(e.rule, e.message));
  const set = (k: keyof typeof value) => (e: { target: { value: string } }) =>
    setValue((v) => ({ ...v, [k]: e.target.value }));

  async function submit() {
    const body = {
      from: value.from,
      to: value.to,
      ...(value.substitute.trim() ? { substitute: value.substitute.trim() } : {}),
      ...(value.reason.trim() ? { reason: value.reason.trim() } : {}),
    };
    const r = await send(body, (b) =>
      api.POST('/organizations/{org}/people/{sub}/absences', {
        params: { path: { org: person.org, sub: person.sub } },
        body: b,
      }),
    );
    if (r.ok) {
      onRecorded(body);
      setValue({ from: '', to: '', substitute: '', reason: '' });
    }
  }

  return (
    <section aria-labelledby="absence-form-h">
      <h2 id="absence-form-h">{t('absences.form')}</h2>
      <CommandForm onSubmit={submit}>
        {problem && <ProblemBox problem={problem} title={problem.errors?.length ? t('absences.refused') : undefined} />}
        <Field id="absence-from" label={t('absences.from')} errors={errors.from}>
          {(p) => <input {...p} type="date" value={value.from} onChange={set('from')} />}
        </Field>
        <Field id="absence-to" label={t('absences.to')} errors={errors.to}>
          {(p) => <input {...p} type="date" value={value.to} onChange={set('to')} />}
        </Field>
        {people ? (
          <Field
            id="absence-substitute"
            label={t('absences.substitute')}
            hint={t('absences.substituteHint')}
            errors={errors.substitute}
          >
            {(p) => (
              <select {...p} value={value.substitute} onChange={set('substitute')}>
                <option value="">{t('absences.noSubstitute')}</option>
                {people.map((x) => (
                  <option key={x.sub} value={x.sub}>
                    {x.name} ({x.sub})
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <Field
            id="absence-substitute"
            label={t('absences.substituteSub')}
            hint={t('absences.substituteSubHint')}
            errors={errors.substitute}
          >
            {(p) => <input {...p} value={value.substitute} onChange={set('substitute')} autoComplete="off" />}
          </Field>
        )}
        <Field id="absence-reason" label={t('absences.reason')} errors={errors.reason}>
          {(p) => <input {...p} value={value.reason} onChange={set('reason')} />}
        </Field>
        <button type="submit" disabled={busy}>
          {t('absences.record')}
        </button>
      </CommandForm>
    </section>
  );
}
