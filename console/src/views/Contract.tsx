import { useState } from 'react';
import { api } from '../api/client';
import { milestoneWords } from '../event-words';
import { CHOICE_LABELS } from '../form-labels';
import { useI18n } from '../i18n';
import type { ContractState } from '@tenderflow/temporal-common/contract-types';
import { Link, Loading, ScrollTable, useLoad } from '../ui';
import { ContractChanges, FollowUpReportDownload } from './ContractChanges';
import { MilestoneCard } from './FollowUp';

/** How many open milestones get their completion form at once: the next ones due. */
const OPEN_FORMS = 3;

/**
 * A contract's page: its dates (the end with every option used), the bodies it covers, and its
 * milestones over the years with their outcomes; the next open milestones with their completion
 * forms. GET /contracts/{id} answers who may see it.
 */
export function Contract({ id }: { id: string }) {
  const { t, term, sek, locale } = useI18n();
  const [n, setN] = useState(0);
  const contract = useLoad(
    () =>
      api.GET('/contracts/{id}', { params: { path: { id } } }) as Promise<{ data?: ContractState; error?: unknown }>,
    [id, n],
  );
  const c = contract.data;
  const open = c?.milestones.filter((m) => m.status === 'scheduled' || m.status === 'overdue') ?? [];
  return (
    <Loading loading={contract.loading && !c} problem={contract.problem}>
      {c && (
        <>
          <h1>{t('contract.title', { supplier: c.supplier })}</h1>
          <p>
            <span className="badge" data-testid="contract-status">
              {t(`contract.${c.status}`)}
            </span>{' '}
            {c.id} · <Link to={`/console/tenders/${c.tenderId}`}>{c.title}</Link> · {sek(c.valueSek)}
          </p>
          <dl>
            <dt>{t('contract.signed')}</dt>
            <dd>{c.signedAt}</dd>
            <dt>{t('contract.period')}</dt>
            <dd>
              {c.startDate} – {c.endDate}
            </dd>
            <dt>{t('contract.latestEnd')}</dt>
            <dd>{c.latestEndDate}</dd>
            <dt>{t('contract.buyers')}</dt>
            <dd>{c.buyers.map((b) => b.name).join(', ')}</dd>
            {c.sanctions && (
              <>
                <dt>{t('follow.sanctionsDeclared')}</dt>
                <dd>
                  {c.sanctions.declared
                    .map(
                      (s) =>
                        `${CHOICE_LABELS[locale][`kind.${s.kind}`]} (${s.clauseReference}${s.maxAmountSek !== undefined ? `, ${t('follow.sanctionUpTo')} ${sek(s.maxAmountSek)}` : ''})`,
                    )
                    .join('; ')}
                </dd>
              </>
            )}
            {c.successorTenderId && (
              <>
                <dt>{t('contract.successor')}</dt>
                <dd>
                  <Link to={`/console/tenders/${c.successorTenderId}`}>{c.successorTenderId}</Link>
                </dd>
              </>
            )}
          </dl>
          <section aria-labelledby="open-h">
            <h2 id="open-h">{t('contract.next')}</h2>
            {open.length ? (
              <ul className="cards">
                {open.slice(0, OPEN_FORMS).map((m) => (
                  <li key={m.id}>
                    <MilestoneCard row={{ contract: c, milestone: m }} onDone={() => setN((x) => x + 1)} />
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('common.none')}</p>
            )}
          </section>
          <FollowUpReportDownload contractId={c.id} />
          <ContractChanges contract={c} onChanged={() => setN((x) => x + 1)} />
          <section aria-labelledby="plan-h">
            <h2 id="plan-h">{t('contract.plan')}</h2>
            <ScrollTable label={t('contract.plan')}>
              <table>
                <caption className="visually-hidden">{t('contract.plan')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('follow.milestone')}</th>
                    <th scope="col">{t('follow.owner')}</th>
                    <th scope="col">{t('follow.due')}</th>
                    <th scope="col">{t('follow.status')}</th>
                    <th scope="col">{t('follow.outcome')}</th>
                  </tr>
                </thead>
                <tbody>
                  {c.milestones.map((m) => (
                    <tr key={m.id} className={m.status === 'overdue' ? 'overdue' : undefined}>
                      <td>{milestoneWords(m, locale).title}</td>
                      <td>{term(m.owner)}</td>
                      <td>{m.dueDate}</td>
                      <td>{t(`milestone.${m.status}`)}</td>
                      <td>
                        {m.completion ? `${t(m.completion.outcome === 'ok' ? 'follow.ok' : 'follow.deviation')}` : '–'}
                        {m.completion?.severity
                          ? ` (${CHOICE_LABELS[locale][`severity.${m.completion.severity}`]})`
                          : ''}
                        {m.completion?.sanction
                          ? `: ${CHOICE_LABELS[locale][`decision.${m.completion.sanction.decision}`]}${m.completion.sanction.kind ? `, ${CHOICE_LABELS[locale][`kind.${m.completion.sanction.kind}`]}` : ''}${m.completion.sanction.amountSek !== undefined ? ` ${sek(m.completion.sanction.amountSek)}` : ''}`
                          : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          </section>
        </>
      )}
    </Loading>
  );
}
