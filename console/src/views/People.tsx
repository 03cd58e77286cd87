import { ROLES } from '@tenderflow/domain/types';
import { api } from '../api/client';
import type { Person } from '../auth';
import { useI18n, type Key } from '../i18n';
import type { AuditEvent } from '../types';
import { Loading, useLoad } from '../ui';

/** A person of GET /organizations/{org}/people. */
interface DirectoryPerson {
  sub: string;
  name: string;
  email: string | null;
  roles: string[];
  approvalLimitSek: number | null;
  categories: string[];
  active: boolean;
  source: 'token' | 'import';
  lastSignedInAt: string | null;
}

/** What a `directory.imported` event records (PeopleService.replace). */
interface ImportSummary {
  received: number;
  created: string[];
  updated: string[];
  unchanged: number;
  deactivated: string[];
}

/** Who may read the directory (GET /organizations/{org}/people and its audit): an administrator of the organisation. */
export const mayReadPeople = (person: Person) => person.roles.includes('admin');

/**
 * The directory of the organisation's people, read-only (it is changed in the organisation's own
 * directory and imported), and what the last import changed: the newest `directory.imported` event
 * of the directory's audit chain, read page by page (100 events a page, oldest first).
 */
export function People({ person }: { person: Person }) {
  const { t, sek, date } = useI18n();
  const org = person.org;
  const loaded = useLoad(async () => {
    const people = await api.GET('/organizations/{org}/people', { params: { path: { org } } });
    if (people.error) return { error: people.error };
    let last: AuditEvent | undefined;
    let cursor: string | undefined;
    do {
      const page = await api.GET('/organizations/{org}/people/audit', {
        params: { path: { org }, query: cursor ? { cursor } : {} } as never,
      });
      if (page.error) return { error: page.error };
      const { items, nextCursor } = page.data as unknown as { items: AuditEvent[]; nextCursor: string | null };
      last = [...items].reverse().find((e) => e.type === 'directory.imported') ?? last;
      cursor = nextCursor ?? undefined;
    } while (cursor);
    return { data: { items: (people.data as unknown as { items: DirectoryPerson[] }).items, last } };
  }, [org]);
  const data = loaded.data;
  const role = (r: string) => ((ROLES as readonly string[]).includes(r) ? t(`role.${r}` as Key) : r);
  const summary = data?.last?.payload as ImportSummary | undefined;
  return (
    <>
      <h1>{t('people.title', { org })}</h1>
      <p>{t('people.intro')}</p>
      <Loading loading={loaded.loading && !data} problem={loaded.problem}>
        {data && (
          <>
            <section aria-labelledby="import-h" data-testid="people-import">
              <h2 id="import-h">{t('people.lastImport')}</h2>
              {data.last && summary ? (
                <>
                  <p>
                    {t('people.importWhen', {
                      date: date(data.last.at),
                      name: data.last.actor?.name ?? data.last.actor?.sub ?? '—',
                      received: summary.received,
                      unchanged: summary.unchanged,
                    })}
                  </p>
                  <dl className="inline">
                    {(['created', 'updated', 'deactivated'] as const).map((k) => (
                      <div key={k}>
                        <dt>{t(`people.${k}`)}</dt>
                        <dd>{summary[k].length ? summary[k].join(', ') : '—'}</dd>
                      </div>
                    ))}
                  </dl>
                </>
              ) : (
                <p>{t('people.noImport')}</p>
              )}
            </section>
            <table data-testid="people">
              <caption>{t('people.count', { n: data.items.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('people.name')}</th>
                  <th scope="col">{t('people.sub')}</th>
                  <th scope="col">{t('people.email')}</th>
                  <th scope="col">{t('people.roles')}</th>
                  <th scope="col">{t('people.limit')}</th>
                  <th scope="col">{t('people.categories')}</th>
                  <th scope="col">{t('people.status')}</th>
                  <th scope="col">{t('people.source')}</th>
                  <th scope="col">{t('people.lastSignIn')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((p) => (
                  <tr key={p.sub}>
                    <th scope="row">{p.name}</th>
                    <td>{p.sub}</td>
                    <td>{p.email ?? '—'}</td>
                    <td>{p.roles.map(role).join(', ') || '—'}</td>
                    <td>{p.approvalLimitSek !== null ? sek(p.approvalLimitSek) : '—'}</td>
                    <td>{p.categories.join(', ') || '—'}</td>
                    <td>{t(p.active ? 'people.active' : 'people.inactive')}</td>
                    <td>{t(p.source === 'import' ? 'people.fromImport' : 'people.fromToken')}</td>
                    <td>{p.lastSignedInAt ? date(p.lastSignedInAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Loading>
    </>
  );
}
