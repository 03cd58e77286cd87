import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Remembers which tender an `Idempotency-Key` created, per caller, so a repeat returns it. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'actor_sub', type: 'text' })
  actorSub!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ name: 'tender_id', type: 'text' })
  tenderId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
