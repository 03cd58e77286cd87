import type { DelegationItem } from '@tenderflow/domain/delegation';
import { api } from '../api/client';
import type { Person } from '../auth';
import type { Key } from '../i18n-tables';
import { useI18n, type I18n, type Said } from '../i18n';
import { useState } from 'react';
import { answerWords } from '../logic';
import { CommandForm, Field, Loading, ProblemBox, useCommand, useLoad } from '../ui';
import { mayChangePolicy } from './Policy';

interface DelegationOrderInForce {
  organization: string;
  version: number;
  validFrom: string | null;
  reference: string | null;
  items: DelegationItem[];
}

/** An item's limit in words: kronor, prisbasbelopp, or none. */
function limitWords({ t, sek, locale }: I18n, limit: DelegationItem['limit']): string {
  if (!limit) return t('delegation.noLimit');
  if ('sek' in limit) return sek(limit.sek);
  return t('delegation.prisbasbelopp', {
    value: limit.prisbasbelopp.toLocaleString(locale === 'sv' ? 'sv-SE' : 'en-GB'),
  });
}

/**
 * The organisation's delegation order in force, read-only (issue 29): each item with its decision in
 * words, the function it is delegated to, the limit, who stands in, and whether it is reported to
 * the board. Adopted through PUT /organizations/{org}/delegation-order.
 */
export function DelegationOrder({ person }: { person: Person }) {
  const i18n = useI18n();
  const { t } = i18n;
  const org = person.org;
  const [n, setN] = useState(0);
  // Said here, not in the editor: the editor is made anew for the version just adopted.
  const [said, setSaid] = useState<string>();
  const loaded = useLoad(async () => {
    const res = await api.GET('/organizations/{org}/delegation-order', { params: { path: { org } } });
    return res.error ? { error: res.error } : { data: res.data as unknown as DelegationOrderInForce };
  }, [org, n]);
  const order = loaded.data;
  return (
    <>
      <h1>{t('delegation.title', { org })}</h1>
      <p role="status" className={said ? 'done' : 'visually-hidden'}>
        {said ?? ''}
      </p>
      <Loading loading={loaded.loading && !order} problem={loaded.problem}>
        {order &&
          (order.version === 0 ? (
            <p>{t('delegation.none')}</p>
          ) : (
            <>
              <p data-testid="delegation-in-force">
                {t('delegation.inForce', {
                  version: order.version,
                  date: order.validFrom ? i18n.date(order.validFrom) : '—',
                  reference: order.reference ?? '—',
                })}
              </p>
              <table data-testid="delegation-items">
                <thead>
                  <tr>
                    <th scope="col">{t('delegation.id')}</th>
                    <th scope="col">{t('delegation.decision')}</th>
                    <th scope="col">{t('delegation.delegate')}</th>
                    <th scope="col">{t('delegation.limit')}</th>
                    <th scope="col">{t('delegation.substitute')}</th>
                    <th scope="col">{t('delegation.reportToBoard')}</th>
                  </tr>
                </thead>
                <tbody>
                  {order.items.map((item) => (
                    <tr key={item.id} data-id={item.id}>
                      <td>{item.id}</td>
                      <td>
                        {t(`delegation.decision.${item.decision}` as Key)}
                        {item.conditions && (
                          <small>
                            <br />
                            {t('delegation.conditions', {
                              conditions: [
                                ...(item.conditions.categories ?? []),
                                ...(item.conditions.regimes ?? []).map((r) => i18n.term(r)),
                                ...(item.conditions.procedures ?? []).map((p) => i18n.term(p)),
                              ].join(', '),
                            })}
                          </small>
                        )}
                      </td>
                      <td>
                        {item.delegate}
                        {item.furtherDelegation?.allowed && (
                          <small>
                            <br />
                            {t('delegation.further', { to: (item.furtherDelegation.to ?? []).join(', ') })}
                          </small>
                        )}
                      </td>
                      <td>{limitWords(i18n, item.limit)}</td>
                      <td>
                        {'function' in item.substitute ? item.substitute.function : t('delegation.nearestSuperior')}
                      </td>
                      <td>{t(item.reportToBoard ? 'delegation.yes' : 'delegation.no')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ))}
      </Loading>
      {order && mayChangePolicy(person) && (
        <OrderEditor
          key={order.version}
          org={org}
          order={order}
          onAdopted={(version) => {
            setSaid(t('delegation.adopted', { version }));
            setN((x) => x + 1);
          }}
        />
      )}
    </>
  );
}

/**
 * A new version of the order for its administrator: the board's decision and the items as JSON,
 * prefilled with the version in force. The API checks the shape and that the items hold together,
 * and names each field it refuses.
 */
function OrderEditor({
  org,
  order,
  onAdopted,
}: {
  org: string;
  order: DelegationOrderInForce;
  onAdopted: (version: number) => void;
}) {
  const { t, explain } = useI18n();
  const [reference, setReference] = useState('');
  const [items, setItems] = useState(() => JSON.stringify(order.items, null, 2));
  const [notJson, setNotJson] = useState<string>();
  const { busy, problem, send } = useCommand();
  const say = answerWords(problem, explain);
  const errors: Record<string, Said[]> = {};
  for (const e of problem?.errors ?? []) {
    const field = e.field.startsWith('items') ? 'items' : e.field;
    (errors[field] ??= []).push(say(e.rule, `${e.field}: ${e.message}`));
  }
  const next = order.version + 1;

  async function submit() {
    setNotJson(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(items);
    } catch (e) {
      setNotJson(e instanceof Error ? e.message : String(e));
      return;
    }
    const r = await send({ reference: reference.trim(), items: parsed }, (b, key) =>
      api.PUT('/organizations/{org}/delegation-order', {
        params: { path: { org }, header: { 'Idempotency-Key': key } },
        body: b as never,
      }),
    );
    if (r.ok) onAdopted(next);
  }

  return (
    <section aria-labelledby="delegation-edit-h">
      <h2 id="delegation-edit-h">{t('delegation.edit')}</h2>
      <p>{t('delegation.editIntro')}</p>
      <CommandForm onSubmit={submit}>
        {problem && <ProblemBox problem={problem} />}
        <Field
          id="delegation-reference"
          label={t('delegation.reference')}
          hint={t('delegation.referenceHint')}
          errors={errors.reference}
        >
          {(p) => <input {...p} value={reference} onChange={(e) => setReference(e.target.value)} />}
        </Field>
        <Field
          id="delegation-items"
          label={t('delegation.items')}
          errors={[
            ...(errors.items ?? []),
            ...(notJson ? [{ text: t('delegation.notJson', { detail: notJson }) } as Said] : []),
          ]}
        >
          {(p) => (
            <textarea {...p} rows={16} spellCheck={false} value={items} onChange={(e) => setItems(e.target.value)} />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          {t('delegation.adopt', { version: next })}
        </button>
      </CommandForm>
    </section>
  );
}
