import { useState } from 'react';
import { api, type Problem } from '../api/client';
import { deadlineBasis } from '../event-words';
import { ACTION_LABELS, CHOICE_LABELS, FIELD_LABELS } from '../form-labels';
import { useI18n, type Said } from '../i18n';
import { answerWords, withoutFieldName } from '../logic';
import {
  initialValue,
  inputKind,
  requestSchema,
  resolve,
  templateOf,
  toPayload,
  type FormObject,
  type FormValue,
  type JsonSchema,
  type OpenApiDocument,
} from '../schema-form';
import type { GateAuthority, TenderState } from '@tenderflow/temporal-common/tender-types';
import { AuthorityNote } from './Delegated';
import { CommandForm, Field, Link, Loading, ProblemBox, useCommand, useLoad } from '../ui';

type Action = {
  command: string;
  method: 'POST';
  path: string;
  gate?: string;
  authority?: GateAuthority;
  organization?: string;
  due?: { kind: string; lastDay: string; at: string; basis: string };
};
type Actions = { actions: Action[]; nextDeadline: Action['due'] | null };

/** What an invited body sees of a tender (GET /tenders/{id} answers `view: 'partner'`). */
export interface PartnerView {
  view: 'partner';
  id: string;
  title: string;
  organization: string;
  category: string;
  estimatedValueSek: number;
  phase: string;
  invitation: {
    organization: string;
    name: string;
    status: string;
    estimatedVolume?: string;
    mandateReference?: string;
    declineReason?: string;
    responseDeadline: string | null;
  };
}

/** What the forms need of a tender: its id and version, and the questions and reviews a command names. */
export type ActionsTender = Pick<TenderState, 'id' | 'version'> &
  Partial<Pick<TenderState, 'questions' | 'reviews' | 'requirements'>>;

/** The API's OpenAPI document, fetched once per page load (the console is served by the same API). */
let contract: Promise<OpenApiDocument> | undefined;
export function openApi(): Promise<OpenApiDocument> {
  contract ??= fetch('/docs-json').then((r) => {
    if (!r.ok) throw new Error(`GET /docs-json: ${r.status}`);
    return r.json() as Promise<OpenApiDocument>;
  });
  return contract;
}

/**
 * "What do I do now": the commands the signed-in person may send to the tender now (GET
 * /tenders/{id}/actions, from the rules the API and the workflow apply), each as a form built from
 * the API's request schema, with the deadline it is due by; and the tender's next deadline.
 */
