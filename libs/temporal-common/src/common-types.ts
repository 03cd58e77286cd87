/**
 * The few types the tender's and the contract's start input and state share (people, the signed
 * contract, the record of a command), so that neither imports the other.
 */
import type { IsoDate } from '@tenderflow/domain/types';
import type { Quote } from '@tenderflow/domain/policy';
import type { ContractSanction } from '@tenderflow/domain/contract-sanctions';

export interface PersonRef {
  sub: string;
  name: string;
}

export interface ContractOption {
  description: string;
  months: number;
}

export interface ContractPayload {
  supplier: string;
  orgNumber?: string;
  reference?: string;
  valueSek: number;
  startDate: IsoDate;
  endDate: IsoDate;
  options?: ContractOption[];
  signedAt: IsoDate;
  /** 7 kap. 2 § LOU: why a framework agreement runs longer than four years. */
  specialReasons?: string;
  /** A direct award: the quotes taken (policy directAwardQuotesFromSek and directAwardMinQuotes). */
  quotes?: Quote[];
  /**
   * The share of the contract the supplier intends to subcontract and the subcontractors, when known
   * (the individual report, 12 kap. 15 § LOU). Absent: not recorded (the report says so).
   */
  subcontracting?: Subcontracting;
  /** The sanctions the contract reserves against the supplier (vite, prisavdrag, hävningsrätt), each with its clause (issue 31). */
  sanctions?: ContractSanction[];
}

/** Subcontracting as the supplier stated it: `sharePercent` 0 with no subcontractors is "none". */
export interface Subcontracting {
  /** The share of the contract's value, in whole per cent (0–100); absent when the supplier did not state it. */
  sharePercent?: number;
  subcontractors: { name: string; orgNumber?: string }[];
}

/**
 * Every accepted command: who, when and why. What (the payload) is in the audit chain's
 * `command.accepted` event; a tender's state carries it no more (it grew with every command).
 */
export interface CommandRecord {
  /** The command's wire name; partners' answers (respondToInvitation) reach the tender from its coordination children. */
  command: string;
  actor: { sub: string; name: string; org: string };
  at: string;
  reason?: string;
  payload?: unknown;
}
