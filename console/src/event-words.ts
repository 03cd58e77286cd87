/**
 * A tender's audit trail and a contract's milestones in the interface language, free of React
 * (unit-tested in test/unit/console-texts.spec.ts). The event's type is named from the one table of event texts
 * (libs/domain event-texts.ts, through VOCABULARY); what follows it is a short summary from the
 * payload and the reason: a person's reason as they wrote it, the system's own English words in
 * Swedish where their form is known, and otherwise marked as English (WCAG 2.1 3.1.2).
 */
import { systemReasonSv } from '@tenderflow/domain/event-texts';
import {
  isPlanBasis,
  MILESTONE_KIND_TEXTS,
  milestoneBasisSv,
  milestoneTitleSv,
} from '@tenderflow/domain/milestone-texts';
import { explainRule, VOCABULARY, type Locale, type Said } from './i18n-tables';
import type { AuditEvent } from './types';

export interface AuditLine {
  /** The event type in words. */
  what: string;
  /** Which phase, gate, deadline or milestone, from the payload. */
  summary?: string;
  /** Why: the reason, or a refusal's rule. */
  why?: Said;
}

const term = (locale: Locale, code: unknown): string | undefined =>
  typeof code === 'string' && code ? (VOCABULARY[locale][code] ?? code) : undefined;

function summaryOf(e: AuditEvent, locale: Locale): string | undefined {
  const p = (e.payload ?? {}) as Record<string, unknown>;
  switch (e.type) {
    case 'phase.changed': {
      const [from, to] = [term(locale, p.from), term(locale, p.to)];
      return from && to ? `${from} → ${to}` : to;
    }
    case 'gate.requested':
    case 'gate.escalated':
      return term(locale, p.gate);
    case 'deadline.set':
    case 'timer.fired':
      return [term(locale, p.kind), typeof p.lastDay === 'string' ? p.lastDay : undefined].filter(Boolean).join(' ');
    case 'milestone.planned':
    case 'milestone.reminded':
    case 'milestone.escalated': {
      const kind = typeof p.kind === 'string' ? MILESTONE_KIND_TEXTS[p.kind]?.[locale] : undefined;
      return [kind, typeof p.dueDate === 'string' ? p.dueDate : undefined].filter(Boolean).join(' ') || undefined;
    }
    case 'milestone.moved':
      return typeof p.from === 'string' && typeof p.to === 'string' ? `${p.from} → ${p.to}` : undefined;
    default:
      return undefined;
  }
}

function whyOf(e: AuditEvent, locale: Locale): Said | undefined {
  const reason = e.reason ?? undefined;
  const p = (e.payload ?? {}) as Record<string, unknown>;
  if (e.type === 'command.refused') {
    // The API's refusal: its rule in the interface language, or its English sentence marked as such.
    return explainRule(locale, typeof p.rule === 'string' ? p.rule : undefined, reason ?? '');
  }
  if (!reason) return undefined;
  // A person's reason (an operator's in Temporal too) is theirs, in their language; the system's is English.
  if (e.actor || locale === 'en') return { text: reason };
  const own = e.type === 'milestone.moved' ? milestoneBasisSv(reason) : systemReasonSv(reason);
  return own ? { text: own } : { text: reason, lang: 'en' };
}

/**
 * A milestone's title and basis in the interface language. The workflow's stored words are English
 * and stay so (its histories replay unchanged): Swedish takes the kind's name with the title's
 * number or year, and the basis rewritten by its sentence pattern, or marked as English if it has none.
 */
export function milestoneWords(
  m: { kind: string; title: string; basis: string },
  locale: Locale,
): { title: string; basis: Said } {
  if (locale === 'en') return { title: m.title, basis: { text: m.basis } };
  const basis = milestoneBasisSv(m.basis);
  return {
    title: milestoneTitleSv(m),
    basis: basis ? { text: basis } : isPlanBasis(m.basis) ? { text: m.basis, lang: 'en' } : { text: m.basis },
  };
}

export function auditLine(e: AuditEvent, locale: Locale): AuditLine {
  const summary = summaryOf(e, locale);
  const why = whyOf(e, locale);
  return {
    what: term(locale, e.type) ?? e.type,
    ...(summary ? { summary } : {}),
    ...(why && why.text ? { why } : {}),
  };
}

/** The deadline bases the tender workflow writes in English, each as a pattern and its Swedish. */
const DEADLINE_BASES_SV: [RegExp, (...m: string[]) => string][] = [
  [
    /^policy: invited bodies answer within (\d+) days$/,
    (d) => `policy: de inbjudna organisationerna svarar inom ${d} dagar`,
  ],
  [
    /^policy: open the tenders as soon as possible after the deadline \(12 kap\. 10 § LOU\)$/,
    () => 'policy: anbuden öppnas så snart som möjligt efter sista anbudsdag (12 kap. 10 § LOU)',
  ],
  [
    /^extended after a significant change to the procurement documents \(11 kap\. 8 § 2 p\. LOU\): ([^]*)$/,
    (why) => `förlängd efter en väsentlig ändring av upphandlingsdokumenten (11 kap. 8 § 2 p. LOU): ${why}`,
  ],
  [/^extended by the contracting authority: ([^]*)$/, (why) => `förlängd av den upphandlande myndigheten: ${why}`],
  [
    /^12 kap\. 11 § LOU: answer to (\S+) sent less than (\d+) days before (\S+)$/,
    (q, d, day) => `12 kap. 11 § LOU: svaret på ${q} skickades mindre än ${d} dagar före ${day}`,
  ],
];

/**
 * A deadline's basis in the interface language. The law's bases are Swedish already; the few the
 * workflow words in English (its stored state stays as it is) are said in Swedish by their pattern,
 * the working-day rule it may append kept as it is.
 */
export function deadlineBasis(basis: string, locale: Locale): string {
  if (locale === 'en') return basis;
  const [head, ...rest] = basis.split('; ');
  for (const [pattern, say] of DEADLINE_BASES_SV) {
    const whole = pattern.exec(basis);
    if (whole) return say(...whole.slice(1));
    const m = pattern.exec(head);
    if (m) return [say(...m.slice(1)), ...rest].join('; ');
  }
  return basis;
}
