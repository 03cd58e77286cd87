import ICAL from 'ical.js';
import { escapeText, publishedCalendar, type AllDayEvent } from './icalendar';

const now = new Date('2026-03-02T08:15:30.123Z');
const event = (over: Partial<AllDayEvent> = {}): AllDayEvent => ({
  uid: 'REGION-2026-00001.tender_deadline@tenderflow',
  day: '2026-04-07',
  summary: 'Sista anbudsdag: Laboratorieutrustning (REGION-2026-00001)',
  description: 'Lagrum: 11 kap. 2 § LOU',
  url: 'http://localhost:3000/tenders/REGION-2026-00001',
  ...over,
});
const calendar = (events: AllDayEvent[]) =>
  publishedCalendar({ prodId: '-//Tenderflow//Deadlines//SV', name: 'Tenderflow: Anna', refresh: 'PT1H', events, now });

function parse(ics: string) {
  const vcal = new ICAL.Component(ICAL.parse(ics));
  return { vcal, events: vcal.getAllSubcomponents('vevent') };
}

describe('escapeText (RFC 5545 3.3.11)', () => {
  it('escapes backslash, semicolon and comma, and writes every line break as \\n', () => {
    expect(escapeText('a\\b;c,d')).toBe('a\\\\b\\;c\\,d');
    expect(escapeText('one\r\ntwo\nthree\rfour\u2028five')).toBe('one\\ntwo\\nthree\\nfour\\nfive');
  });

  it('drops the other control characters a content line may not hold, keeps tabs', () => {
    expect(escapeText('a\u0000b\u0007c\u001bd\u007fe\tf')).toBe('abcde\tf');
  });
});

describe('publishedCalendar', () => {
  it('writes a VCALENDAR of all-day VEVENTs with CRLF line ends, UID, DTSTAMP and the next day as DTEND', () => {
    const ics = calendar([event()]);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(ics).toContain('\r\nMETHOD:PUBLISH\r\n');
    expect(ics).toContain('\r\nDTSTAMP:20260302T081530Z\r\n');
    expect(ics).toContain('\r\nDTSTART;VALUE=DATE:20260407\r\nDTEND;VALUE=DATE:20260408\r\n');
    const { vcal, events } = parse(ics);
    expect(vcal.getFirstPropertyValue('version')).toBe('2.0');
    expect(events).toHaveLength(1);
    const e = new ICAL.Event(events[0]);
    expect(e.uid).toBe('REGION-2026-00001.tender_deadline@tenderflow');
    expect(e.startDate.isDate).toBe(true);
    expect(e.startDate.toString()).toBe('2026-04-07');
    expect(e.endDate.toString()).toBe('2026-04-08');
    expect(e.description).toBe('Lagrum: 11 kap. 2 § LOU');
  });

  it('ends a month and a year on the right next day', () => {
    const ics = calendar([event({ day: '2026-12-31' }), event({ uid: 'x', day: '2028-02-28' })]);
    expect(ics).toContain('DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101');
    expect(ics).toContain('DTSTART;VALUE=DATE:20280228\r\nDTEND;VALUE=DATE:20280229');
  });

  it('folds at 75 octets, never inside a character: Swedish text reads back whole', () => {
    const summary = `Sista anbudsdag: ${'Ramavtal för ÅÄÖ-märkta förbrukningsvaror 🧪 '.repeat(6)}`;
    const ics = calendar([event({ summary })]);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).toMatch(/\r\n [^\r\n]/); // continuation lines begin with a space
    const e = new ICAL.Event(parse(ics).events[0]);
    expect(e.summary).toBe(summary);
  });

  it('a hostile title stays one SUMMARY: no line break, property or component injected', () => {
    const hostile =
      'Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged\r\nATTENDEE;CN=x:mailto:a@b, c; d \\ e\nDESCRIPTION:owned\rX-INJECTED:1';
    const ics = calendar([event({ summary: hostile, description: hostile })]);
    const unfolded = ics.replace(/\r\n[ \t]/g, '');
    const names = unfolded
      .split('\r\n')
      .filter(Boolean)
      .map((l) => l.split(/[:;]/)[0]);
    expect(names.filter((n) => n === 'BEGIN')).toHaveLength(2);
    expect(names).not.toContain('ATTENDEE');
    expect(names).not.toContain('X-INJECTED');
    expect(names.filter((n) => n === 'UID')).toHaveLength(1);
    const { events } = parse(ics);
    expect(events).toHaveLength(1);
    const e = new ICAL.Event(events[0]);
    expect(e.uid).toBe('REGION-2026-00001.tender_deadline@tenderflow');
    // Read back, the text is the title with its line breaks as newlines: nothing lost, nothing run.
    expect(e.summary).toBe(hostile.replace(/\r\n|\r|\n/g, '\n'));
    expect(
      events[0]
        .getAllProperties()
        .map((p) => p.name)
        .sort(),
    ).toEqual(['description', 'dtend', 'dtstamp', 'dtstart', 'summary', 'transp', 'uid', 'url']);
  });

  it('leaves out a URL that is not a plain http(s) address, and refuses a day that is not one', () => {
    const ics = calendar([event({ url: 'javascript:alert(1)' }), event({ uid: 'y', url: 'http://x/\r\nATTENDEE:a' })]);
    expect(ics).not.toContain('URL:');
    expect(() => calendar([event({ day: '2026-4-7' })])).toThrow(/is not a day/);
  });

  it('writes an empty calendar that a client still reads', () => {
    const { vcal, events } = parse(calendar([]));
    expect(events).toHaveLength(0);
    expect(vcal.getFirstPropertyValue('x-wr-calname')).toBe('Tenderflow: Anna');
  });
});
