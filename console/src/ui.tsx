import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Problem } from './api/client';
import { useI18n, type Said } from './i18n';
import { FIELD_LABELS } from './form-labels';
import { answerWords, fieldPathWords, withoutFieldName } from './logic';

/** Loads once per `deps`; the answer, the problem, or loading. */
export function useLoad<T>(
  load: () => Promise<{ data?: T; error?: unknown }>,
  deps: unknown[],
): { data?: T; problem?: Problem; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; problem?: Problem; loading: boolean }>({ loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load()
      .then((r) => live && setState({ data: r.data, problem: r.error as Problem | undefined, loading: false }))
      .catch(
        (e: unknown) =>
          live && setState({ problem: { detail: e instanceof Error ? e.message : String(e) }, loading: false }),
      );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}

export function Loading({ loading, problem, children }: { loading: boolean; problem?: Problem; children: ReactNode }) {
  const { t } = useI18n();
  if (loading) return <p role="status">{t('common.loading')}</p>;
  if (problem) return <ProblemBox problem={problem} />;
  return <>{children}</>;
}

/** Words from the API or the rule table, marked with their language when it is not the page's. */
export function Saying({ said }: { said: Said }) {
  return said.lang ? <span lang={said.lang}>{said.text}</span> : <>{said.text}</>;
}

export function ProblemBox({ problem, title }: { problem: Problem; title?: string }) {
  const { t, explain, locale } = useI18n();
  // The rule's meaning in the interface language first; the API's own sentence (with its figures) after it:
  // when the API answered in Swedish its detail repeats the meaning, so its English sentence is shown.
  const meaning = problem.rule ? explain(problem.rule, '') : undefined;
  const say = answerWords(problem, explain);
  // A validation error's detail only lists its fields by their codes: the fields say it, beside them or below.
  const validation = problem.type?.endsWith('/validation-error') ?? false;
  const sentence: Said | undefined =
    validation && !problem.rule
      ? undefined
      : meaning?.text && problem.detailEn
        ? { text: problem.detailEn, lang: 'en' }
        : problem.detail
          ? say(undefined, problem.detail)
          : undefined;
  return (
    <div role="alert" className="problem">
      <p>
        <strong>{title ?? t('common.error', { detail: problem.title ?? String(problem.status ?? '') })}</strong>
      </p>
      {meaning?.text && <p>{meaning.text}</p>}
      {sentence && (
        <p className={meaning?.text ? 'detail' : undefined}>
          <Saying said={sentence} />
        </p>
      )}
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((e) => (
            <li key={`${e.field}-${e.rule}`}>
              {fieldPathWords(e.field, FIELD_LABELS[locale])}: <Saying said={say(e.rule, withoutFieldName(e))} />
            </li>
          ))}
        </ul>
      ) : null}
      {(problem.rule || problem.paragraph) && (
        <dl className="inline">
          {problem.rule && (
            <>
              <dt>{t('approvals.rule')}</dt>
              <dd>
                <code>{problem.rule}</code>
              </dd>
            </>
          )}
          {problem.paragraph && (
            <>
              <dt>{t('approvals.paragraph')}</dt>
              <dd>{problem.paragraph}</dd>
            </>
          )}
        </dl>
      )}
    </div>
  );
}

/**
 * How a view sends a command. Its Idempotency-Key names the command: the same key for every try of
 * the same body until the API has answered, so a retry after a lost answer (the network) or a
 * second click is the same command, which the API carries out once; a new key after an answer or
 * for another body. A try is not sent while another is under way.
 */
export function useCommand() {
  const sent = useRef<{ key: string; body: string } | undefined>(undefined);
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  async function send<B, T>(
    body: B,
    call: (body: B, idempotencyKey: string) => Promise<{ data?: T; error?: unknown }>,
  ): Promise<{ ok: true; data?: T } | { ok: false }> {
    if (inFlight.current) return { ok: false };
    inFlight.current = true;
    setBusy(true);
    setProblem(undefined);
    const text = JSON.stringify(body);
    if (sent.current?.body !== text) sent.current = { key: crypto.randomUUID(), body: text };
    try {
      const answer = await call(body, sent.current.key);
      sent.current = undefined;
      if (answer.error) {
        setProblem(answer.error as Problem);
        return { ok: false };
      }
      return { ok: true, data: answer.data };
    } catch (e) {
      // No answer: the key stays, so trying again sends the same command.
      setProblem({ detail: e instanceof Error ? e.message : String(e) });
      return { ok: false };
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }
  return { busy, problem, send };
}

/**
 * A form that sends one command. The browser does not validate it (`noValidate`): the API's 400
 * answer names the fields, and the form shows them.
 */
export function CommandForm({ onSubmit, children }: { onSubmit: () => Promise<void>; children: ReactNode }) {
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** A labelled input whose error (from the API's errors[]) is tied to it with aria-describedby. */
export function Field({
  id,
  label,
  errors,
  hint,
  children,
}: {
  id: string;
  label: string;
  errors?: Said[];
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const described =
    [hint ? `${id}-hint` : '', errors?.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${errors?.length ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {children({ id, ...(errors?.length ? { 'aria-invalid': true } : {}), 'aria-describedby': described })}
      {errors?.length ? (
        <p id={`${id}-error`} className="error">
          {errors.map((e, i) => (
            <Fragment key={i}>
              {i > 0 && ' '}
              <Saying said={e} />
            </Fragment>
          ))}
        </p>
      ) : null}
    </div>
  );
}

export function navigate(path: string): void {
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  return (
    <a
      href={to}
      className={className}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/**
 * A wide table in its own horizontal scroll area, so that the page does not scroll sideways at 200 %
 * zoom (WCAG 2.1 1.4.10); focusable and named, so that it can be scrolled by keyboard.
 */
export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('common.scrollTable', { name: label })}>
      {children}
    </div>
  );
}
