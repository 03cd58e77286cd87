import { useState } from 'react';
import { api } from '../api/client';
import type { Person } from '../auth';
import { useI18n, type Said } from '../i18n';
import { answerWords } from '../logic';
import { ruleKinds, type Rules } from '../policy-diff';
import { initialValue, requestSchema, toPayload, type FormValue, type OpenApiDocument } from '../schema-form';
import { CommandForm, Field, Loading, ProblemBox, useCommand, useLoad } from '../ui';
import { Fields, openApi } from './Actions';
import { mayChangePolicy, RuleList } from './Policy';

interface Category {
  code: string;
  name: string;
  manager: { sub: string; name: string } | null;
  /** The rules the organisation's policy sets for this category. */
  overrides: Rules;
  rules: Rules;
  sources: Record<string, string>;
}

const SAVE = '/organizations/{org}/categories/{code}';

/**
 * The organisation's categories (category management), each with its category manager and the
 * rules its policy sets for it; a policy administrator registers or changes one (name and manager,
 * the form built from the API's schema of PUT /organizations/{org}/categories/{code}).
 */
export function Categories({ person }: { person: Person }) {
  const { t } = useI18n();
  const org = person.org;
  const [n, setN] = useState(0);
  const [said, setSaid] = useState<string>();
  const [editing, setEditing] = useState<Category>();
  const loaded = useLoad(async () => {
    const [list, doc] = await Promise.all([
      api.GET('/organizations/{org}/categories', { params: { path: { org } } }),
      openApi(),
    ]);
    return list.error
      ? { error: list.error }
      : { data: { items: (list.data as unknown as { items: Category[] }).items, doc } };
  }, [org, n]);
  const data = loaded.data;
  return (
    <>
      <h1>{t('categories.title', { org })}</h1>
      <p role="status" className={said ? 'done' : 'visually-hidden'}>
        {said ?? ''}
      </p>
      <Loading loading={loaded.loading && !data} problem={loaded.problem}>
        {data && (
          <>
            {data.items.length === 0 ? (
              <p>{t('categories.none')}</p>
            ) : (
              <table data-testid="categories">
                <thead>
                  <tr>
                    <th scope="col">{t('categories.code')}</th>
                    <th scope="col">{t('categories.name')}</th>
                    <th scope="col">{t('categories.manager')}</th>
                    <th scope="col">{t('categories.rules')}</th>
                    {mayChangePolicy(person) && (
                      <th scope="col">
                        <span className="visually-hidden">{t('categories.edit')}</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((c) => (
                    <tr key={c.code} data-code={c.code}>
                      <td>
                        <code>{c.code}</code>
                      </td>
                      <td>{c.name}</td>
                      <td>{c.manager ? `${c.manager.name} (${c.manager.sub})` : t('categories.noManager')}</td>
                      <td>
                        {Object.keys(c.overrides).length ? (
                          <RuleList rules={c.overrides} kinds={ruleKinds(data.doc)} />
                        ) : (
                          t('categories.noRules')
                        )}
                      </td>
                      {mayChangePolicy(person) && (
                        <td>
                          <button
                            type="button"
                            className="secondary"
                            aria-label={t('categories.editWhat', { code: c.code })}
                            onClick={() => {
                              setSaid(undefined);
                              setEditing(c);
                            }}
                          >
                            {t('categories.edit')}
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {mayChangePolicy(person) && (
              <CategoryForm
                key={editing?.code ?? ''}
                org={org}
                doc={data.doc}
                editing={editing}
                onSaved={(code) => {
                  setSaid(t('categories.saved', { code }));
                  setEditing(undefined);
                  setN((x) => x + 1);
                }}
              />
            )}
          </>
        )}
      </Loading>
    </>
  );
}

function CategoryForm({
  org,
  doc,
  editing,
  onSaved,
}: {
  org: string;
  doc: OpenApiDocument;
  editing?: Category;
  onSaved: (code: string) => void;
}) {
  const { t, explain } = useI18n();
  const schema = requestSchema(doc, SAVE, 'put');
  const [code, setCode] = useState(editing?.code ?? '');
  const [value, setValue] = useState<FormValue>(() =>
    editing
      ? { name: editing.name, manager: editing.manager ?? { sub: '', name: '' } }
      : schema
        ? initialValue(doc, schema)
        : {},
  );
  const { busy, problem, send } = useCommand();
  const say = answerWords(problem, explain);
  const errors: Record<string, Said[]> = {};
  for (const e of problem?.errors ?? []) (errors[e.field] ??= []).push(say(e.rule, e.message));
  if (!schema) return null;

  async function submit() {
    const body = toPayload(doc, schema!, value);
    // An empty code goes as a blank segment (an empty one would be another route): the API's 400 names the field.
    const r = await send({ code: code || ' ', body }, (b, key) =>
      api.PUT(SAVE, {
        params: { path: { org, code: b.code } },
        headers: { 'Idempotency-Key': key },
        body: b.body as never,
      }),
    );
    if (r.ok) onSaved(code);
  }

  return (
    <section aria-labelledby="category-form-h">
      <h2 id="category-form-h">{t('categories.form')}</h2>
      <CommandForm onSubmit={submit}>
        {problem && (
          <ProblemBox problem={problem} title={problem.errors?.length ? t('categories.refused') : undefined} />
        )}
        <Field id="category-code" label={t('categories.code')} hint={t('categories.codeHint')} errors={errors.code}>
          {(p) => <input {...p} value={code} onChange={(e) => setCode(e.target.value)} />}
        </Field>
        <Fields doc={doc} schema={schema} value={value} onChange={setValue} path="" idBase="category" errors={errors} />
        <button type="submit" disabled={busy}>
          {t('categories.save')}
        </button>
      </CommandForm>
    </section>
  );
}
