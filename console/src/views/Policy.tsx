import { useState } from 'react';
import { DEFAULT_POLICY_RULES } from '@tenderflow/domain/policy';
import { api } from '../api/client';
import type { Person } from '../auth';
import { FIELD_LABELS } from '../form-labels';
import { useI18n, type I18n, type Said } from '../i18n';
import { answerWords, fieldErrors } from '../logic';
import {
  draftOf,
  policyDiff,
  ruleKinds,
  rulesOf,
  type PolicyDraft,
  type PolicyInForce,
  type PolicyVersionItem,
  type RuleKind,
  type RuleValue,
  type Rules,
} from '../policy-diff';
import type { OpenApiDocument } from '../schema-form';
import { CommandForm, Field, Loading, ProblemBox, useCommand, useLoad } from '../ui';
import { openApi } from './Actions';

interface Verification {
  valid: boolean;
  events: number;
  head: string | null;
  brokenAt?: number;
  problem?: string;
}

/** Who may adopt a version (PUT /organizations/{org}/policy): a policy_admin of the organisation, or an administrator. */
export const mayChangePolicy = (person: Person) =>
  person.roles.includes('policy_admin') || person.roles.includes('admin');

/**
 * The organisation's procurement policy: the version in force with every rule and where it comes
 * from, the history, the policy chain's verification, and (for a policy administrator) a new
 * version edited rule by rule, shown as its change against the version in force before it is adopted.
 */
