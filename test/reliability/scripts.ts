import type { Gate, GateDecision, Phase } from '@tenderflow/domain/types';
import type { CommandName, TenderState } from '@tenderflow/temporal-common/tender-types';
import { Prng } from './prng';

/**
 * The tenders of the reliability run: each a scripted sequence of HTTP commands with what the
 * workflow must show afterwards. Every command carries a tag unique to its step (in its reason,
 * comment, reference or text), so that "this step is done" is read from the tender's state, and a
 * command the workflow accepted twice is visible as two audit events with one tag.
 *
 * Only flows without invited bodies (no coordination child workflows) and without time passing:
 * the tender periods run for weeks, so no timer may fire during the run.
 */

export type Actor = 'officer' | 'approverA' | 'approverB';

export interface Step {
  /** Short label for logs. */
  label: string;
  command: CommandName;
  actor: Actor;
  path: (id: string) => string;
  /** The body, built from the state the driver just read (e.g. a later deadline than the current one). */
  body: (state: TenderState) => Record<string, unknown>;
  tag: string;
  gate?: { gate: Gate; decision: GateDecision };
}

export interface TenderScript {
  index: number;
  kind: ScriptKind;
  idempotencyKey: string;
  createBody: Record<string, unknown>;
  steps: Step[];
  /** The phases of the timeline, in order: every transition exactly once. */
  expectedTimeline: Phase[];
  /** Phase transitions the run's commands cause (timeline length − 1). */
  expectedTransitions: number;
}

export const SCRIPT_KINDS = [
  'eu_full',
  'national_question',
  'changes_to_needs_analysis',
  'changes_to_documents',
  'cancel_approved',
  'cancel_rejected',
  'direct_award',
  'decision_rejected',
] as const;
export type ScriptKind = (typeof SCRIPT_KINDS)[number];

export const ORG = 'REL';

/** 12 kap. LOU etc. as the API expects them: a full EU needs analysis and a simple national one. */
function euNeeds(tag: string) {
  return {
    need: tag,
    sustainability: { criteria: ['Fossil-free transport'], level: 'avancerad' },
    laborConditions: { required: true, justification: 'Transport in the supply chain' },
    supplyPreparedness: { criticality: 'high', measures: 'Safety stock of 8 weeks' },
    lots: [
      { title: 'Lot 1', estimatedValueSek: 2_500_000 },
      { title: 'Lot 2', estimatedValueSek: 1_500_000 },
    ],
  };
}

function simpleNeeds(tag: string) {
  return {
    need: tag,
    sustainability: { notApplicableReason: 'Consultancy hours; no material sustainability impact' },
    supplyPreparedness: { criticality: 'low' },
  };
}

