import { useState } from 'react';
import { api } from '../api/client';
import { CHOICE_LABELS } from '../form-labels';
import { useI18n } from '../i18n';
import { answerWords, contractChangeBody, fieldErrors, withoutFieldName } from '../logic';
import type { ContractState, RegisterChangePayload } from '@tenderflow/temporal-common/contract-types';
import { CommandForm, Field, ProblemBox, ScrollTable, useCommand } from '../ui';
import { fetchFile, save } from './Downloads';

const GROUNDS = [
  'low_value',
  'review_clause',
  'additional',
  'unforeseen',
  'supplier_succession',
  'not_substantial',
] as const;
const TESTS = ['changesCompetition', 'favoursSupplier', 'extendsScope', 'replacesSupplier'] as const;

/**
 * The contract's changes under 17 kap. LOU (issue 31): each with its ground and paragraph, the value
 * before and after, and the notice 17 kap. 16 § made due; and the form that registers one, which
 * asks what the chosen ground needs. The API checks the change against the paragraph and names the
 * rule when it refuses.
 */
export function ContractChanges({ contract: c, onChanged }: { contract: ContractState; onChanged: () => void }) {
  const { t, sek, locale } = useI18n();
  const changes = c.changes ?? [];
  return (
    <section aria-labelledby="changes-h">
      <h2 id="changes-h">{t('contract.changes')}</h2>
      {changes.length ? (
        <ScrollTable label={t('contract.changes')}>
          <table data-testid="contract-changes">
            <caption className="visually-hidden">{t('contract.changes')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('contract.changeId')}</th>
                <th scope="col">{t('contract.changeGround')}</th>
                <th scope="col">{t('contract.changeValue')}</th>
                <th scope="col">{t('contract.changeValueAfter')}</th>
                <th scope="col">{t('contract.changeDescription')}</th>
                <th scope="col">{t('contract.changeNotice')}</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((x) => (
                <tr key={x.id}>
                  <td>{x.id}</td>
                  <td>{CHOICE_LABELS[locale][`ground.${x.ground}`]}</td>
                  <td>{sek(x.valueChangeSek)}</td>
                  <td>{sek(x.valueAfterSek)}</td>
                  <td>
                    {x.description}
                    {x.newSupplier ? ` (${x.newSupplier})` : ''}
                  </td>
                  <td>{x.noticeMilestoneId ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : (
        <p>{t('common.none')}</p>
      )}
      {c.status === 'active' && <ChangeForm contract={c} onChanged={onChanged} />}
    </section>
  );
}

function ChangeForm({ contract: c, onChanged }: { contract: ContractState; onChanged: () => void }) {
  const { t, explain, locale } = useI18n();
  const [form, setForm] = useState({
    ground: 'low_value' as string,
    valueChangeSek: '',
    overallNatureChanged: false,
    description: '',
    clauseReference: '',
    newSupplier: '',
    substantial: { changesCompetition: false, favoursSupplier: false, extendsScope: false, replacesSupplier: false },
  });
  const [done, setDone] = useState(false);
  const { busy, problem, send } = useCommand();
  const say = answerWords(problem, explain);
  const errors = fieldErrors(problem, (e) => say(e.rule, withoutFieldName(e)));
  const id = `change-${c.id}`;
  async function submit() {
    const body = contractChangeBody(form) as unknown as RegisterChangePayload;
    const r = await send(body, (body, key) =>
      api.POST('/contracts/{id}/changes', {
        params: { path: { id: c.id }, header: { 'Idempotency-Key': key } },
        body,
      }),
    );
    if (r.ok) {
      setDone(true);
      onChanged();
    }
  }
  return (
    <CommandForm onSubmit={submit}>
      <h3>{t('contract.changeRegister')}</h3>
      {done && <p role="status">{t('contract.changeRegistered')}</p>}
      <Field id={`${id}-ground`} label={t('contract.changeGround')} errors={errors.ground}>
        {(p) => (
          <select {...p} value={form.ground} onChange={(e) => setForm({ ...form, ground: e.target.value })}>
            {GROUNDS.map((g) => (
              <option key={g} value={g}>
                {CHOICE_LABELS[locale][`ground.${g}`]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id={`${id}-value`}
        label={t('contract.changeValue')}
        hint={t('contract.changeValueHint')}
        errors={errors.valueChangeSek}
      >
        {(p) => (
          <input
            {...p}
            inputMode="numeric"
            value={form.valueChangeSek}
            onChange={(e) => setForm({ ...form, valueChangeSek: e.target.value })}
          />
        )}
      </Field>
      <Field id={`${id}-description`} label={t('contract.changeDescription')} errors={errors.description}>
        {(p) => (
          <textarea
            {...p}
            rows={2}
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.target.value })}
          />
        )}
      </Field>
      <label>
        <input
          type="checkbox"
          checked={form.overallNatureChanged}
          onChange={(e) => setForm({ ...form, overallNatureChanged: e.target.checked })}
        />{' '}
        {t('contract.changeNature')}
      </label>
      {form.ground === 'review_clause' && (
        <Field id={`${id}-clause`} label={t('contract.changeClause')} errors={errors.clauseReference}>
          {(p) => (
            <input
              {...p}
              value={form.clauseReference}
              onChange={(e) => setForm({ ...form, clauseReference: e.target.value })}
            />
          )}
        </Field>
      )}
      {form.ground === 'supplier_succession' && (
        <Field id={`${id}-successor`} label={t('contract.changeSuccessor')} errors={errors.newSupplier}>
          {(p) => (
            <input
              {...p}
              value={form.newSupplier}
              onChange={(e) => setForm({ ...form, newSupplier: e.target.value })}
            />
          )}
        </Field>
      )}
      {form.ground === 'not_substantial' && (
        <fieldset>
          <legend>{t('contract.changeSubstantial')}</legend>
          {TESTS.map((k) => (
            <label key={k}>
              <input
                type="checkbox"
                checked={form.substantial[k]}
                onChange={(e) => setForm({ ...form, substantial: { ...form.substantial, [k]: e.target.checked } })}
              />{' '}
              {t(`contract.${k}`)}
            </label>
          ))}
        </fieldset>
      )}
      <button type="submit" disabled={busy}>
        {t('contract.changeRegister')}
      </button>
      {problem && <ProblemBox problem={problem} />}
    </CommandForm>
  );
}

/** The follow-up report as of a day (today by default), as a PDF in Swedish or as JSON. */
export function FollowUpReportDownload({ contractId }: { contractId: string }) {
  const { t } = useI18n();
  const [asOf, setAsOf] = useState('');
  const [problem, setProblem] = useState<string>();
  async function download(format: 'pdf' | 'json') {
    setProblem(undefined);
    const query = `format=${format}${asOf ? `&asOf=${encodeURIComponent(asOf)}` : ''}`;
    try {
      const blob = await fetchFile(`/contracts/${encodeURIComponent(contractId)}/follow-up-report?${query}`);
      save(blob, `uppfoljningsrapport-${contractId}${asOf ? `-${asOf}` : ''}.${format}`);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }
  return (
    <section aria-labelledby="report-h">
      <h2 id="report-h">{t('contract.report')}</h2>
      <label htmlFor={`report-${contractId}-asof`}>{t('contract.reportAsOf')}</label>{' '}
      <input id={`report-${contractId}-asof`} type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} />{' '}
      <button type="button" onClick={() => void download('pdf')}>
        {t('contract.reportPdf')}
      </button>{' '}
      <button type="button" onClick={() => void download('json')}>
        {t('contract.reportJson')}
      </button>
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}
