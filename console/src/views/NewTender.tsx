import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Person } from '../auth';
import { useI18n } from '../i18n';
import { answerWords, fieldErrors, withoutFieldName } from '../logic';
import { CommandForm, Field, Link, ProblemBox, navigate, useCommand } from '../ui';
import { initialValue, requestSchema, toPayload, type FormValue, type OpenApiDocument } from '../schema-form';
import { Fields, openApi, withoutFields } from './Actions';
import type { Said } from '../i18n';

const CONTRACT_TYPES = ['supplies', 'services', 'works', 'social_services', 'welfare_services'] as const;
/** The fields this form lays out itself; the rest of POST /tenders (procedure, invited bodies, options, …) come from the API's schema. */
const OWN_FIELDS = ['title', 'organization', 'category', 'contractType', 'estimatedValueSek', 'contractTermMonths'];

/** POST /tenders; the field errors are the API's own (400 errors[]), shown beside their fields. */
export function NewTender({ person }: { person: Person }) {
  const { t, term, explain } = useI18n();
  const [form, setForm] = useState({
    title: '',
    organization: person.org,
    category: '',
    contractType: 'supplies' as (typeof CONTRACT_TYPES)[number],
    estimatedValueSek: '',
    contractTermMonths: '24',
  });
  const { busy, problem, send } = useCommand();
  const say = answerWords(problem, explain);
  const errors = fieldErrors(problem, (e) => say(e.rule, withoutFieldName(e)));
  const [doc, setDoc] = useState<OpenApiDocument>();
  const [more, setMore] = useState<FormValue>({});
  useEffect(() => {
    openApi().then(
      (d) => {
        setDoc(d);
        const schema = withoutFields(requestSchema(d, '/tenders'), OWN_FIELDS);
        if (schema) setMore(initialValue(d, schema));
      },
      () => undefined,
    );
  }, []);
  const moreSchema = doc ? withoutFields(requestSchema(doc, '/tenders'), OWN_FIELDS) : undefined;
  const moreErrors: Record<string, Said[]> = {};
  for (const e of problem?.errors ?? []) (moreErrors[e.field] ??= []).push(say(e.rule, withoutFieldName(e)));
  async function submit() {
    const body = {
      ...(doc && moreSchema ? (toPayload(doc, moreSchema, more) as object) : {}),
      title: form.title,
      organization: form.organization,
      category: form.category,
      contractType: form.contractType,
      // Sent as typed: a value that is not a whole number comes back as the API's field error.
      estimatedValueSek: (form.estimatedValueSek === '' ? undefined : Number(form.estimatedValueSek)) as number,
      contractTermMonths: Number(form.contractTermMonths),
    };
    const r = await send(body, (b, key) =>
      api.POST('/tenders', { params: { header: { 'Idempotency-Key': key } }, body: b }),
    );
    if (r.ok) navigate(`/console/tenders/${(r.data as unknown as { id: string }).id}/needs-analysis`);
  }
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <>
      <h1>{t('new.title')}</h1>
      <CommandForm onSubmit={submit}>
        {problem && <ProblemBox problem={problem} title={problem.errors?.length ? t('new.fieldErrors') : undefined} />}
        <Field id="title" label={t('new.titleField')} errors={errors.title}>
          {(p) => <input {...p} value={form.title} onChange={set('title')} />}
        </Field>
        <Field id="organization" label={t('new.organization')} errors={errors.organization}>
          {(p) => <input {...p} value={form.organization} onChange={set('organization')} />}
        </Field>
        <Field id="category" label={t('new.category')} errors={errors.category}>
          {(p) => <input {...p} value={form.category} onChange={set('category')} />}
        </Field>
        <Field id="contractType" label={t('new.contractType')} errors={errors.contractType}>
          {(p) => (
            <select {...p} value={form.contractType} onChange={set('contractType')}>
              {CONTRACT_TYPES.map((c) => (
                <option key={c} value={c}>
                  {term(c)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="estimatedValueSek" label={t('new.value')} errors={errors.estimatedValueSek}>
          {(p) => (
            <input {...p} inputMode="numeric" value={form.estimatedValueSek} onChange={set('estimatedValueSek')} />
          )}
        </Field>
        <Field id="contractTermMonths" label={t('new.term')} errors={errors.contractTermMonths}>
          {(p) => (
            <input {...p} inputMode="numeric" value={form.contractTermMonths} onChange={set('contractTermMonths')} />
          )}
        </Field>
        {doc && moreSchema && (
          <details className="action">
            <summary>{t('new.more')}</summary>
            <Fields
              doc={doc}
              schema={moreSchema}
              value={more}
              onChange={setMore}
              path=""
              idBase="new"
              errors={moreErrors}
            />
          </details>
        )}
        <button type="submit" disabled={busy}>
          {t('new.submit')}
        </button>
      </CommandForm>
    </>
  );
}

/** POST /tenders/{id}/needs-analysis: the assessments the decision to procure needs. */
export function NeedsAnalysis({ id }: { id: string }) {
  const { t, term, explain } = useI18n();
  const [form, setForm] = useState({
    need: '',
    notApplicableReason: '',
    laborRequired: false,
    laborJustification: '',
    criticality: 'low' as 'low' | 'medium' | 'high' | 'critical',
    lotJustification: '',
  });
  const [done, setDone] = useState(false);
  const { busy, problem, send } = useCommand();
  const say = answerWords(problem, explain);
  const errors = fieldErrors(problem, (e) => say(e.rule, withoutFieldName(e)));
  async function submit() {
    const body = {
      ...(form.need ? { need: form.need } : {}),
      sustainability: { notApplicableReason: form.notApplicableReason } as never,
      // Left out when not filled in: the API then says whether the law asks for it (17 kap. 2 § LOU above the threshold).
      ...(form.laborJustification
        ? { laborConditions: { required: form.laborRequired, justification: form.laborJustification } }
        : {}),
      supplyPreparedness: { criticality: form.criticality },
      ...(form.lotJustification ? { lotJustification: form.lotJustification } : {}),
    };
    const r = await send(body, (b, key) =>
      api.POST('/tenders/{id}/needs-analysis', {
        params: { path: { id }, header: { 'Idempotency-Key': key } },
        body: b,
      }),
    );
    if (r.ok) setDone(true);
  }
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  if (done)
    return (
      <>
        <h1>{t('needs.title')}</h1>
        <p role="status">{t('needs.done')}</p>
        <p>
          <Link to={`/console/tenders/${id}`}>{id}</Link>
        </p>
      </>
    );
  return (
    <>
      <h1>
        {t('needs.title')} — {id}
      </h1>
      <CommandForm onSubmit={submit}>
        {problem && <ProblemBox problem={problem} title={problem.errors?.length ? t('new.fieldErrors') : undefined} />}
        <Field id="need" label={t('needs.need')} errors={errors.need}>
          {(p) => <textarea {...p} rows={3} value={form.need} onChange={set('need')} />}
        </Field>
        <Field id="notApplicableReason" label={t('needs.sustainabilityNA')} errors={errors.sustainability}>
          {(p) => <textarea {...p} rows={2} value={form.notApplicableReason} onChange={set('notApplicableReason')} />}
        </Field>
        <div className="field checkbox">
          <input
            id="laborRequired"
            type="checkbox"
            checked={form.laborRequired}
            onChange={(e) => setForm({ ...form, laborRequired: e.target.checked })}
          />
          <label htmlFor="laborRequired">{t('needs.laborRequired')}</label>
        </div>
        <Field id="laborJustification" label={t('needs.laborJustification')} errors={errors.laborConditions}>
          {(p) => <input {...p} value={form.laborJustification} onChange={set('laborJustification')} />}
        </Field>
        <Field id="criticality" label={t('needs.criticality')} errors={errors.supplyPreparedness}>
          {(p) => (
            <select {...p} value={form.criticality} onChange={set('criticality')}>
              {(['low', 'medium', 'high', 'critical'] as const).map((c) => (
                <option key={c} value={c}>
                  {term(`criticality.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="lotJustification"
          label={t('needs.lotJustification')}
          errors={[...(errors.lotJustification ?? []), ...(errors.lots ?? [])]}
        >
          {(p) => <textarea {...p} rows={2} value={form.lotJustification} onChange={set('lotJustification')} />}
        </Field>
        <button type="submit" disabled={busy}>
          {t('needs.submit')}
        </button>
      </CommandForm>
    </>
  );
}
