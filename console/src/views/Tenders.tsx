import { useState } from 'react';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { isOverdue } from '../logic';
import type { TenderListItem } from '../types';
import { Field, Link, Loading, useLoad } from '../ui';
// The phases once, where the workflows take them from (a module with no imports).
import { PHASES } from '../../../libs/domain/src/types';

type PhaseFilter = (typeof PHASES)[number] | '';

export function Tenders() {
  const { t, term, sek, date } = useI18n();
  const [draft, setDraft] = useState({ q: '', phase: '' as PhaseFilter, category: '', overdue: false });
  const [filters, setFilters] = useState(draft);
  const list = useLoad(
    () =>
      api.GET('/tenders', {
        params: {
          query: {
            ...(filters.q ? { q: filters.q } : {}),
            ...(filters.phase ? { phase: filters.phase } : {}),
            ...(filters.category ? { category: filters.category } : {}),
            ...(filters.overdue ? { overdue: true } : {}),
            limit: 50,
          },
        },
      }) as Promise<{ data?: { items: TenderListItem[]; nextCursor: string | null }; error?: unknown }>,
    [filters],
  );
  const now = new Date();
  return (
    <>
      <h1>{t('tenders.title')}</h1>
      <form
        className="filters"
        aria-label={t('tenders.filters')}
        onSubmit={(e) => {
          e.preventDefault();
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
        <button type="submit">{t('tenders.apply')}</button>
      </form>
      <Loading loading={list.loading} problem={list.problem}>
        {list.data?.items.length ? (
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
              {list.data.items.map((x) => (
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
        ) : (
          <p>{t('common.none')}</p>
        )}
      </Loading>
    </>
  );
}