export function Policy({ person }: { person: Person }) {
  const { t } = useI18n();
  const org = person.org;
  const [n, setN] = useState(0);
  const [said, setSaid] = useState<string>();
  const loaded = useLoad(async () => {
    const path = { params: { path: { org } } };
    const [policy, versions, verify, doc] = await Promise.all([
      api.GET('/organizations/{org}/policy', path),
      api.GET('/organizations/{org}/policy/versions', path),
      api.GET('/organizations/{org}/policy/audit/verify', path),
      openApi(),
    ]);
    const error = policy.error ?? versions.error ?? verify.error;
    if (error) return { error };
    const current = policy.data as unknown as PolicyInForce;
    // What the organisation inherits: its nearest group's rules in force, or the defaults for a group of its own.
    const parent = current.inheritsFrom[current.inheritsFrom.length - 1]?.organization;
    let inherited: Rules = { ...DEFAULT_POLICY_RULES };
    if (parent) {
      const above = await api.GET('/organizations/{org}/policy', { params: { path: { org: parent } } });
      if (above.error) return { error: above.error };
      inherited = (above.data as unknown as PolicyInForce).rules;
    }
    return {
      data: {
        current,
        versions: (versions.data as unknown as { items: PolicyVersionItem[] }).items,
        verify: verify.data as unknown as Verification,
        doc,
        inherited,
      },
    };
  }, [org, n]);
  const data = loaded.data;
  return (
    <>
      <h1>{t('policy.title', { org })}</h1>
      <p role="status" className={said ? 'done' : 'visually-hidden'}>
        {said ?? ''}
      </p>
      <Loading loading={loaded.loading && !data} problem={loaded.problem}>
        {data && (
          <>
            <InForceSection current={data.current} kinds={ruleKinds(data.doc)} />
            <ChainSection verify={data.verify} />
            <HistorySection versions={data.versions} kinds={ruleKinds(data.doc)} />
            {mayChangePolicy(person) && (
              <NewVersion
                key={`${data.current.version}-${n}`}
                current={data.current}
                inherited={data.inherited}
                doc={data.doc}
                onAdopted={(v) => {
                  setSaid(v);
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

/** A rule's value in words: a threshold in kronor or off, yes or no, a number. */
export function ruleValue(i18n: I18n, kind: RuleKind | undefined, value: RuleValue | undefined): string {
  const { t, sek } = i18n;
  if (value === undefined) return '—';
  if (value === false && kind !== 'flag') return t('policy.off');
  if (typeof value === 'boolean') return t(value ? 'policy.yes' : 'policy.no');
  if (typeof value === 'number')
    return kind === 'sek' ? sek(value) : String(value).replace('.', i18n.locale === 'sv' ? ',' : '.');
  return value;
}

function useRuleWords() {
  const i18n = useI18n();
  return {
    label: (name: string) => FIELD_LABELS[i18n.locale][name] ?? name,
    value: (kind: RuleKind | undefined, v: RuleValue | undefined) => ruleValue(i18n, kind, v),
  };
}

function InForceSection({ current, kinds }: { current: PolicyInForce; kinds: { name: string; kind: RuleKind }[] }) {
  const { t, date } = useI18n();
  const words = useRuleWords();
  const source = (s: string | undefined) =>
    s === undefined || s === 'default'
      ? t('policy.sourceDefault')
      : s === current.organization
        ? t('policy.sourceOwn')
        : t('policy.sourceFrom', { org: s });
  return (
    <section aria-labelledby="in-force-h" data-testid="policy-in-force">
      <h2 id="in-force-h">{t('policy.inForce')}</h2>
      {current.version === 0 ? (
        <p>{t('policy.none', { org: current.organization })}</p>
      ) : (
        <dl className="inline">
          <dt>{t('policy.version')}</dt>
          <dd data-testid="policy-version">{current.version}</dd>
          <dt>{t('policy.validFrom')}</dt>
          <dd>{current.validFrom ? date(current.validFrom) : '—'}</dd>
          <dt>{t('policy.decidedBy')}</dt>
          <dd>{current.decidedBy?.name ?? '—'}</dd>
          <dt>{t('policy.reference')}</dt>
          <dd data-testid="policy-reference">{current.reference ?? '—'}</dd>
          <dt>{t('policy.pinned')}</dt>
          <dd>{current.policyVersion}</dd>
        </dl>
      )}
      <table>
        <caption>{t('policy.rules')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('policy.rule')}</th>
            <th scope="col">{t('policy.value')}</th>
            <th scope="col">{t('policy.source')}</th>
          </tr>
        </thead>
        <tbody>
          {kinds.map(({ name, kind }) => (
            <tr key={name} data-rule={name}>
              <th scope="row">{words.label(name)}</th>
              <td>{words.value(kind, current.rules[name])}</td>
              <td>{source(current.sources[name])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {current.categoryRules.length > 0 && (
        <>
          <h3>{t('policy.categoryRules')}</h3>
          <ul>
            {current.categoryRules.map((c) => (
              <li key={c.category}>
                <code>{c.category}</code>: <RuleList rules={c.rules} kinds={kinds} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The rules a version or a category sets, as one line. */
export function RuleList({ rules, kinds }: { rules: Rules; kinds: { name: string; kind: RuleKind }[] }) {
  const { t } = useI18n();
  const words = useRuleWords();
  const set = kinds.filter((k) => rules[k.name] !== undefined);
  if (set.length === 0) return <>{t('policy.noRules')}</>;
  return <>{set.map((k) => `${words.label(k.name)}: ${words.value(k.kind, rules[k.name])}`).join('; ')}</>;
}

function ChainSection({ verify }: { verify: Verification }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="chain-h">
      <h2 id="chain-h">{t('policy.chain')}</h2>
      <p data-testid="policy-chain" className={verify.valid ? undefined : 'problem'}>
        {verify.valid
          ? t('policy.chainValid', { events: verify.events })
          : t('policy.chainBroken', { at: verify.brokenAt ?? '?', problem: verify.problem ?? '' })}
      </p>
    </section>
  );
}

function HistorySection({
  versions,
  kinds,
}: {
  versions: PolicyVersionItem[];
  kinds: { name: string; kind: RuleKind }[];
}) {
  const { t, date } = useI18n();
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">{t('policy.history')}</h2>
      {versions.length === 0 ? (
        <p>{t('policy.noHistory')}</p>
      ) : (
        <table data-testid="policy-history">
          <thead>
            <tr>
              <th scope="col">{t('policy.version')}</th>
              <th scope="col">{t('policy.validFrom')}</th>
              <th scope="col">{t('policy.decidedBy')}</th>
              <th scope="col">{t('policy.reference')}</th>
              <th scope="col">{t('policy.historyRules')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <td>{v.version}</td>
                <td>{date(v.validFrom)}</td>
                <td>{v.decidedBy.name}</td>
                <td>{v.reference}</td>
                <td>
                  <RuleList rules={v.rules} kinds={kinds} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NewVersion({
  current,
  inherited,
  doc,
  onAdopted,
}: {
  current: PolicyInForce;
  inherited: Rules;
  doc: OpenApiDocument;
  onAdopted: (said: string) => void;
}) {
  const i18n = useI18n();
  const { t, explain, date } = i18n;
  const words = useRuleWords();
  const kinds = ruleKinds(doc);
  const [draft, setDraft] = useState<PolicyDraft>(() => draftOf(kinds, current.overrides));
  const [reference, setReference] = useState('');
  const { busy, problem, send } = useCommand();
  const say = answerWords(problem, explain);
  const errors = fieldErrors<Said>(problem, (e) => say(e.rule, e.message));
  const rules = rulesOf(kinds, draft);
  const changes = policyDiff(
    kinds.map((k) => k.name),
    inherited,
    current.overrides,
    rules,
  );
  const kindOf = Object.fromEntries(kinds.map((k) => [k.name, k.kind]));
  const next = current.version + 1;
  const parent = current.inheritsFrom[current.inheritsFrom.length - 1]?.organization;

  async function submit() {
    const body = {
      rules,
      // A version is whole: the categories' own rules go on as they are.
      ...(current.categoryRules.length ? { categoryRules: current.categoryRules } : {}),
      ...(reference.trim() ? { reference } : {}),
    };
    const r = await send(body, (b, key) =>
      api.PUT('/organizations/{org}/policy', {
        params: { path: { org: current.organization } },
        headers: { 'Idempotency-Key': key },
        body: b as never,
      }),
    );
    if (r.ok) {
      const adopted = r.data as unknown as PolicyInForce;
      onAdopted(
        t('policy.adopted', {
          version: adopted.version,
          date: adopted.validFrom ? date(adopted.validFrom) : '',
        }),
      );
    }
  }

  const set = (name: string, d: PolicyDraft[string]) => setDraft({ ...draft, [name]: d });
  return (
    <section aria-labelledby="new-version-h">
      <h2 id="new-version-h">
        {t('policy.newVersion')} ({next})
      </h2>
      <p>
        {t('policy.newIntro', {
          org: current.organization,
          from: parent ?? t('policy.fromDefaults'),
        })}
      </p>
      <CommandForm onSubmit={submit}>
        {problem && <ProblemBox problem={problem} title={problem.errors?.length ? t('policy.refused') : undefined} />}
        {kinds.map(({ name, kind }) => {
          const id = `rule-${name}`;
          const label = words.label(name);
          const d = draft[name];
          const inheritedValue = words.value(kind, inherited[name]);
          const fieldErrs = errors[`rules.${name}`];
          if (kind === 'flag' || kind === 'sek') {
            const choice = d.mode === 'inherit' ? '' : d.mode === 'off' ? 'off' : kind === 'flag' ? d.text : 'amount';
            return (
              <div key={name}>
                <Field id={id} label={label} errors={kind === 'flag' || d.mode !== 'set' ? fieldErrs : undefined}>
                  {(p) => (
                    <select
                      {...p}
                      value={choice}
                      onChange={(e) => {
                        const v = e.target.value;
                        set(
                          name,
                          v === ''
                            ? { mode: 'inherit', text: '' }
                            : v === 'off'
                              ? { mode: 'off', text: '' }
                              : v === 'amount'
                                ? { mode: 'set', text: d.mode === 'set' ? d.text : '' }
                                : { mode: 'set', text: v },
                        );
                      }}
                    >
                      <option value="">{t('policy.inherit', { value: inheritedValue })}</option>
                      {kind === 'flag' ? (
                        <>
                          <option value="yes">{t('policy.yes')}</option>
                          <option value="no">{t('policy.no')}</option>
                        </>
                      ) : (
                        <>
                          <option value="off">{t('policy.off')}</option>
                          <option value="amount">{t('policy.setAmount')}</option>
                        </>
                      )}
                    </select>
                  )}
                </Field>
                {kind === 'sek' && d.mode === 'set' && (
                  <Field id={`${id}-amount`} label={t('policy.amount', { rule: label })} errors={fieldErrs}>
                    {(p) => (
                      <input
                        {...p}
                        inputMode="numeric"
                        value={d.text}
                        onChange={(e) => set(name, { mode: 'set', text: e.target.value })}
                      />
                    )}
                  </Field>
                )}
              </div>
            );
          }
          return (
            <Field
              key={name}
              id={id}
              label={label}
              hint={t('policy.numberHint', { value: inheritedValue })}
              errors={fieldErrs}
            >
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={d.text}
                  onChange={(e) =>
                    set(name, { mode: e.target.value.trim() === '' ? 'inherit' : 'set', text: e.target.value })
                  }
                />
              )}
            </Field>
          );
        })}
        <section aria-labelledby="diff-h" data-testid="policy-diff">
          <h3 id="diff-h">{t('policy.diff', { version: current.version })}</h3>
          {changes.length === 0 ? (
            <p>{t('policy.diffNone')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('policy.rule')}</th>
                  <th scope="col">{t('policy.before')}</th>
                  <th scope="col">{t('policy.after')}</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((c) => (
                  <tr key={c.rule} data-rule={c.rule}>
                    <th scope="row">{words.label(c.rule)}</th>
                    <td>
                      <InForceWords kind={kindOf[c.rule]} value={c.before.value} own={c.before.own} />
                    </td>
                    <td>
                      <span aria-hidden="true">→ </span>
                      <InForceWords kind={kindOf[c.rule]} value={c.after.value} own={c.after.own} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {current.categoryRules.length > 0 && <p>{t('policy.carried')}</p>}
        </section>
        <Field id="policy-reference" label={t('policy.decision')} errors={errors.reference}>
          {(p) => <input {...p} value={reference} onChange={(e) => setReference(e.target.value)} />}
        </Field>
        <button type="submit" disabled={busy}>
          {t('policy.adopt', { version: next })}
        </button>
      </CommandForm>
    </section>
  );
}

function InForceWords({ kind, value, own }: { kind: RuleKind | undefined; value: RuleValue; own: boolean }) {
  const { t } = useI18n();
  const words = useRuleWords();
  const v = words.value(kind, value);
  return <>{own ? v : t('policy.inherited', { value: v })}</>;
}
