import { useState } from 'react';
import { api } from '../api/client';
import { auditLine, deadlineBasis } from '../event-words';
import { CHOICE_LABELS } from '../form-labels';
import type { Person } from '../auth';
import { useI18n, type I18n, type Locale } from '../i18n';
import { axisTicks, ganttLayout } from '../logic';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import type { AuditEvent } from '../types';
import { Link, Loading, ScrollTable, useLoad } from '../ui';
import { TenderActions, type PartnerView } from './Actions';
import { PartnerTender } from './Partner';
import { Downloads } from './Downloads';
import { Requirements } from './Requirements';
import { TendersReceived } from './TendersReceived';
import { Ranking } from './Ranking';

export function Tender({
  id,
  person,
  temporalWorkflowsUrl,
}: {
  id: string;
  person: Person;
  temporalWorkflowsUrl?: string;
}) {
  const { t, term, sek, date, locale } = useI18n();
  const tender = useLoad(
    () => api.GET('/tenders/{id}', { params: { path: { id } } }) as Promise<{ data?: TenderState; error?: unknown }>,
    [id],
  );
  const audit = useLoad(
    () =>
      api.GET('/tenders/{id}/audit', { params: { path: { id } } }) as Promise<{
        data?: { items: AuditEvent[] };
        error?: unknown;
      }>,
    [id],
  );
  const verify = useLoad(
    () =>
      api.GET('/tenders/{id}/audit/verify', { params: { path: { id } } }) as Promise<{
        data?: { valid: boolean; events: number };
        error?: unknown;
      }>,
    [id],
  );
  const s = tender.data;
  if (s && (s as unknown as PartnerView).view === 'partner')
    return <PartnerTender view={s as unknown as PartnerView} onDone={tender.reload} />;
  return (
    <Loading loading={tender.loading && !s} problem={tender.problem}>
      {s && (
        <>
          <h1>{s.title}</h1>
          <p>
            <span className="badge" data-testid="phase">
              {t('tender.phaseNow', { phase: term(s.phase) })}
            </span>{' '}
            {s.id} · {s.organization} · {s.category} · {sek(s.estimatedValueSek)} · {procedureIn(locale, t, s)}
          </p>
          {s.phase === 'needs_analysis' && !s.needsAnalysis && person.roles.includes('procurement_officer') && (
            <p>
              <Link to={`/console/tenders/${s.id}/needs-analysis`}>{t('needs.title')}</Link>
            </p>
          )}
          <TenderActions
            state={s}
            onDone={() => {
              tender.reload();
              audit.reload();
              verify.reload();
            }}
          />
          {person.roles.includes('admin') && temporalWorkflowsUrl && (
            <p>
              <a href={`${temporalWorkflowsUrl}/${encodeURIComponent(s.workflowId)}`}>{t('tender.temporal')}</a>
            </p>
          )}
          <section aria-labelledby="timeline-h">
            <h2 id="timeline-h">{t('tender.timeline')}</h2>
            <Timeline state={s} />
          </section>
          <section aria-labelledby="gates-h">
            <h2 id="gates-h">{t('tender.pendingGates')}</h2>
            {s.pendingGates.length ? (
              <ul>
                {s.pendingGates.map((g) => (
                  <li key={g.gate}>
                    {term(g.gate)} — {t('approvals.requestedBy').toLowerCase()} {g.requestedBy.name}, {date(g.since)}.{' '}
                    {g.mayDecide}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('common.none')}</p>
            )}
          </section>
          <section aria-labelledby="q-h">
            <h2 id="q-h">{t('tender.questions')}</h2>
            {s.questions.length ? (
              <Questions key={s.id} id={s.id} total={s.questions.length} />
            ) : (
              <p>{t('common.none')}</p>
            )}
          </section>
          <section aria-labelledby="req-h">
            <h2 id="req-h">{t('requirements.title')}</h2>
            {s.requirements?.length ? <Requirements id={s.id} version={s.version} /> : <p>{t('common.none')}</p>}
          </section>
          {s.tendersReceived.length > 0 && (
            <section aria-labelledby="received-h">
              <h2 id="received-h">{t('received.title')}</h2>
              <TendersReceived state={s} />
            </section>
          )}
          {Boolean(s.consensus?.length || s.evaluation?.ranking?.length) && (
            <section aria-labelledby="ranking-h">
              <h2 id="ranking-h">{t('ranking.title')}</h2>
              <Ranking id={s.id} version={s.version} />
            </section>
          )}
          <section aria-labelledby="docs-h">
            <h2 id="docs-h">{t('tender.documents')}</h2>
            {s.documents?.items.length ? (
              <ul>
                {s.documents.items.map((d) => (
                  <li key={d.reference}>
                    {d.title} ({d.reference}
                    {d.version ? `, ${d.version}` : ''})
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('common.none')}</p>
            )}
          </section>
          <LegalBasis state={s} />
          <section aria-labelledby="eval-h">
            <h2 id="eval-h">{t('tender.evaluators')}</h2>
            {s.evaluators.length ? (
              <ul>
                {s.evaluators.map((e) => (
                  <li key={e.sub}>
                    {e.name} ({t(`evaluator.${e.status}`)})
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('common.none')}</p>
            )}
          </section>
          {s.followUp && (
            <p>
              <Link to={`/console/contracts/${s.followUp.contractId}`}>{t('contract.open')}</Link>
            </p>
          )}
          {(person.roles.includes('admin') || person.org === s.organization) && (
            <Downloads id={s.id} notices={s.award?.notices} documents={s.decisionDocuments} />
          )}
          <section aria-labelledby="audit-h">
            <h2 id="audit-h">
              {t('tender.audit')}{' '}
              {verify.data && (
                <span className={`badge ${verify.data.valid ? 'ok' : 'warn'}`} data-testid="chain">
                  {verify.data.valid
                    ? `✓ ${t('tender.chainVerified', { events: verify.data.events })}`
                    : t('tender.chainBroken')}
                </span>
              )}
            </h2>
            <Loading loading={audit.loading} problem={audit.problem}>
              <ol className="audit">
                {audit.data?.items.map((e) => {
                  const line = auditLine(e, locale);
                  return (
                    <li key={e.index}>
                      <time dateTime={e.at}>{date(e.at)}</time> <span data-event-type={e.type}>{line.what}</span>
                      {line.summary ? ` (${line.summary})` : ''}
                      {e.actor ? ` — ${e.actor.name ?? e.actor.sub}` : ''}
                      {line.why && (
                        <>
                          : <span lang={line.why.lang}>{line.why.text}</span>
                        </>
                      )}
                    </li>
                  );
                })}
              </ol>
            </Loading>
          </section>
        </>
      )}
    </Loading>
  );
}

/** Questions asked of the API a page at a time. */
const QUESTIONS_PAGE = 50;

/**
 * The Q&A log a page at a time (GET /tenders/{id}/questions): the tender's state lists its
 * questions without their texts, which may be megabytes. Each page is loaded once, the next one when
 * asked for.
 */
function Questions({ id, total }: { id: string; total: number }) {
  // The cursors of the pages shown: '' for the first.
  const [cursors, setCursors] = useState<string[]>(['']);
  return (
    <>
      {cursors.map((cursor, i) => (
        <QuestionsPage
          key={cursor}
          id={id}
          cursor={cursor}
          before={i * QUESTIONS_PAGE}
          total={total}
          onMore={i === cursors.length - 1 ? (next) => setCursors([...cursors, next]) : undefined}
        />
      ))}
    </>
  );
}

function QuestionsPage({
  id,
  cursor,
  before,
  total,
  onMore,
}: {
  id: string;
  cursor: string;
  before: number;
  total: number;
  onMore?: (next: string) => void;
}) {
  const { t } = useI18n();
  const page = useLoad(
    () =>
      api.GET('/tenders/{id}/questions', {
        params: { path: { id }, query: { limit: QUESTIONS_PAGE, ...(cursor ? { cursor } : {}) } },
      }),
    [id, cursor],
  );
  const items = page.data?.items ?? [];
  const next = page.data?.nextCursor;
  return (
    <Loading loading={page.loading} problem={page.problem}>
      <dl>
        {items.map((q) => (
          <div key={q.id}>
            <dt>{q.question}</dt>
            <dd>{q.answer ?? t('tender.unanswered')}</dd>
          </div>
        ))}
      </dl>
      {onMore && next && (
        <p>
          {t('tender.questionsShown', { shown: before + items.length, total })}{' '}
          <button type="button" onClick={() => onMore(next)}>
            {t('tender.moreQuestions')}
          </button>
        </p>
      )}
    </Loading>
  );
}

/** The Gantt-like picture, with the same facts in a table beside it for screen readers and printing. */
function Timeline({ state }: { state: TenderState }) {
  const { t, term, date, locale } = useI18n();
  const deadlines = [...state.deadlines, ...state.pastDeadlines.filter((d) => d.outcome !== 'superseded')];
  const g = ganttLayout(state.timeline, deadlines, new Date());
  const rowHeight = 28;
  const labelWidth = 190;
  const height = (g.bars.length + 1) * rowHeight + 52;
  const monthDay = (day: string) =>
    new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', {
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    }).format(new Date(`${day}T00:00:00Z`));
  return (
    <>
      <p>{t('tender.timelineDesc')}</p>
      <figure>
        <svg
          role="img"
          aria-label={`${t('tender.timeline')}: ${g.bars.map((b) => term(b.phase)).join(', ')}`}
          viewBox={`0 0 1000 ${height}`}
          width="100%"
          className="gantt"
        >
          <text x={190} y={16} className="axis">
            {date(g.start)}
          </text>
          <text x={1000} y={16} textAnchor="end" className="axis">
            {date(g.end)}
          </text>
          {axisTicks(g.start, g.end).map((tick) => {
            const x = labelWidth + (tick.left * (1000 - labelWidth)) / 100;
            return (
              <g key={tick.day} className="tick">
                <line x1={x} x2={x} y1={40} y2={height - 4} />
                <text x={x} y={height} textAnchor="middle" className="axis">
                  {monthDay(tick.day)}
                </text>
              </g>
            );
          })}
          {g.bars.map((b, i) => (
            <g key={`${b.phase}-${i}`}>
              <text x={0} y={40 + i * rowHeight + 14} className="label">
                {term(b.phase)}
              </text>
              <rect
                x={labelWidth + (b.left * (1000 - labelWidth)) / 100}
                y={40 + i * rowHeight}
                width={Math.max(4, (b.width * (1000 - labelWidth)) / 100)}
                height={rowHeight - 8}
                className={b.current ? 'bar current' : 'bar'}
              />
            </g>
          ))}
          {g.markers.map((m, i) => {
            const x = labelWidth + (m.left * (1000 - labelWidth)) / 100;
            return (
              <g key={`${m.kind}-${i}`}>
                <line x1={x} x2={x} y1={40} y2={height - 4} className={m.past ? 'marker past' : 'marker'} />
                {/* Numbered as in the table below, which gives each deadline its day and basis. */}
                <text x={x} y={34} textAnchor="middle" className="marker-label">
                  {i + 1}
                </text>
                <title>{`${term(m.kind)} ${m.lastDay}: ${deadlineBasis(m.basis, locale)}`}</title>
              </g>
            );
          })}
          {g.now !== undefined && (
            <g>
              <line
                x1={labelWidth + (g.now * (1000 - labelWidth)) / 100}
                x2={labelWidth + (g.now * (1000 - labelWidth)) / 100}
                y1={24}
                y2={height - 14}
                className="now"
              />
              <text x={labelWidth + (g.now * (1000 - labelWidth)) / 100 + 4} y={24} className="axis now-label">
                {t('tender.today')}
              </text>
            </g>
          )}
        </svg>
      </figure>
      <ScrollTable label={t('tender.deadlines')}>
        <table>
          <caption>{t('tender.deadlines')}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('tender.kind')}</th>
              <th scope="col">{t('tender.lastDay')}</th>
              <th scope="col">{t('tender.basis')}</th>
            </tr>
          </thead>
          <tbody>
            {g.markers.map((m, i) => (
              <tr key={`${m.kind}-${i}`} className={m.past ? 'muted' : undefined}>
                <td>{i + 1}</td>
                <td className="nowrap">{term(m.kind)}</td>
                <td className="nowrap">{m.lastDay}</td>
                <td>{deadlineBasis(m.basis, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </>
  );
}

/** What the tender recorded of its legal basis: the procedure, a ground without notice, the ex-ante notice, abnormally low tenders, subcontracting. */
function LegalBasis({ state: s }: { state: TenderState }) {
  const { t, locale } = useI18n();
  const checked = s.evaluation?.abnormallyLow ?? [];
  const sub = s.contract?.subcontracting;
  return (
    <section aria-labelledby="legal-h">
      <h2 id="legal-h">{t('legal.title')}</h2>
      <dl>
        <dt>{t('legal.procedure')}</dt>
        <dd>
          {procedureIn(locale, t, s)}
          {s.procedureDescription ? ` — ${s.procedureDescription}` : ''}
        </dd>
        {s.withoutNoticeGround && (
          <>
            <dt>{t('legal.ground')}</dt>
            <dd data-testid="without-notice-ground">{s.withoutNoticeGround}</dd>
          </>
        )}
        {s.negotiation && (
          <>
            <dt>{t('legal.invited')}</dt>
            <dd>{s.candidates.map((c) => c.supplier).join(', ')}</dd>
          </>
        )}
        {s.exAnteNotice && (
          <>
            <dt>{s.exAnteNotice.paragraph}</dt>
            <dd>
              {t('legal.exAnte', {
                day: s.exAnteNotice.publishedOn,
                where: s.exAnteNotice.advertisingDatabase,
                wait: s.exAnteNotice.waitLastDay,
              })}
            </dd>
          </>
        )}
        {checked.length > 0 && (
          <>
            <dt>{t('legal.abnormallyLow')}</dt>
            <dd>
              <ul>
                {checked.map((a) => (
                  <li key={`${a.lot ?? ''}${a.supplier}`}>
                    {a.supplier}: {a.outcome === 'rejected' ? t('legal.rejected') : t('legal.accepted')} (
                    {a.explanationRequestedOn}){a.reason ? ` — ${a.reason}` : ''}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {s.contract && (
          <>
            <dt>{t('legal.subcontracting')}</dt>
            <dd>
              {sub
                ? `${sub.subcontractors.map((x) => x.name).join(', ') || '–'}${sub.sharePercent !== undefined ? `, ${t('legal.share', { share: sub.sharePercent })}` : ''}`
                : t('legal.notRecorded')}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** The tender's regime and procedure in words (the API's codes: `eu`, `open`, `direct_award`…). */
function procedureIn(locale: Locale, t: I18n['t'], s: Pick<TenderState, 'regime' | 'procedure'>): string {
  return `${t(`regime.${s.regime}`)} / ${CHOICE_LABELS[locale][`procedure.${s.procedure}`] ?? s.procedure}`;
}
