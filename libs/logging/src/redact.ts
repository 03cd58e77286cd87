/**
 * An address as logs and problem bodies may show it: a calendar feed token in the query
 * (GET /calendar.ics?token=…) stands for a person, so it is replaced by `[Redacted]`.
 */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[Redacted]');
}
