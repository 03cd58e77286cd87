/** Rule codes and the shape of a refused rule: light, so workflow code can import it. */

export const RULE_CODES = [
  'direct_award_limit',
  'direct_award_aggregate_limit',
  'negotiated_ground_missing',
  'without_notice_ground_not_available',
  'framework_term_exceeded',
  'lot_division_reason_missing',
  'procedure_not_allowed',
  'minimum_time_limit',
  'deadline_shortened',
  'urgency_justification_missing',
  'pin_date_missing',
  'pin_out_of_range',
  'extension_after_change_too_short',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export interface RuleViolation {
  /** Stable code; never renamed once released. */
  rule: RuleCode;
  /** The paragraph of the law (or the policy) the rule comes from. */
  paragraph: string;
  /** Human-readable reason, with the figures involved. */
  message: string;
  /** The request field at fault, when there is one. */
  field?: string;
  details?: Record<string, unknown>;
}

export const none: RuleViolation[] = [];

export const hasText = (s: string | null | undefined): s is string => typeof s === 'string' && s.trim().length > 0;
