import type { NotificationAbout, NotificationInput } from '@tenderflow/temporal-common/message-refs';
import type { Gate } from '@tenderflow/domain/types';
import type { Recipient } from '../recipients';

/** The names a language gives the places where recipients act. */
export interface ActionLabels {
  decide: string;
  inbox: string;
  tender: string;
  escalated: string;
  people: string;
  evaluators: string;
  opening: string;
  respond: string;
  complete: string;
  milestones: string;
  contract: string;
  /** The console's page for the same act, first in every message that has one. */
  console: string;
}

export const LOCALES = ['sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** What the read model knows of the tender a message belongs to (absent fields: the row is not there yet). */
export interface TenderFacts {
  id: string;
  title?: string;
  organization?: string;
  category?: string;
  estimatedValueSek?: number;
  nextDeadline?: { kind: string; at: string } | null;
}

export interface MessageFacts {
  key: string;
  kind: NotificationInput['kind'];
  tender: TenderFacts;
  about?: NotificationAbout;
  /** The workflow's own short English words: what a message without `about` says. */
  fallback: { subject: string; body: string };
}

/** A place where the recipient acts or reads: a console page or an API resource. */
export interface ActionLink {
  label: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  /** What a POST or PUT expects, in a few words. */
  hint?: string;
}

/** The four things every message says, besides the tender: what is asked, on what basis, by when, and where. */
export interface MessageParts {
  /** The first line: what happened and what is asked of the recipient. */
  ask: string;
  /** Further lines of detail (quoted reasons, comments). */
  details?: string[];
  basis: string;
  deadline: string;
  /** The calendar entry's words, for messages with a deadline ahead (templates/actions.ts calendarDeadline). */
  calendar?: { summary: string; description: string };
}

/** One language's words. Add a language by implementing this and listing it in LOCALES and TEXTS. */
export interface Texts {
  /** Stable per tender: every message of a tender threads under it. */
  subject(t: TenderFacts): string;
  greeting(name: string | undefined): string;
  labels: { tender: string; ask: string; basis: string; deadline: string; act: string };
  tenderLine(t: TenderFacts): string;
  /** Why this person gets the message, from the recipient that reached them. */
  why(via: Recipient): string;
  footer: string;
  parts(m: MessageFacts): MessageParts;
  actions: ActionLabels;
  /** What follows a POST or PUT link: its body, and that it needs an API client (the console link above needs none). */
  linkHint: (body?: string) => string;
  gateName(g: Gate): string;
  date(day: string): string;
}
