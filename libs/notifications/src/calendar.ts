import { createEvent } from 'ics';
import type { DeadlineRef } from '@tenderflow/temporal-common/message-refs';

export interface CalendarEntry {
  /** Stable per deadline (a tender's response deadline, a contract's milestone), so a later reminder updates the same entry. */
  uid: string;
  summary: string;
  description: string;
  deadline: DeadlineRef;
  url?: string;
  /** The text of the alarm the day before. */
  alarm: string;
}

function dayParts(day: string): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number);
  return [y, m, d];
}

function nextDay(day: string): [number, number, number] {
  const t = new Date(
    Date.UTC(...(dayParts(day).map((n, i) => (i === 1 ? n - 1 : n)) as [number, number, number])) + 86_400_000,
  );
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

/**
 * An iCalendar (RFC 5545) object with one all-day VEVENT on the deadline's last day and a display
 * alarm at 09:00 the day before (local time of the reader's calendar). METHOD:PUBLISH: it is
 * information for the reader's calendar, not an invitation that expects a reply.
 */
export function deadlineCalendar(e: CalendarEntry): string {
  const { error, value } = createEvent({
    uid: e.uid,
    productId: '-//Tenderflow//Notifications//SV',
    method: 'PUBLISH',
    start: dayParts(e.deadline.lastDay),
    end: nextDay(e.deadline.lastDay),
    title: e.summary,
    description: e.description,
    ...(e.url ? { url: e.url } : {}),
    status: 'CONFIRMED',
    busyStatus: 'FREE',
    alarms: [{ action: 'display', description: e.alarm, trigger: { hours: 15, before: true } }],
  });
  if (error || !value)
    throw new Error(`the calendar entry for ${e.uid} could not be written: ${error?.message ?? 'no output'}`);
  return foldOctets(value);
}

/**
 * RFC 5545 3.1: content lines are folded at 75 octets. `ics` folds at 75 characters, which is
 * more than 75 octets for Swedish text (å, ä, ö are two octets in UTF-8); so the lines are
 * unfolded and folded again by octets, never inside a character.
 */
export function foldOctets(ics: string): string {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  return lines
    .map((line) => {
      const parts: string[] = [];
      let part = '';
      let octets = 0;
      for (const ch of line) {
        const size = Buffer.byteLength(ch, 'utf8');
        // The first line holds 75 octets; each continuation line begins with a space, so 74 more.
        if (octets + size > (parts.length === 0 ? 75 : 74)) {
          parts.push(part);
          part = '';
          octets = 0;
        }
        part += ch;
        octets += size;
      }
      parts.push(part);
      return parts.join('\r\n ');
    })
    .join('\r\n');
}
