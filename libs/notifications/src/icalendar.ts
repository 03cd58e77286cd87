import { foldOctets } from './calendar';

/**
 * A small iCalendar (RFC 5545) writer for published calendars of all-day deadlines: the
 * subscription feed (GET /calendar.ics). Every text value is escaped (3.3.11), so that no title
 * can end a line and begin a property of its own; lines end in CRLF and are folded at 75 octets.
 */

export interface AllDayEvent {
  /** Stable for the same thing on the calendar, so a refresh updates the entry instead of adding one. */
  uid: string;
  /** The day, YYYY-MM-DD. */
  day: string;
  summary: string;
  description: string;
  url?: string;
  categories?: string[];
}

export interface PublishedCalendar {
  prodId: string;
  name: string;
  /** How often a subscriber should fetch it again (RFC 7986 REFRESH-INTERVAL), ISO 8601 duration. */
  refresh: string;
  events: AllDayEvent[];
  /** DTSTAMP: when this copy was made. */
  now: Date;
}

/**
 * TEXT (RFC 5545 3.3.11): backslash, semicolon and comma are escaped, a line break of any kind is
 * the two characters `\n`, and other control characters (which a content line may not carry,
 * 3.1) are dropped.
 */
export function escapeText(value: string): string {
  return (
    value
      .replace(/\\/g, '\\\\')
      .replace(/;/g, '\\;')
      .replace(/,/g, '\\,')
      .replace(/\r\n|\r|\n|\u2028|\u2029/g, '\\n')
      // Control characters are what this drops (RFC 5545 TEXT has no place for them).
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '')
  );
}

/** A URI value is not escaped, so one that could break the line or is not http(s) is left out. */
function uriValue(url: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- a URI with a control character is refused
  return /^https?:\/\/[^\s\u0000-\u001f\u007f"<>]+$/.test(url) ? url : undefined;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dateValue(day: string): string {
  const m = ISO_DAY.exec(day);
  if (!m) throw new Error(`"${day}" is not a day (YYYY-MM-DD)`);
  return `${m[1]}${m[2]}${m[3]}`;
}

function nextDay(day: string): string {
  const t = new Date(`${day}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return dateValue(t.toISOString().slice(0, 10));
}

function utcStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

export function publishedCalendar(c: PublishedCalendar): string {
  const stamp = utcStamp(c.now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${escapeText(c.prodId)}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `NAME:${escapeText(c.name)}`,
    `X-WR-CALNAME:${escapeText(c.name)}`,
    `REFRESH-INTERVAL;VALUE=DURATION:${c.refresh}`,
    `X-PUBLISHED-TTL:${c.refresh}`,
  ];
  for (const e of c.events) {
    const url = e.url ? uriValue(e.url) : undefined;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${stamp}`,
      // An all-day event on the last day: DTEND is the (exclusive) next day (RFC 5545 3.6.1).
      `DTSTART;VALUE=DATE:${dateValue(e.day)}`,
      `DTEND;VALUE=DATE:${nextDay(e.day)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `DESCRIPTION:${escapeText(e.description)}`,
      ...(url ? [`URL:${url}`] : []),
      ...(e.categories?.length ? [`CATEGORIES:${e.categories.map(escapeText).join(',')}`] : []),
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${foldOctets(lines.join('\r\n'))}\r\n`;
}
