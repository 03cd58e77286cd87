/**
 * The tender's deadlines as timers: what happens when each kind passes. The deadline loop
 * (tender.workflow.ts) calls `fire` under the tender's lock when the earliest deadline is due.
 */
import type { TenderRun } from './tender.run';
import { deadlineRef } from './tender.state';

export async function fire(run: TenderRun, kind: string): Promise<void> {
  const s = run.state;
  const d = run.running(kind);
  if (!d || Date.parse(d.at) > Date.now()) return; // moved or met while this turn waited
  run.closeDeadline(kind, 'passed');
  run.event('timer.fired', null, { kind, lastDay: d.lastDay, at: d.at, basis: d.basis }, undefined);
  switch (kind) {
    // coordination_response: each body's child keeps the deadline and reports its outcome.
    case 'request_deadline':
      s.stage = 'selection';
      break;
    case 'tender_deadline': {
      run.closeDeadline('question_cutoff', 'passed');
      run.closeDeadline('latest_answer', 'passed');
      const due = await run.compute({
        kind: 'opening_due',
        rule: 'period',
        from: d.lastDay,
        params: { days: run.policy.openingDueDays },
        basis: 'policy: open the tenders as soon as possible after the deadline (12 kap. 10 § LOU)',
      });
      run.enter('opening', null, 'tender deadline passed');
      run.setDeadline(due);
      break;
    }
    case 'opening_due':
      run.message(
        'escalation',
        [`user:${s.createdBy.sub}`, `role:category_manager@${s.organization}#${s.category}`],
        `${s.id}: the opening is overdue`,
        `The tenders of "${s.title}" were due to be opened by ${d.lastDay}.`,
        { topic: 'deadline_overdue', deadline: deadlineRef(d) },
      );
      break;
    case 'standstill':
      if (s.phase === 'standstill') run.enter('contract', null, 'standstill ended');
      break;
    case 'review_hold':
      if (s.phase === 'under_review') run.enter('contract', null, 'review hold ended');
      break;
    case 'post_award_notice':
    case 'documentation': {
      const o = s.obligations.find((x) => x.obligation === kind);
      if (o && o.status === 'open') {
        o.status = 'overdue';
        run.message(
          'escalation',
          [`user:${s.createdBy.sub}`, `role:category_manager@${s.organization}#${s.category}`],
          `${s.id}: ${kind} overdue`,
          `${kind} for "${s.title}" was due ${d.lastDay} (${d.basis}).`,
          { topic: 'deadline_overdue', deadline: deadlineRef(d) },
        );
      }
      break;
    }
    default:
      break; // question_cutoff, latest_answer: passing is the whole effect
  }
  await run.commit();
}
