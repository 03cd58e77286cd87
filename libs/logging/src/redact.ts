/**
 * An address as logs and problem bodies may show it: a calendar feed token in the query
 * (GET /calendar.ics?token=…) stands for a person, so it is replaced by `[Redacted]`.
 */
export function redactUrl(url: string): string {
  // The token's prefix also catches it under a percent-encoded key (?to%6Ben=…), which Express decodes.
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[Redacted]').replace(/tfcal_[A-Za-z0-9_-]+/g, '[Redacted]');
}