export function TenderActions({ state, onDone }: { state: ActionsTender; onDone: () => void }) {
  const { t, term, locale } = useI18n();
  const [n, setN] = useState(0);
  // What the person last did here: it stays said after its form has gone (the action is no longer open).
  const [said, setSaid] = useState<string>();
  const loaded = useLoad(async () => {
    const [actions, doc] = await Promise.all([
      api.GET('/tenders/{id}/actions', { params: { path: { id: state.id } } }),
      openApi(),
    ]);
    return actions.error ? { error: actions.error } : { data: { ...(actions.data as Actions), doc } };
  }, [state.id, state.version, n]);
  const data = loaded.data;
  return (
    <section aria-labelledby="actions-h">
      <h2 id="actions-h">{t('actions.title')}</h2>
      <p role="status" className={said ? 'done' : 'visually-hidden'}>
        {said ? t('actions.doneWhat', { what: said }) : ''}
      </p>
      <Loading loading={loaded.loading && !data} problem={loaded.problem}>
        {data?.nextDeadline && (
          <p data-testid="next-deadline">
            {t('actions.next', {
              kind: term(data.nextDeadline.kind),
              lastDay: data.nextDeadline.lastDay,
              basis: deadlineBasis(data.nextDeadline.basis, locale),
            })}
          </p>
        )}
        {data?.actions.length ? (
          <ul className="todo">
            {data.actions.map((a) => (
              <li key={`${a.command}-${a.gate ?? ''}-${a.organization ?? ''}`}>
                <ActionForm
                  action={a}
                  doc={data.doc}
                  state={state}
                  onStart={() => setSaid(undefined)}
                  onDone={(what) => {
                    setSaid(what);
                    setN((x) => x + 1);
                    onDone();
                  }}
                />
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('actions.none')}</p>
        )}
      </Loading>
    </section>
  );
}

function ActionForm({
  action,
  doc,
  state,
  onStart,
  onDone,
}: {
  action: Action;
  doc: OpenApiDocument;
  state: ActionsTender;
  onStart: () => void;
  onDone: (what: string) => void;
}) {
  const { t, term, locale, explain } = useI18n();
  const template = templateOf(doc, action.path);
  const schema = withoutFields(template ? requestSchema(doc, template) : undefined, hiddenFields(action));
  const [value, setValue] = useState<FormValue>(() => (schema ? initialValue(doc, schema) : {}));
  const [target, setTarget] = useState('');
  const [done, setDone] = useState(false);
  const { busy, problem, send } = useCommand();
  const title = `${ACTION_LABELS[locale][action.command] ?? action.command}${action.gate ? `: ${term(action.gate)}` : ''}`;
  const id = `act-${action.command}-${action.gate ?? ''}`;
  const targets =
    action.command === 'answerQuestion'
      ? (state.questions ?? []).filter((q) => !q.answeredAt).map((q) => q.id)
      : action.command === 'recordRuling'
        ? (state.reviews ?? []).filter((r) => r.status === 'pending').map((r) => r.id)
        : action.command === 'withdrawRequirement'
          ? (state.requirements ?? []).filter((r) => !r.withdrawn).map((r) => r.id)
          : undefined;
  const errors: Record<string, Said[]> = {};
  // An answer in Swedish is not marked as English; the field's code before its message is the form's label.
  const say = answerWords(problem, explain);
  for (const e of problem?.errors ?? []) (errors[e.field] ??= []).push(say(e.rule, withoutFieldName(e)));

  async function submit() {
    if (!schema) return;
    onStart();
    const path = action.path
      .replace('{qid}', target || targets?.[0] || '')
      .replace('{rid}', target || targets?.[0] || '');
    const body = toPayload(doc, schema, value);
    const r = await send(body, (b, key) => fetchCommand(path, b, key));
    if (r.ok) {
      setDone(true);
      onDone(title);
    }
  }

  return (
    <details className="action" open={action.command === 'decideGate' || action.command === 'respondToInvitation'}>
      <summary>
        <strong>{title}</strong>
        {action.due && (
          <>
            {' — '}
            {t('actions.due', { lastDay: action.due.lastDay })} ({deadlineBasis(action.due.basis, locale)})
          </>
        )}
      </summary>
      {action.authority && <AuthorityNote a={action.authority} />}
      {action.command === 'completeNeedsAnalysis' ? (
        <p>
          <Link to={`/console/tenders/${state.id}/needs-analysis`}>{t('needs.title')}</Link>
        </p>
      ) : done ? (
        <p role="status">{t('actions.done')}</p>
      ) : schema ? (
        <CommandForm onSubmit={submit}>
          {targets && (
            <Field
              id={`${id}-target`}
              label={t(action.command === 'answerQuestion' ? 'actions.question' : 'actions.review')}
            >
              {(p) => (
                <select {...p} value={target || targets[0]} onChange={(e) => setTarget(e.target.value)}>
                  {targets.map((x) => (
                    <option key={x} value={x}>
                      {x}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <Fields doc={doc} schema={schema} value={value} onChange={setValue} path="" idBase={id} errors={errors} />
          <button type="submit" disabled={busy}>
            {t('actions.send')}
          </button>
          {problem && <ProblemBox problem={{ ...problem, errors: unshown(problem, errors, value) }} />}
        </CommandForm>
      ) : null}
    </details>
  );
}

/** Fields of a request body that do not apply to this action: how the award notice is sent is the award decision's alone. */
function hiddenFields(action: Action): string[] {
  return action.command === 'decideGate' && action.gate !== 'award_decision' ? ['noticeChannel'] : [];
}

export function withoutFields(schema: JsonSchema | undefined, hidden: string[]): JsonSchema | undefined {
  if (!schema || hidden.length === 0) return schema;
  const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => !hidden.includes(k)));
  return { ...schema, properties };
}

/** The field errors no field of the form shows (a field the form does not have, or the body as a whole). */
function unshown(problem: Problem, _errors: Record<string, Said[]>, value: FormValue): Problem['errors'] {
  const shown = new Set<string>();
  const walk = (v: FormValue, path: string) => {
    if (path) shown.add(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}.${i}`));
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(value, '');
  return problem.errors?.filter((e) => !shown.has(e.field));
}

/** A command's POST with its Idempotency-Key: the route is the API's own answer (GET /tenders/{id}/actions), already filled in. */
async function fetchCommand(path: string, body: unknown, key: string): Promise<{ data?: unknown; error?: unknown }> {
  const post = api.POST as unknown as (
    path: string,
    init: { params: { header: Record<string, string> }; body: unknown },
  ) => Promise<{ data?: unknown; error?: unknown }>;
  return post(path, { params: { header: { 'Idempotency-Key': key } }, body });
}

/** The inputs of an object schema, each labelled from form-labels.ts, with the API's errors at their paths. */
export function Fields({
  doc,
  schema,
  value,
  onChange,
  path,
  idBase,
  errors,
}: {
  doc: OpenApiDocument;
  schema: JsonSchema;
  value: FormValue;
  onChange: (v: FormValue) => void;
  path: string;
  idBase: string;
  errors: Record<string, Said[]>;
}) {
  const s = resolve(doc, schema);
  const v = (value ?? {}) as FormObject;
  return (
    <>
      {Object.entries(s.properties ?? {}).map(([name, sub]) => (
        <Input
          key={name}
          doc={doc}
          name={name}
          schema={sub}
          required={s.required?.includes(name) ?? false}
          value={v[name]}
          onChange={(x) => onChange({ ...v, [name]: x })}
          path={path ? `${path}.${name}` : name}
          idBase={idBase}
          errors={errors}
        />
      ))}
    </>
  );
}

function Input({
  doc,
  name,
  schema,
  required,
  value,
  onChange,
  path,
  idBase,
  errors,
}: {
  doc: OpenApiDocument;
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: FormValue | undefined;
  onChange: (v: FormValue) => void;
  path: string;
  idBase: string;
  errors: Record<string, Said[]>;
}) {
  const { t, locale } = useI18n();
  const s = resolve(doc, schema);
  const kind = inputKind(s, required);
  // A field inside a list or group may have a label of its own there (`sanctions.kind`), else its name's.
  const own = FIELD_LABELS[locale][path.replace(/\.\d+(?=\.|$)/g, '')] ?? FIELD_LABELS[locale][name] ?? name;
  const label = `${own}${required ? ` ${t('actions.required')}` : ''}`;
  const id = `${idBase}-${path.replace(/\./g, '-')}`;
  const fieldErrors = errors[path];
  if (kind === 'group') {
    return (
      <fieldset>
        <legend>{label}</legend>
        {fieldErrors && <FieldProblem id={`${id}-error`} said={fieldErrors} />}
        <Fields
          doc={doc}
          schema={s}
          value={value ?? {}}
          onChange={onChange}
          path={path}
          idBase={idBase}
          errors={errors}
        />
      </fieldset>
    );
  }
  if (kind === 'list') {
    const rows = Array.isArray(value) ? value : [];
    const item = resolve(doc, s.items);
    const what = own;
    return (
      <fieldset>
        <legend>{label}</legend>
        {fieldErrors && <FieldProblem id={`${id}-error`} said={fieldErrors} />}
        {rows.map((row, i) => (
          <fieldset key={i} className="row">
            <legend>{t('actions.row', { what, n: i + 1 })}</legend>
            <Fields
              doc={doc}
              schema={item}
              value={row}
              onChange={(x) => onChange(rows.map((r, j) => (j === i ? x : r)))}
              path={`${path}.${i}`}
              idBase={idBase}
              errors={errors}
            />
            <button type="button" className="secondary" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              {t('actions.remove', { n: i + 1 })}
            </button>
          </fieldset>
        ))}
        <button type="button" className="secondary" onClick={() => onChange([...rows, initialValue(doc, item)])}>
          {t('actions.add', { what })}
        </button>
      </fieldset>
    );
  }
  if (kind === 'check') {
    return (
      <div className={`field check${fieldErrors ? ' invalid' : ''}`}>
        <input
          id={id}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={fieldErrors ? `${id}-error` : undefined}
        />{' '}
        <label htmlFor={id}>{label}</label>
        {fieldErrors && <FieldProblem id={`${id}-error`} said={fieldErrors} />}
      </div>
    );
  }
  const text = typeof value === 'string' ? value : '';
  return (
    <Field id={id} label={label} errors={fieldErrors} hint={kind === 'lines' ? t('actions.lines') : undefined}>
      {(p) =>
        kind === 'choice' ? (
          <select {...p} value={text} onChange={(e) => onChange(e.target.value)}>
            <option value="">{t('actions.choose')}</option>
            {(s.enum ?? []).map((c) => (
              <option key={String(c)} value={String(c)}>
                {CHOICE_LABELS[locale][`${name}.${c}`] ?? String(c)}
              </option>
            ))}
          </select>
        ) : kind === 'yesno' ? (
          <select {...p} value={text} onChange={(e) => onChange(e.target.value)}>
            <option value="">—</option>
            <option value="yes">{t('actions.yes')}</option>
            <option value="no">{t('actions.no')}</option>
          </select>
        ) : kind === 'textarea' || kind === 'lines' ? (
          <textarea {...p} rows={kind === 'lines' ? 3 : 4} value={text} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input
            {...p}
            type={kind === 'date' ? 'date' : kind === 'datetime' ? 'datetime-local' : 'text'}
            inputMode={kind === 'number' ? 'decimal' : undefined}
            value={text}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

function FieldProblem({ id, said }: { id: string; said: Said[] }) {
  return (
    <p id={id} className="error">
      {said.map((x) => x.text).join(' ')}
    </p>
  );
}
