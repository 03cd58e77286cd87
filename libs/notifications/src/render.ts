import { deadlineCalendar } from './calendar';
import type { Recipient } from './recipients';
import { actions, calendarDeadline } from './templates/actions';
import { en } from './templates/en';
import { sv } from './templates/sv';
import { LOCALES, type Locale, type MessageFacts, type Texts } from './templates/types';

export { LOCALES, type Locale, type MessageFacts };
export type { TenderFacts } from './templates/types';

const TEXTS: Record<Locale, Texts> = { sv, en };

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

export interface RenderedMessage {
  subject: string;
  text: string;
  /** An iCalendar object (text/calendar) for messages about a deadline ahead. */
  calendar?: string;
}

/**
 * One person's e-mail of a message, in their language: the tender, what is asked, the basis, the
 * deadline and the links where they act, then why they get it. The subject is the tender's, the
 * same for every message of a tender, so that mail clients thread them (with the References
 * header the delivery adds).
 */
export function renderMessage(
  m: MessageFacts,
  to: { name?: string; via: Recipient; locale: Locale },
  publicBaseUrl: string,
): RenderedMessage {
  const t = TEXTS[to.locale];
  const p = t.parts(m);
  const base = publicBaseUrl.replace(/\/+$/, '');
  const links = actions(m, t.actions);
  const l = t.labels;
  const lines = [
    t.greeting(to.name),
    '',
    `${l.ask}: ${p.ask}`,
    ...(p.details?.length ? ['', ...p.details] : []),
    '',
    `${l.tender}: ${t.tenderLine(m.tender)}`,
    `${l.basis}: ${p.basis}`,
    `${l.deadline}: ${p.deadline}`,
    '',
    `${l.act}:`,
    ...links.map((a) =>
      a.method === 'GET'
        ? `- ${a.label}: ${base}${a.path}`
        : `- ${a.label}: ${a.method} ${base}${a.path} ${t.linkHint(a.hint)}`,
    ),
    '',
    '-- ',
    t.why(to.via),
    t.footer,
  ];
  const cal = calendarDeadline(m);
  return {
    subject: t.subject(m.tender),
    text: lines.join('\n'),
    ...(cal && p.calendar
      ? {
          calendar: deadlineCalendar({
            uid: `${cal.uid}@tenderflow`,
            summary: p.calendar.summary,
            description: `${p.calendar.description}\n${base}${links[0].path}`,
            deadline: cal.deadline,
            url: `${base}${links[0].path}`,
            alarm: p.calendar.summary,
          }),
        }
      : {}),
  };
}
