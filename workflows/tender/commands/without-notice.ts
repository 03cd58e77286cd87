/**
 * A contract awarded without prior notice (negotiated_without_notice: 6 kap. 12–19 §§ LOU above the
 * threshold, a direct award under 19 a kap. below it) runs its own path from rule set LOU-2026.3: no
 * publication and no statutory tender period. The approved documents go to the suppliers the
 * authority chooses (inviteToNegotiate), their tenders are opened and evaluated, and the award
 * decision starts no standstill (20 kap. 2 § 1 LOU; 19 a kap. 10 §). A voluntary ex-ante
 * transparency notice (recordExAnteNotice) is the authority's option, for this path and for any
 * direct award: the contract then waits 10 days after its publication (20 kap. 3 § LOU), which
 * protects it against invalidity (20 kap. 15 § 4 LOU).
 */
import { isIsoDate, stockholmDateOf } from '@tenderflow/domain/dates';
import { exAnteNoticeParagraph } from '@tenderflow/domain/procedures';
import { ruleSetAtLeast } from '@tenderflow/domain/thresholds';
import type { Actor } from '@tenderflow/domain/types';
import type { CommandPayloads, TenderState } from '@tenderflow/temporal-common/tender-types';
import { ALLOWED, firstRefusal, nonEmpty, refuse, type Verdict } from '@tenderflow/temporal-common/refusals';
import type { Register } from '../tender.commands';
import { checkHorizon } from '../tender.checks';
import type { TenderRun } from '../tender.run';
import { person } from '../tender.state';

/** The most suppliers one invitation names (a negotiation without notice turns to a chosen few). */
const MAX_INVITED = 50;

/** A tender on the path without prior notice: its procedure, under a rule set that has the path. */
export function awardedWithoutNotice(s: Pick<TenderState, 'procedure' | 'ruleSet'>): boolean {
  return s.procedure === 'negotiated_without_notice' && ruleSetAtLeast(s.ruleSet, 'LOU-2026.3');
}

/** Who may publish an ex-ante notice: the path without notice, and every direct award (19 a kap. 9 §). */
function mayGiveExAnteNotice(s: TenderState): boolean {
  return (
    ruleSetAtLeast(s.ruleSet, 'LOU-2026.3') && (s.procedure === 'negotiated_without_notice' || s.regime === 'direct')
  );
}

export function registerWithoutNoticeCommands(run: TenderRun, register: Register): void {
  const s = run.state;
  register('inviteToNegotiate', {
    check: (p) =>
      firstRefusal(
        () =>
          awardedWithoutNotice(s)
            ? ALLOWED
            : refuse(
                'Conflict',
                `Suppliers are invited to negotiate only in a procurement without prior notice; ${s.procedure} is advertised (POST /publication).`,
                {
                  rule: 'procedure',
                },
              ),
        () =>
          s.documents?.approved
            ? ALLOWED
            : refuse('Conflict', 'The documents are not approved.', { rule: 'documents_not_approved' }),
        () => checkSuppliers(p),
        () =>
          isIsoDate(p.deadline) ? ALLOWED : refuse('BadRequest', 'deadline: a date YYYY-MM-DD.', { field: 'deadline' }),
        () => checkHorizon(p.deadline, 'deadline', run.now()),
      ),
    apply: (p, actor) => inviteToNegotiate(run, p, actor),
  });
  register('recordExAnteNotice', {
    check: (p) =>
      firstRefusal(
        () =>
          mayGiveExAnteNotice(s)
            ? ALLOWED
            : refuse(
                'Conflict',
                'A voluntary ex-ante transparency notice belongs to a contract awarded without prior notice or a direct award.',
                {
                  rule: 'procedure',
                  paragraph: '10 kap. 5 § och 19 a kap. 9 § LOU',
                },
              ),
        () =>
          s.exAnteNotice
            ? refuse('Conflict', `The ex-ante notice was recorded on ${s.exAnteNotice.recordedAt.slice(0, 10)}.`, {
                rule: 'already_recorded',
              })
            : ALLOWED,
        () =>
          s.contract
            ? refuse('Conflict', 'The contract is registered: the notice must come before it.', {
                rule: 'contract_registered',
              })
            : ALLOWED,
        () =>
          isIsoDate(p.publishedOn)
            ? ALLOWED
            : refuse('BadRequest', 'publishedOn: a date YYYY-MM-DD.', { field: 'publishedOn' }),
        () =>
          p.publishedOn <= stockholmDateOf(Date.parse(run.now()))
            ? ALLOWED
            : refuse(
                'RuleViolation',
                `publishedOn: ${p.publishedOn} is after today; record the notice once it is published.`,
                { rule: 'date_in_future', field: 'publishedOn' },
              ),
        // A notice of this procurement is published after it started: an earlier date would let the wait be over before it began.
        () =>
          p.publishedOn >= stockholmDateOf(Date.parse(s.createdAt))
            ? ALLOWED
            : refuse(
                'RuleViolation',
                `publishedOn: ${p.publishedOn} is before the procurement started (${stockholmDateOf(Date.parse(s.createdAt))}).`,
                {
                  rule: 'date_before_tender',
                  field: 'publishedOn',
                },
              ),
        () =>
          nonEmpty(p.advertisingDatabase)
            ? ALLOWED
            : refuse('BadRequest', 'advertisingDatabase: where the notice was published.', {
                field: 'advertisingDatabase',
              }),
        () =>
          nonEmpty(p.supplier)
            ? ALLOWED
            : refuse('BadRequest', 'supplier: whom the authority intends to award the contract to.', {
                field: 'supplier',
              }),
      ),
    apply: (p, actor) => recordExAnteNotice(run, p, actor),
  });
}

