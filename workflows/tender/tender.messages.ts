import { defineQuery } from '@temporalio/workflow';
import type {
  Actor,
  ContractType,
  Gate,
  IsoDate,
  Phase,
  Procedure,
  Regime,
} from '../../libs/domain/src/types';

/**
 * The tender workflow's messages. Imported by the API (client side) and the workflow. Wire names
 * (the strings) never change once released.
 */

export interface InvitedBody {
  organization: string;
  name: string;
  contactEmail: string;
}

export interface ThresholdRef {
  id: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  sek: number | null;
  eur: number | null;
  confirmed: boolean;
  source: string;
}

/** Everything the workflow needs to start; classification is done by the API before starting. */
export interface TenderStartInput {
  id: string;
  title: string;
  organization: string;
  category: string;
  contractType: ContractType;
  estimatedValueSek: number;
  regime: Regime;
  procedure: Procedure;
  frameworkAgreement: boolean;
  contractTermMonths?: number;
  extensionOptionMonths: number;
  electronicSubmission: boolean;
  invitedBodies: InvitedBody[];
  threshold: ThresholdRef;
  ruleSet: string;
  createdBy: Actor;
  createdAt: string;
}

export interface Deadline {
  kind: string;
  /** The instant the timer fires (end of the last day, Swedish time). */
  at: string;
  lastDay: IsoDate;
  basis: string;
}

export interface PendingGate {
  gate: Gate;
  requestedBy: { sub: string; name: string };
  since: string;
  /** Who may decide: the rule in words, for the inbox and the UI. */
  mayDecide: string;
}

export interface TimelineEntry {
  phase: Phase;
  enteredAt: string;
  leftAt?: string;
}

export interface TenderState {
  id: string;
  workflowId: string;
  title: string;
  organization: string;
  category: string;
  contractType: ContractType;
  estimatedValueSek: number;
  regime: Regime;
  procedure: Procedure;
  ruleSet: string;
  threshold: ThresholdRef;
  phase: Phase;
  deadlines: Deadline[];
  pendingGates: PendingGate[];
  participants: { organization: string; name: string; status: string }[];
  lots: { title: string; estimatedValueSek: number }[];
  timeline: TimelineEntry[];
  createdBy: { sub: string; name: string };
  createdAt: string;
  /** Increases with every change; the read model keeps the highest it has seen. */
  version: number;
}

export const getStateQuery = defineQuery<TenderState>('getState');

