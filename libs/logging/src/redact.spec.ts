import { redactUrl } from './redact';

describe('redactUrl', () => {
  it('hides a token in the query wherever it stands, and only its value', () => {
    expect(redactUrl('/calendar.ics?token=tfcal_abc-DEF_123')).toBe('/calendar.ics?token=[Redacted]');
    expect(redactUrl('/calendar.ics?x=1&TOKEN=secret&y=2')).toBe('/calendar.ics?x=1&TOKEN=[Redacted]&y=2');
    expect(redactUrl('/calendar.ics?token=secret#frag')).toBe('/calendar.ics?token=[Redacted]#frag');
    // Express decodes %6B to k: the key is then `token`, and the token is caught by its prefix.
    expect(redactUrl('/calendar.ics?to%6Ben=tfcal_abc-DEF_123')).toBe('/calendar.ics?to%6Ben=[Redacted]');
    expect(redactUrl('/calendar.ics?%74oken=tfcal_x&y=2')).toBe('/calendar.ics?%74oken=[Redacted]&y=2');
  });

  it('leaves other addresses as they are', () => {
    expect(redactUrl('/tenders?q=token=x')).toBe('/tenders?q=token=x');
    expect(redactUrl('/tenders/HSN-2026-00001')).toBe('/tenders/HSN-2026-00001');
    expect(redactUrl('/calendar.ics?mytoken=x')).toBe('/calendar.ics?mytoken=x');
  });
});
