import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type ExternalActionKind = 'terminated' | 'cancelled' | 'reset' | 'timed_out' | 'failed';

/** An operator's action on a tender's workflow outside the API (terminate, cancel, reset in Temporal). */
export interface ExternalAction {
  action: ExternalActionKind;
  /** The identity Temporal recorded for the request (for a reset: Temporal's own resetter). */
  identity: string | null;
  reason: string | null;
  /** When the run closed (or was reset), ISO. */
  at: string;
  runId: string;
  /** A reset: the run that continues. */
  newRunId?: string;
}

/** Read model of a tender: what lists and filters need. The workflow is the source of truth. */
@Entity({ name: 'tenders' })
@Index('tenders_keyset', ['createdAt', 'id'])
export class TenderEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'workflow_id', type: 'text', unique: true })
  workflowId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Index()
  @Column({ type: 'text' })
  organization!: string;

  @Index()
  @Column({ type: 'text' })
  category!: string;

  @Column({ name: 'contract_type', type: 'text' })
  contractType!: string;

  @Column({ type: 'text' })
  regime!: string;

  @Column({ type: 'text' })
  procedure!: string;

  @Column({
    name: 'estimated_value_sek',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  estimatedValueSek!: number;

  @Index()
  @Column({ type: 'text' })
  phase!: string;

  @Column({ name: 'rule_set', type: 'text' })
  ruleSet!: string;

  /** The policy version the tender pinned at creation (e.g. REGION@3/BOLAG@1). */
  @Column({ name: 'policy_version', type: 'text', nullable: true })
  policyVersion!: string | null;

  @Column({ name: 'threshold_id', type: 'text', nullable: true })
  thresholdId!: string | null;

  @Column({ name: 'next_deadline', type: 'timestamptz', nullable: true })
  nextDeadline!: Date | null;

  @Column({ name: 'next_deadline_kind', type: 'text', nullable: true })
  nextDeadlineKind!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  /** The last action an operator took on the workflow outside the API, as the reconciler recorded it. */
  @Column({ name: 'external_action', type: 'jsonb', nullable: true })
  externalAction!: ExternalAction | null;

  /** Sequence of the workflow snapshot last written; older snapshots never overwrite newer ones. */
  @Column({ name: 'state_version', type: 'integer', default: 0 })
  stateVersion!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
