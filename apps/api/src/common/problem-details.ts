/**
 * RFC 9457 problem details. `errors` names the offending fields; `rule` a refused procurement rule.
 * An answer in Swedish (Accept-Language: sv) keeps the English detail, with its figures, in `detailEn`.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { field: string; rule: string; message: string }[];
  rule?: string;
  paragraph?: string;
  [extension: string]: unknown;
}
