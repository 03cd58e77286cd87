import { useState } from 'react';
import { api } from '../api/client';
import { milestoneWords } from '../event-words';
import { CHOICE_LABELS } from '../form-labels';
import { useI18n, type Said } from '../i18n';
import {
  answerWords,
  withoutFieldName,
  directAwardRecord,
  dueMilestones,
  fieldErrors,
  milestoneCompletionBody,
  referencedKinds,
} from '../logic';
import type { ContractState, Milestone } from '@tenderflow/temporal-common/contract-types';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import type { TenderListItem } from '../types';
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
      if (contract)
        for (const m of dueMilestones(contract.milestones, new Date(), 60)) out.push({ contract, milestone: m });
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

type Sanctions = NonNullable<ContractState['sanctions']>['declared'];

/** The sanction decision's fields: the contract's declared sanctions, impose or refrain, which and how much. */
function SanctionFields({
  id,
  declared,
  value,
  onChange,
  errors,
}: {
  id: string;
  declared: Sanctions;
  value: { decision: string; kind: string; amountSek: string };
  onChange: (v: { decision: string; kind: string; amountSek: string }) => void;
  errors: Record<string, Said[] | undefined>;
}) {
  const { t, locale, sek } = useI18n();
  const labels = CHOICE_LABELS[locale];
  return (
    <>
      <p>
        {t('follow.sanctionsDeclared')}:{' '}
        {declared
          .map(
            (s) =>
              `${labels[`kind.${s.kind}`]} (${s.clauseReference}${s.maxAmountSek !== undefined ? `, ${t('follow.sanctionUpTo')} ${sek(s.maxAmountSek)}` : ''})`,
          )
          .join('; ')}
      </p>
      <Field id={`${id}-sanction-decision`} label={t('follow.sanctionDecision')} errors={errors['sanction.decision']}>
        {(p) => (
          <select {...p} value={value.decision} onChange={(e) => onChange({ ...value, decision: e.target.value })}>
            <option value="">{t('actions.choose')}</option>
            {(['impose', 'refrain'] as const).map((x) => (
              <option key={x} value={x}>
                {labels[`decision.${x}`]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {value.decision === 'impose' && (
        <Field id={`${id}-sanction-kind`} label={t('follow.sanctionKind')} errors={errors['sanction.kind']}>
          {(p) => (
            <select {...p} value={value.kind} onChange={(e) => onChange({ ...value, kind: e.target.value })}>
              <option value="">{t('actions.choose')}</option>
              {[...new Set(declared.map((s) => s.kind))].map((k) => (
                <option key={k} value={k}>
                  {labels[`kind.${k}`]}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {value.decision === 'impose' && value.kind !== '' && value.kind !== 'termination' && (
        <Field id={`${id}-sanction-amount`} label={t('follow.sanctionAmount')} errors={errors['sanction.amountSek']}>
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={value.amountSek}
              onChange={(e) => onChange({ ...value, amountSek: e.target.value })}
            />
          )}
        </Field>
      )}
    </>
  );
}

export function MilestoneCard({ row, onDone }: { row: Row; onDone?: () => void }) {
  const { t, term, explain, locale } = useI18n();
  const { contract, milestone: m } = row;
  const words = milestoneWords(m, locale);
  const [outcome, setOutcome] = useState<'ok' | 'deviation'>('ok');
  const [note, setNote] = useState('');
  const [done, setDone] = useState(false);
  const [record, setRecord] = useState({ competition: '', suppliers: '', winner: '', winnerOrg: '', reason: '' });
  const { busy, problem, send } = useCommand();
  const say = answerWords(problem, explain);
  const errors = fieldErrors(problem, (e) => say(e.rule, withoutFieldName(e)));
  const id = `ms-${contract.id}-${m.id}`;
  // A direct award's documentation milestone is completed with its record (19 a kap. 11 § LOU).
  const documents = m.kind === 'documentation' && contract.documentationRecord === 'direct_award';
  // Where a notice or the documentation is filed; the extension decision: use an option, or let the contract end.
  const [reference, setReference] = useState('');
  const [extend, setExtend] = useState<'' | 'yes' | 'no'>('');
  const [months, setMonths] = useState('');
  // A deviation: how grave, and the day the supplier's corrective action is due.
  const [severity, setSeverity] = useState('');
  const [correctiveDueDate, setCorrectiveDueDate] = useState('');
  // A sanction decision: impose one of the contract's declared sanctions, or refrain.
  const [sanction, setSanction] = useState({ decision: '', kind: '', amountSek: '' });
  const sanctioning = m.kind === 'sanction_decision';
  const declared = contract.sanctions?.declared ?? [];
  const filed = referencedKinds.has(m.kind);
  const extension = m.kind === 'extension_decision';
  async function submit() {
    const body = milestoneCompletionBody(
      m.kind,
      { outcome, note, reference, extend, months, severity, correctiveDueDate, sanction },
      documents ? directAwardRecord(record) : undefined,
    ) as { outcome: 'ok' | 'deviation'; note: string };
    const r = await send(body, (body, key) =>
      api.POST('/contracts/{id}/milestones/{mid}/completion', {
        params: { path: { id: contract.id, mid: m.id }, header: { 'Idempotency-Key': key } },
        body,
      }),
    );
    if (r.ok) {
      setDone(true);
      onDone?.();
    }
  }
  return (
    <article className="card" aria-labelledby={id}>
      <h2 id={id}>
        {words.title} — <Link to={`/console/tenders/${contract.tenderId}`}>{contract.title}</Link>
      </h2>
      <p>
        {t('follow.owner')}: {term(m.owner)} · {t('follow.due')}: {m.dueDate}{' '}
        {m.status === 'overdue' && <span className="badge warn">{t('follow.overdue')}</span>} ·{' '}
        <span lang={words.basis.lang}>{words.basis.text}</span>
      </p>
      {done ? (
        <p role="status">{t('follow.completed')}</p>
      ) : (
        <CommandForm onSubmit={submit}>
          {sanctioning && (
            <SanctionFields id={id} declared={declared} value={sanction} onChange={setSanction} errors={errors} />
          )}
          <fieldset hidden={sanctioning}>
            <legend>{t('follow.outcome')}</legend>
            <label>
              <input type="radio" name={`${id}-outcome`} checked={outcome === 'ok'} onChange={() => setOutcome('ok')} />{' '}
              {t('follow.ok')}
            </label>
            <label>
              <input
                type="radio"
                name={`${id}-outcome`}
                checked={outcome === 'deviation'}
                onChange={() => setOutcome('deviation')}
              />{' '}
              {t('follow.deviation')}
            </label>
          </fieldset>
          <Field id={`${id}-note`} label={t('follow.note')} errors={errors.note}>
            {(p) => <textarea {...p} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
          </Field>
          {outcome === 'deviation' && (
            <>
              <Field id={`${id}-severity`} label={t('follow.severity')} errors={errors.severity}>
                {(p) => (
                  <select {...p} value={severity} onChange={(e) => setSeverity(e.target.value)}>
                    <option value="">{t('actions.choose')}</option>
                    {(['minor', 'major', 'critical'] as const).map((x) => (
                      <option key={x} value={x}>
                        {CHOICE_LABELS[locale][`severity.${x}`]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id={`${id}-corrective`} label={t('follow.correctiveDue')} errors={errors.correctiveDueDate}>
                {(p) => (
                  <input
                    {...p}
                    type="date"
                    value={correctiveDueDate}
                    onChange={(e) => setCorrectiveDueDate(e.target.value)}
                  />
                )}
              </Field>
            </>
          )}
          {filed && (
            <Field id={`${id}-reference`} label={t('follow.reference')} errors={errors.reference}>
              {(p) => <input {...p} value={reference} onChange={(e) => setReference(e.target.value)} />}
            </Field>
          )}
          {extension && (
            <>
              <Field id={`${id}-extend`} label={t('follow.extend')} errors={errors.extend}>
                {(p) => (
                  <select {...p} value={extend} onChange={(e) => setExtend(e.target.value as '' | 'yes' | 'no')}>
                    <option value="">{t('actions.choose')}</option>
                    <option value="yes">{t('follow.extendYes')}</option>
                    <option value="no">{t('follow.extendNo')}</option>
                  </select>
                )}
              </Field>
              {extend === 'yes' && (
                <Field id={`${id}-months`} label={t('follow.months')} errors={errors.months}>
                  {(p) => (
                    <input {...p} inputMode="numeric" value={months} onChange={(e) => setMonths(e.target.value)} />
                  )}
                </Field>
              )}
            </>
          )}
          {documents && (
            <fieldset>
              <legend>{t('daDoc.legend')}</legend>
              <Field
                id={`${id}-competition`}
                label={t('daDoc.competition')}
                errors={errors['directAwardDocumentation.competition']}
              >
                {(p) => (
                  <textarea
                    {...p}
                    rows={2}
                    value={record.competition}
                    onChange={(e) => setRecord({ ...record, competition: e.target.value })}
                  />
                )}
              </Field>
              <Field
                id={`${id}-suppliers`}
                label={t('daDoc.suppliers')}
                errors={errors['directAwardDocumentation.suppliersAsked'] ?? errors.directAwardDocumentation}
              >
                {(p) => (
                  <textarea
                    {...p}
                    rows={4}
                    value={record.suppliers}
                    onChange={(e) => setRecord({ ...record, suppliers: e.target.value })}
                  />
                )}
              </Field>
              <Field
                id={`${id}-winner`}
                label={t('daDoc.winner')}
                errors={errors['directAwardDocumentation.winner.name']}
              >
                {(p) => (
                  <input
                    {...p}
                    value={record.winner}
                    onChange={(e) => setRecord({ ...record, winner: e.target.value })}
                  />
                )}
              </Field>
              <Field
                id={`${id}-winner-org`}
                label={t('daDoc.winnerOrg')}
                errors={errors['directAwardDocumentation.winner.orgNumber']}
              >
                {(p) => (
                  <input
                    {...p}
                    value={record.winnerOrg}
                    onChange={(e) => setRecord({ ...record, winnerOrg: e.target.value })}
                  />
                )}
              </Field>
              <Field id={`${id}-reason`} label={t('daDoc.reason')} errors={errors['directAwardDocumentation.reason']}>
                {(p) => (
                  <textarea
                    {...p}
                    rows={2}
                    value={record.reason}
                    onChange={(e) => setRecord({ ...record, reason: e.target.value })}
                  />
                )}
              </Field>
            </fieldset>
          )}
          <button type="submit" disabled={busy}>
            {t('follow.complete')}
          </button>
          {problem && !problem.errors?.length && <ProblemBox problem={problem} />}
        </CommandForm>
      )}
    </article>
  );
}
