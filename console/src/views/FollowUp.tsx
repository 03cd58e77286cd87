import { useState } from 'react';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { dueMilestones, fieldErrors } from '../logic';
import type { ContractState, Milestone, TenderListItem, TenderState } from '../types';
import { CommandForm, Field, Link, Loading, ProblemBox, useCommand, useLoad } from '../ui';

interface Row {
  contract: ContractState;
  milestone: Milestone;
}

/** The milestones due in 30 days or overdue, of the contracts of tenders in follow-up, each with a completion form. */
export function FollowUp() {
  const { t } = useI18n();
  const rows = useLoad(async () => {
    const list = await api.GET('/tenders', { params: { query: { phase: 'follow_up', limit: 50 } } });
    if (list.error) return { error: list.error };
    const items = (list.data as unknown as { items: TenderListItem[] }).items;
    const out: Row[] = [];
    for (const x of items) {
      const tender = await api.GET('/tenders/{id}', { params: { path: { id: x.id } } });
      const contractId = (tender.data as unknown as TenderState | undefined)?.followUp?.contractId;
      if (!contractId) continue;
      const c = await api.GET('/contracts/{id}', { params: { path: { id: contractId } } });
      const contract = c.data as unknown as ContractState | undefined;
      if (contract) for (const m of dueMilestones(contract.milestones, new Date(), 60)) out.push({ contract, milestone: m });
    }
    return { data: out };
  }, []);
  return (
    <>
      <h1>{t('follow.title')}</h1>
      <Loading loading={rows.loading} problem={rows.problem}>
        {rows.data?.length ? (
          <ul className="cards">
            {rows.data.map((r) => (
              <li key={`${r.contract.id}-${r.milestone.id}`}>
                <MilestoneCard row={r} />
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('common.none')}</p>
        )}
      </Loading>
    </>
  );
}

function MilestoneCard({ row }: { row: Row }) {
  const { t, term, explain } = useI18n();
  const { contract, milestone: m } = row;
  const [outcome, setOutcome] = useState<'ok' | 'deviation'>('ok');
  const [note, setNote] = useState('');
  const [done, setDone] = useState(false);
  const { busy, problem, send } = useCommand();
  const errors = fieldErrors(problem, (e) => explain(e.rule, e.message));
  const id = `ms-${contract.id}-${m.id}`;
  async function submit() {
    const r = await send({ outcome, note }, (body, key) =>
      api.POST('/contracts/{id}/milestones/{mid}/completion', { params: { path: { id: contract.id, mid: m.id }, header: { 'Idempotency-Key': key } }, body }),
    );
    if (r.ok) setDone(true);
  }
  return (
    <article className="card" aria-labelledby={id}>
      <h2 id={id}>
        {m.title} — <Link to={`/console/tenders/${contract.tenderId}`}>{contract.title}</Link>
      </h2>
      <p>
        {t('follow.owner')}: {term(m.owner)} · {t('follow.due')}: {m.dueDate} {m.status === 'overdue' && <span className="badge warn">{t('follow.overdue')}</span>} · {m.basis}
      </p>
      {done ? (
        <p role="status">{t('follow.completed')}</p>
      ) : (
        <CommandForm onSubmit={submit}>
          <fieldset>
            <legend>{t('follow.outcome')}</legend>
            <label>
              <input type="radio" name={`${id}-outcome`} checked={outcome === 'ok'} onChange={() => setOutcome('ok')} /> {t('follow.ok')}
            </label>
            <label>
              <input type="radio" name={`${id}-outcome`} checked={outcome === 'deviation'} onChange={() => setOutcome('deviation')} /> {t('follow.deviation')}
            </label>
          </fieldset>
          <Field id={`${id}-note`} label={t('follow.note')} errors={errors.note}>
            {(p) => <textarea {...p} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
          </Field>
          <button type="submit" disabled={busy}>
            {t('follow.complete')}
          </button>
          {problem && !problem.errors?.length && <ProblemBox problem={problem} />}
        </CommandForm>
      )}
    </article>
  );
}