function dayAfter(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function swedishToday(): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

class Builder {
  readonly steps: Step[] = [];
  constructor(
    private readonly runTag: string,
    private readonly index: number,
    private readonly rng: Prng,
  ) {}

  private tag(): string {
    return `${this.runTag}-t${this.index}-s${this.steps.length + 1}`;
  }

  private approver(): Actor {
    return this.rng.pick(['approverA', 'approverB'] as const);
  }

  needs(kind: 'eu' | 'simple'): this {
    const tag = this.tag();
    this.steps.push({
      label: 'needs-analysis',
      command: 'completeNeedsAnalysis',
      actor: 'officer',
      path: (id) => `/tenders/${id}/needs-analysis`,
      body: () => (kind === 'eu' ? euNeeds(tag) : simpleNeeds(tag)),
      tag,
    });
    return this;
  }

  gate(gate: Gate, decision: GateDecision): this {
    const tag = this.tag();
    this.steps.push({
      label: `${gate}:${decision}`,
      command: 'decideGate',
      actor: this.approver(),
      path: (id) => `/tenders/${id}/gates/${gate}/decision`,
      body: () => ({ decision, comment: tag }),
      tag,
      gate: { gate, decision },
    });
    return this;
  }

  documents(): this {
    const tag = this.tag();
    this.steps.push({
      label: 'documents',
      command: 'registerDocuments',
      actor: 'officer',
      path: (id) => `/tenders/${id}/documents`,
      body: () => ({
        documents: [
          { title: 'Administrative provisions', reference: tag, version: '1.0' },
          { title: 'Requirements specification', reference: `${tag}/2` },
        ],
      }),
      tag,
    });
    return this;
  }

  publish(): this {
    const tag = this.tag();
    this.steps.push({
      label: 'publication',
      command: 'publish',
      actor: 'officer',
      path: (id) => `/tenders/${id}/publication`,
      body: () => ({ advertisingDatabase: 'e-Avrop', noticeReference: tag }),
      tag,
    });
    return this;
  }

  question(): this {
    const tag = this.tag();
    this.steps.push({
      label: 'question',
      command: 'askQuestion',
      actor: 'officer',
      path: (id) => `/tenders/${id}/questions`,
      body: () => ({ question: tag, askedBy: 'Supplier AB' }),
      tag,
    });
    return this;
  }

  extension(): this {
    const tag = this.tag();
    this.steps.push({
      label: 'deadline-extension',
      command: 'extendDeadline',
      actor: 'officer',
      path: (id) => `/tenders/${id}/deadline-extensions`,
      body: (s) => {
        const current = s.deadlines.find((d) => d.kind === 'tender_deadline');
        return { deadline: dayAfter(current?.lastDay ?? swedishToday(), 7), reason: tag };
      },
      tag,
    });
    return this;
  }

  cancellation(): this {
    const tag = this.tag();
    this.steps.push({
      label: 'cancellation',
      command: 'requestCancellation',
      actor: 'officer',
      path: (id) => `/tenders/${id}/cancellation`,
      body: () => ({ reason: tag }),
      tag,
    });
    return this;
  }

  contract(valueSek: number): this {
    const tag = this.tag();
    this.steps.push({
      label: 'contract',
      command: 'registerContract',
      actor: 'officer',
      path: (id) => `/tenders/${id}/contract`,
      body: () => {
        const today = swedishToday();
        return {
          supplier: 'Direkt AB',
          reference: tag,
          valueSek,
          startDate: dayAfter(today, 30),
          endDate: dayAfter(today, 395),
          signedAt: today,
        };
      },
      tag,
    });
    return this;
  }
}

/**
 * The phase a direct award reaches after its contract is registered. Today the tender workflow
 * itself enters `follow_up`; should follow-up move to a child workflow, this is where the expected
 * phase changes — never the number of transitions.
 */
export const DIRECT_AWARD_AFTER_CONTRACT: Phase = 'follow_up';

export function buildScript(runTag: string, index: number, kind: ScriptKind, rng: Prng): TenderScript {
  const b = new Builder(runTag, index, rng);
  const eu = {
    contractType: 'supplies',
    estimatedValueSek: 4_000_000,
    category: 'lab-supplies',
    contractTermMonths: 36,
  };
  const national = { contractType: 'services', estimatedValueSek: 1_500_000, category: 'it-services' };
  // A category of its own per direct award: the 700 000 SEK limit counts the category's year total.
  const direct = { contractType: 'services', estimatedValueSek: 300_000, category: `direct-${index}` };
  let base: Record<string, unknown>;
  let timeline: Phase[];
  switch (kind) {
    case 'eu_full':
      base = eu;
      b.needs('eu')
        .gate('decision_to_procure', 'approve')
        .documents()
        .gate('documents_approval', 'approve')
        .publish()
        .question()
        .extension();
      timeline = ['needs_analysis', 'documents', 'published'];
      break;
    case 'national_question':
      base = national;
      b.needs('simple')
        .gate('decision_to_procure', 'approve')
        .documents()
        .gate('documents_approval', 'approve')
        .publish()
        .question();
      timeline = ['needs_analysis', 'documents', 'published'];
      break;
    case 'changes_to_needs_analysis':
      base = rng.next() < 0.5 ? eu : national;
      b.needs(base === eu ? 'eu' : 'simple')
        .gate('decision_to_procure', 'request_changes')
        .needs(base === eu ? 'eu' : 'simple')
        .gate('decision_to_procure', 'approve')
        .documents()
        .gate('documents_approval', 'approve')
        .publish();
      timeline = ['needs_analysis', 'documents', 'published'];
      break;
    case 'changes_to_documents':
      base = eu;
      b.needs('eu')
        .gate('decision_to_procure', 'approve')
        .documents()
        .gate('documents_approval', 'request_changes')
        .documents()
        .gate('documents_approval', 'approve')
        .publish()
        .extension();
      timeline = ['needs_analysis', 'documents', 'published'];
      break;
    case 'cancel_approved':
      base = national;
      b.needs('simple')
        .gate('decision_to_procure', 'approve')
        .documents()
        .cancellation()
        .gate('cancellation', 'approve');
      timeline = ['needs_analysis', 'documents', 'cancelled'];
      break;
    case 'cancel_rejected':
      base = national;
      b.needs('simple')
        .gate('decision_to_procure', 'approve')
        .documents()
        .gate('documents_approval', 'approve')
        .publish()
        .cancellation()
        .gate('cancellation', 'reject')
        .question();
      timeline = ['needs_analysis', 'documents', 'published'];
      break;
    case 'direct_award':
      base = direct;
      b.needs('simple').gate('decision_to_procure', 'approve').contract(290_000);
      timeline = ['needs_analysis', 'contract', DIRECT_AWARD_AFTER_CONTRACT];
      break;
    case 'decision_rejected':
      base = national;
      b.needs('simple').gate('decision_to_procure', 'reject');
      timeline = ['needs_analysis', 'cancelled'];
      break;
  }
  return {
    index,
    kind,
    idempotencyKey: `${runTag}-t${index}`,
    createBody: { title: `Reliability ${runTag} #${index} (${kind})`, organization: ORG, ...base },
    steps: b.steps,
    expectedTimeline: timeline,
    expectedTransitions: timeline.length - 1,
  };
}

/** Every kind at least once (when there is room), the rest drawn at random. */
export function buildScripts(runTag: string, count: number, rng: Prng): TenderScript[] {
  const kinds: ScriptKind[] = [];
  for (let i = 0; i < count; i++) kinds.push(i < SCRIPT_KINDS.length ? SCRIPT_KINDS[i] : rng.pick(SCRIPT_KINDS));
  rng.shuffle(kinds);
  return kinds.map((k, i) => buildScript(runTag, i + 1, k, rng.fork(`script-${i}`)));
}

/** The step is done when the workflow lists an accepted command of its kind carrying its tag. */
/**
 * The step's tag shows in the tender the API reads back (the needs analysis, a decision's comment, a
 * document reference, a question's text, an extension's reason …): the command was applied. The
 * state keeps each command's who, when and why, not its payload (ARCHITECTURE §5): how many times a step
 * was accepted is counted in the audit chain, whose `command.accepted` events carry the payload.
 */
export function stepDone(state: TenderState, step: Step): boolean {
  return containsTag(state, step.tag);
}

export function containsTag(value: unknown, tag: string): boolean {
  if (typeof value === 'string') return value === tag;
  if (Array.isArray(value)) return value.some((v) => containsTag(v, tag));
  if (value && typeof value === 'object') return Object.values(value).some((v) => containsTag(v, tag));
  return false;
}