function checkSuppliers(p: CommandPayloads['inviteToNegotiate']): Verdict {
  if (
    !Array.isArray(p.suppliers) ||
    p.suppliers.length === 0 ||
    p.suppliers.length > MAX_INVITED ||
    !p.suppliers.every((x) => nonEmpty(x?.supplier))
  ) {
    return refuse('BadRequest', `suppliers: 1–${MAX_INVITED} of [{ supplier, orgNumber? }].`, { field: 'suppliers' });
  }
  const names = p.suppliers.map((x) => x.supplier.trim().toLowerCase());
  const twice = names.findIndex((n, i) => names.indexOf(n) !== i);
  if (twice >= 0)
    return refuse('BadRequest', `${p.suppliers[twice].supplier} is named twice.`, {
      field: `suppliers[${twice}].supplier`,
    });
  return ALLOWED;
}

async function inviteToNegotiate(run: TenderRun, p: CommandPayloads['inviteToNegotiate'], actor: Actor): Promise<void> {
  const s = run.state;
  const deadline = await run.compute({
    kind: 'tender_deadline',
    rule: 'fixed',
    lastDay: p.deadline,
    basis: 'myndighetens tid för anbud i förhandlingen (ingen lagstadgad anbudstid utan föregående annonsering)',
  });
  s.candidates = p.suppliers.map((c) => ({ supplier: c.supplier, ...(c.orgNumber ? { orgNumber: c.orgNumber } : {}) }));
  s.negotiation = { invitedAt: run.now(), invitedBy: person(actor) };
  run.setDeadline(deadline);
  run.enter('negotiation', actor, 'suppliers invited without prior notice');
  run.message(
    'invitation',
    run.tendererRecipients(),
    `${s.id}: invitation to tender and negotiate`,
    `You are invited to tender and negotiate in "${s.title}". Tenders by ${deadline.lastDay}.`,
  );
}

async function recordExAnteNotice(
  run: TenderRun,
  p: CommandPayloads['recordExAnteNotice'],
  actor: Actor,
): Promise<void> {
  const s = run.state;
  const wait = await run.compute({ kind: 'ex_ante_wait', rule: 'ex_ante_wait', from: p.publishedOn });
  s.exAnteNotice = {
    publishedOn: p.publishedOn,
    advertisingDatabase: p.advertisingDatabase,
    ...(p.noticeReference ? { noticeReference: p.noticeReference } : {}),
    supplier: p.supplier,
    paragraph: exAnteNoticeParagraph(s.regime),
    waitLastDay: wait.lastDay,
    recordedBy: person(actor),
    recordedAt: run.now(),
  };
  // A wait that has already run out (a notice recorded late) is still the record: it passed.
  if (Date.parse(wait.at) > Date.parse(run.now())) run.setDeadline(wait);
}
