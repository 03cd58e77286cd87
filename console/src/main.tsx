import { StrictMode, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { setApiLanguage } from './api/client';
import { completeSignIn, currentPerson, loadConfig, signIn, signOut, type ConsoleConfig, type Person } from './auth';
import { I18nContext, makeI18n, type Locale } from './i18n';
import { Link, navigate } from './ui';
import { Approvals } from './views/Approvals';
import { Categories } from './views/Categories';
import { Contract } from './views/Contract';
import { DelegationOrder } from './views/DelegationOrder';
import { DelegationRegister, mayReadRegister } from './views/DelegationRegister';
import { FollowUp } from './views/FollowUp';
import { LeadTimes } from './views/LeadTimes';
import { NeedsAnalysis, NewTender } from './views/NewTender';
import { People, mayReadPeople } from './views/People';
import { MyAbsences } from './views/MyAbsences';
import { Policy, mayChangePolicy } from './views/Policy';
import { Tender } from './views/Tender';
import { Tenders } from './views/Tenders';
import './styles.css';

function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const on = () => setPath(window.location.pathname);
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return path;
}

function App() {
  const [locale, setLocale] = useState<Locale>(
    () => (localStorage.getItem('tenderflow.locale') as Locale | null) ?? 'sv',
  );
  const i18n = useMemo(() => {
    // Before any view renders and loads: the API answers (problem details) in the console's language.
    setApiLanguage(locale);
    return makeI18n(locale, (l) => {
      localStorage.setItem('tenderflow.locale', l);
      setLocale(l);
    });
  }, [locale]);
  const path = usePath();
  const [person, setPerson] = useState<Person | undefined>(currentPerson());
  const [config, setConfig] = useState<ConsoleConfig>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useEffect(() => {
    loadConfig().then(setConfig, (e: unknown) => setError(String(e)));
  }, []);
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    if ((path === '/console/callback' || path === '/console/') && (params.has('code') || params.has('error'))) {
      completeSignIn(params).then(
        (to) => {
          setPerson(currentPerson());
          navigate(to);
        },
        (e: unknown) => {
          setError(e instanceof Error ? e.message : String(e));
          navigate('/console/');
        },
      );
    }
  }, [path]);

  const { t } = i18n;
  const signedIn = !!person;
  const view = signedIn && person ? route(path, person, config) : null;
  // A new view takes the focus to its content; the first page of a visit does not, so that the
  // first Tab reaches the skip link, as on any page.
  const shownPath = useRef(path);
  useEffect(() => {
    document.title = `${t('app.title')}`;
    if (shownPath.current === path) return;
    shownPath.current = path;
    document.getElementById('main')?.focus();
  }, [path, t]);

  return (
    <I18nContext.Provider value={i18n}>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <div className="brand">{t('app.title')}</div>
        {signedIn && (
          <nav aria-label={t('nav.label')}>
            <ul>
              {person.roles.some((r) => r === 'approver' || r === 'category_manager') && (
                <NavItem to="/console/approvals" path={path} label={t('nav.approvals')} />
              )}
              <NavItem to="/console/tenders" path={path} label={t('nav.tenders')} />
              {person.roles.includes('procurement_officer') && (
                <NavItem to="/console/tenders/new" path={path} label={t('nav.new')} />
              )}
              {person.roles.some((r) => r === 'category_manager' || r === 'admin') && (
                <NavItem to="/console/lead-times" path={path} label={t('nav.leadTimes')} />
              )}
              {person.roles.some((r) => r === 'contract_manager' || r === 'procurement_officer') && (
                <NavItem to="/console/follow-up" path={path} label={t('nav.followUp')} />
              )}
              {mayChangePolicy(person) && (
                <>
                  <NavItem to="/console/admin/policy" path={path} label={t('admin.navPolicy')} />
                  <NavItem to="/console/admin/delegation-order" path={path} label={t('delegation.navTitle')} />
                  <NavItem to="/console/admin/categories" path={path} label={t('admin.navCategories')} />
                </>
              )}
              {mayReadPeople(person) && <NavItem to="/console/admin/people" path={path} label={t('admin.navPeople')} />}
              {mayReadRegister(person) && (
                <NavItem to="/console/delegation-decisions" path={path} label={t('register.nav')} />
              )}
              <NavItem to="/console/me/absences" path={path} label={t('absences.nav')} />
            </ul>
          </nav>
        )}
        <div className="session">
          <label htmlFor="locale" className="visually-hidden">
            {t('common.language')}
          </label>
          <select id="locale" value={locale} onChange={(e) => i18n.setLocale(e.target.value as Locale)}>
            <option value="sv">Svenska</option>
            <option value="en">English</option>
          </select>
          {signedIn ? (
            <>
              <span data-testid="signed-in">{t('auth.signedInAs', { name: person.name, org: person.org })}</span>
              <button type="button" className="secondary" onClick={() => void signOut()}>
                {t('auth.signOut')}
              </button>
            </>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {error && (
          <p role="alert" className="problem">
            {t('auth.failed', { reason: error })}
          </p>
        )}
        {signedIn ? (
          view
        ) : (
          <>
            <h1>{t('app.title')}</h1>
            <p>{t('auth.welcome')}</p>
            <button
              type="button"
              onClick={() =>
                void signIn(path.startsWith('/console/callback') ? '/console/' : path + window.location.search)
              }
            >
              {t('auth.signIn')}
            </button>
          </>
        )}
      </main>
    </I18nContext.Provider>
  );
}

function NavItem({ to, path, label }: { to: string; path: string; label: string }) {
  const current =
    path === to ||
    (to !== '/console/tenders' && path.startsWith(to)) ||
    (to === '/console/tenders' && /^\/console\/tenders\/(?!new)/.test(path));
  return (
    <li>
      <Link to={to} className={current ? 'current' : undefined}>
        <span aria-current={current ? 'page' : undefined}>{label}</span>
      </Link>
    </li>
  );
}

function route(path: string, person: Person, config?: ConsoleConfig) {
  const p = path.replace(/\/+$/, '');
  let m: RegExpExecArray | null;
  if (p === '/console/approvals') return <Approvals />;
  if (p === '/console/tenders') return <Tenders />;
  if (p === '/console/tenders/new') return <NewTender person={person} />;
  if ((m = /^\/console\/tenders\/([^/]+)\/needs-analysis$/.exec(p)))
    return <NeedsAnalysis id={decodeURIComponent(m[1])} />;
  if ((m = /^\/console\/tenders\/([^/]+)$/.exec(p)))
    return <Tender id={decodeURIComponent(m[1])} person={person} temporalWorkflowsUrl={config?.temporalWorkflowsUrl} />;
  if (p === '/console/lead-times') return <LeadTimes />;
  const contract = /^\/console\/contracts\/([^/]+)$/.exec(p);
  if (contract) return <Contract id={decodeURIComponent(contract[1])} />;
  if (p === '/console/follow-up') return <FollowUp />;
  // Any member may read the policy and the categories (the API's rule); the forms are for those who may change them.
  if (p === '/console/admin/policy') return <Policy person={person} />;
  if (p === '/console/admin/delegation-order') return <DelegationOrder person={person} />;
  if (p === '/console/admin/categories') return <Categories person={person} />;
  if (p === '/console/admin/people') return <People person={person} />;
  if (p === '/console/me/absences') return <MyAbsences person={person} />;
  if (p === '/console/delegation-decisions') return <DelegationRegister person={person} />;
  return person.roles.includes('approver') ? <Approvals /> : <Tenders />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
