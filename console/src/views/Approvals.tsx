import { useState } from 'react';
import { api } from '../api/client';
import { deadlineBasis } from '../event-words';
import { useI18n } from '../i18n';
import { nextDeadline } from '../logic';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import type { InboxItem } from '../types';
import { Field, Link, Loading, ProblemBox, useCommand, useLoad } from '../ui';
import { AuthorityNote, DelegationItemText } from './Delegated';
import { RED_FLAG_NAMES } from '@tenderflow/domain/red-flags';
import type { ContractState } from '@tenderflow/temporal-common/contract-types';
import { CHOICE_LABELS } from '../form-labels';
import { MilestoneCard } from './FollowUp';
// The basis of each gate as the e-mails word it (one place: libs/notifications): a paragraph of LOU where it names the gate, else the delegation order.
import { GATE_PARAGRAPH } from '../../../libs/notifications/src/templates/paths';

export function Approvals() {
  const { t } = useI18n();
  const inbox = useLoad(
    () =>
      api.GET('/approvals', { params: { query: { status: 'pending' } } }) as Promise<{
        data?: { items: InboxItem[]; sanctionDecisions?: SanctionInboxItem[] };
        error?: unknown;
      }>,
    [],
  );
  const sanctions = inbox.data?.sanctionDecisions ?? [];
  return (
    <>
      <h1>{t('approvals.title')}</h1>
      <p>{t('approvals.intro')}</p>
      <Loading loading={inbox.loading} problem={inbox.problem}>
        {inbox.data?.items.length ? (
          <ul className="cards">
            {inbox.data.items.map((item) => (
              <li key={`${item.tenderId}-${item.gate}`}>
                <GateCard item={item} />
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('common.none')}</p>
        )}
        {sanctions.length > 0 && (
          <section aria-labelledby="sanctions-h">
            <h2 id="sanctions-h">{t('approvals.sanctions')}</h2>
            <ul className="cards">
              {sanctions.map((x) => (
                <li key={`${x.contractId}-${x.milestoneId}`}>
                  <SanctionCard item={x} />
                </li>
              ))}
            </ul>
          </section>
        )}
      </Loading>
    </>
  );
}

/** A sanction decision waiting on one of the organisation's contracts (GET /approvals, sanctionDecisions). */
interface SanctionInboxItem {
  contractId: string;
  milestoneId: string;
  supplier: string;
  deviation: { milestoneId: string; title: string; severity: string; recordedBy: { name: string }; note: string };
}

/** The deviation it follows, then the contract's own completion form for the decision. */
function SanctionCard({ item }: { item: SanctionInboxItem }) {
  const { t, locale } = useI18n();
  const contract = useLoad(
    () =>
      api.GET('/contracts/{id}', { params: { path: { id: item.contractId } } }) as Promise<{
        data?: ContractState;
        error?: unknown;
      }>,
    [item.contractId],
  );
  const milestone = contract.data?.milestones.find((m) => m.id === item.milestoneId);
  return (
    <Loading loading={contract.loading} problem={contract.problem}>
      <p>
        {t('approvals.sanctionAfter', {
          supplier: item.supplier,
          severity: (
            CHOICE_LABELS[locale][`severity.${item.deviation.severity}`] ?? item.deviation.severity
          ).toLowerCase(),
          milestone: item.deviation.milestoneId,
          by: item.deviation.recordedBy.name,
        })}{' '}
        <q>{item.deviation.note}</q>
      </p>
      {contract.data && milestone && <MilestoneCard row={{ contract: contract.data, milestone }} />}
    </Loading>
  );
}

function GateCard({ item }: { item: InboxItem }) {
  const { t, term, sek, date, locale } = useI18n();
  const [comment, setComment] = useState('');
  const [justification, setJustification] = useState('');
  const [done, setDone] = useState(false);
  const { busy, problem, send } = useCommand();
  const tender = useLoad(
    () =>
      api.GET('/tenders/{id}', { params: { path: { id: item.tenderId } } }) as Promise<{
        data?: TenderState;
        error?: unknown;
      }>,
    [item.tenderId],
  );
  const deadline = tender.data ? nextDeadline(tender.data.deadlines) : undefined;
  const headingId = `gate-${item.tenderId}-${item.gate}`;

  async function decide(decision: 'approve' | 'reject' | 'request_changes') {
    const body =
      decision === 'approve'
        ? { decision, ...(comment ? { comment } : {}), ...(justification ? { justification } : {}) }
        : { decision, comment };
    const r = await send(body, (b, key) =>
      api.POST('/tenders/{id}/gates/{gate}/decision', {
        params: {
          path: { id: item.tenderId, gate: item.gate as 'decision_to_procure' },
          header: { 'Idempotency-Key': key },
        },
        body: b as never,
      }),
    );
    // The card stays, saying the decision is recorded; the inbox drops the gate at its next load.
    if (r.ok) setDone(true);
  }

  return (
    <article aria-labelledby={headingId} className="card">
      <h2 id={headingId}>
        {term(item.gate)}: <Link to={`/console/tenders/${item.tenderId}`}>{item.title}</Link>
      </h2>
      <dl>
        <dt>{t('approvals.tender')}</dt>
        <dd>
          {item.tenderId} · {item.category} · {term(item.phase)}
        </dd>
        <dt>{t('approvals.value')}</dt>
        <dd>{sek(item.estimatedValueSek)}</dd>
        <dt>{t('approvals.requestedBy')}</dt>
        <dd>{item.requestedBy.name}</dd>
        <dt>{t('approvals.since')}</dt>
        <dd>
          <time dateTime={item.since}>{date(item.since)}</time>
        </dd>
        <dt>{t('approvals.basis')}</dt>
        <dd>
          {GATE_PARAGRAPH[item.gate as keyof typeof GATE_PARAGRAPH] ?? t('approvals.delegationOrder')}
          {/* Who may decide, as the API words it (in English): marked so, for screen readers (WCAG 2.1 3.1.2). */}
          <span className="muted">
            {' — '}
            <span lang="en">{item.mayDecide}</span>
          </span>
        </dd>
        {item.delegation && (
          <>
            <dt>{t('approvals.item')}</dt>
            <dd>
              <DelegationItemText d={item.delegation} />
            </dd>
          </>
        )}
        <dt>{t('approvals.deadline')}</dt>
        <dd>
          {deadline ? `${term(deadline.kind)} ${deadline.lastDay} (${deadlineBasis(deadline.basis, locale)})` : '–'}
        </dd>
      </dl>
      {item.reason && <p>{item.reason}</p>}
      {item.redFlags?.length ? (
        <section className="warn" aria-labelledby={`${headingId}-flags`} data-testid="red-flags">
          <h3 id={`${headingId}-flags`}>{t('approvals.redFlags')}</h3>
          <ul>
            {item.redFlags.map((f) => (
              <li key={f.code}>
                {f.code}: {RED_FLAG_NAMES[f.code]?.[locale] ?? f.code}
                {f.value !== 1 ? ` (${f.value})` : ''}
              </li>
            ))}
          </ul>
          <p>{t('approvals.redFlagsHint')}</p>
        </section>
      ) : null}
      {item.authority && <AuthorityNote a={item.authority} />}
      {done ? (
        <p role="status">{t('approvals.decided')}</p>
      ) : (
        <form onSubmit={(e) => e.preventDefault()}>
          {item.redFlags?.length ? (
            <Field
              id={`${headingId}-justification`}
              label={t('approvals.justification')}
              hint={t('approvals.justificationHint')}
            >
              {(p) => (
                <textarea {...p} value={justification} onChange={(e) => setJustification(e.target.value)} rows={3} />
              )}
            </Field>
          ) : null}
          <Field id={`${headingId}-comment`} label={t('approvals.comment')} hint={t('approvals.commentHint')}>
            {(p) => <textarea {...p} value={comment} onChange={(e) => setComment(e.target.value)} rows={2} />}
          </Field>
          <div className="actions">
            <button type="button" disabled={busy} onClick={() => void decide('approve')}>
              {t('approvals.approve')}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => void decide('request_changes')}>
              {t('approvals.requestChanges')}
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => void decide('reject')}>
              {t('approvals.reject')}
            </button>
          </div>
          {problem && <ProblemBox problem={problem} title={t('approvals.refused')} />}
        </form>
      )}
    </article>
  );
}
