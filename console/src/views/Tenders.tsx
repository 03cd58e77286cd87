import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { isOverdue } from '../logic';
import type { TenderListItem } from '../types';
import { Field, Link, Loading, ScrollTable, useLoad } from '../ui';
// The phases once, where the workflows take them from (a module with no imports).
import { PHASES } from '../../../libs/domain/src/types';

type PhaseFilter = (typeof PHASES)[number] | '';

export function Tenders() {
  const { t, term, sek, date } = useI18n();
  const [draft, setDraft] = useState({
    q: '',
    phase: '' as PhaseFilter,
    category: '',
    overdue: false,
    waitingForMe: false,
  });
  const [filters, setFilters] = useState(draft);
  // Long lists page: "show more" asks for the next page (the API's keyset cursor) and appends it.
  const [cursor, setCursor] = useState<string>();
  const [rows, setRows] = useState<TenderListItem[]>([]);
  const list = useLoad(
    () =>
      api.GET('/tenders', {
        params: {
          query: {
            ...(filters.q ? { q: filters.q } : {}),
            ...(filters.phase ? { phase: filters.phase } : {}),
            ...(filters.category ? { category: filters.category } : {}),
            ...(filters.overdue ? { overdue: true } : {}),
            ...(filters.waitingForMe ? { waitingForMe: true } : {}),
            ...(cursor ? { cursor } : {}),
            limit: 50,
          },
        },
      }) as Promise<{ data?: { items: TenderListItem[]; nextCursor: string | null }; error?: unknown }>,
    [filters, cursor],
  );
  useEffect(() => {
    if (list.data) setRows((before) => (cursor ? [...before, ...list.data!.items] : list.data!.items));
  }, [list.data]);
  const now = new Date();
  return (
    <>
      <h1>{t('tenders.title')}</h1>
      <form
        className="filters"
        aria-label={t('tenders.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setCursor(undefined);
          setFilters(draft);
        }}
      >
        <Field id="q" label={t('tenders.search')}>
          {(p) => (
            <input {...p} type="search" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
          )}
        </Field>
        <Field id="phase" label={t('tenders.phase')}>
          {(p) => (
            <select
              {...p}
              value={draft.phase}
              onChange={(e) => setDraft({ ...draft, phase: e.target.value as PhaseFilter })}
            >
              <option value="">{t('tenders.anyPhase')}</option>
              {PHASES.map((ph) => (
                <option key={ph} value={ph}>
                  {term(ph)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="category" label={t('tenders.category')}>
          {(p) => (
            <input {...p} value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.target.value })} />
          )}
        </Field>
        <div className="field checkbox">
          <input
            id="overdue"
            type="checkbox"
            checked={draft.overdue}
            onChange={(e) => setDraft({ ...draft, overdue: e.target.checked })}
          />
          <label htmlFor="overdue">{t('tenders.overdueOnly')}</label>
        </div>
        <div className="field checkbox">
          <input
            id="waiting"
            type="checkbox"
            checked={draft.waitingForMe}
            onChange={(e) => setDraft({ ...draft, waitingForMe: e.target.checked })}
          />
          <label htmlFor="waiting">{t('tenders.waitingForMe')}</label>
        </div>
        <button type="submit">{t('tenders.apply')}</button>
      </form>
      <Loading loading={list.loading && rows.length === 0} problem={list.problem}>
        {rows.length ? (
          <ScrollTable label={t('tenders.title')}>
            <table>
              <caption className="visually-hidden">{t('tenders.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('approvals.tender')}</th>
                  <th scope="col">{t('tenders.phase')}</th>
                  <th scope="col">{t('tenders.category')}</th>
                  <th scope="col">{t('approvals.value')}</th>
                  <th scope="col">{t('tenders.nextDeadline')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((x) => (
                  <tr key={x.id} className={isOverdue(x.nextDeadline, now) ? 'overdue' : undefined}>
                    <td>
                      <Link to={`/console/tenders/${x.id}`}>{x.title}</Link> <span className="muted">{x.id}</span>
                    </td>
                    <td>{term(x.phase)}</td>
                    <td>{x.category}</td>
                    <td className="num">{sek(x.estimatedValueSek)}</td>
                    <td>
                      {x.nextDeadline ? `${term(x.nextDeadline.kind)} ${date(x.nextDeadline.at)}` : '–'}
                      {isOverdue(x.nextDeadline, now) && <span className="badge warn">{t('tenders.overdue')}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        ) : (
          <p>{t('common.none')}</p>
        )}
        {rows.length > 0 && list.data?.nextCursor && (
          <p>
            <button type="button" disabled={list.loading} onClick={() => setCursor(list.data!.nextCursor!)}>
              {t('tenders.more')}
            </button>
          </p>
        )}
      </Loading>
    </>
  );
}
