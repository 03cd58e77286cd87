import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POLICY_RULES, POLICY_RULE_NAMES } from '@tenderflow/domain/policy';
import { draftOf, policyDiff, ruleKinds, rulesOf, type Rules } from '../../console/src/policy-diff';
import type { OpenApiDocument } from '../../console/src/schema-form';

/** The policy administration's form and diff (console/src/policy-diff.ts), on the committed OpenAPI document. */
const doc = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as OpenApiDocument;
const kinds = ruleKinds(doc);
const names = kinds.map((k) => k.name);
const defaults = { ...DEFAULT_POLICY_RULES } as Rules;

describe('console: a new version of the procurement policy', () => {
  it('reads every rule of the published schema with its kind', () => {
    expect(names).toEqual(POLICY_RULE_NAMES);
    const kind = Object.fromEntries(kinds.map((k) => [k.name, k.kind]));
    expect(kind).toMatchObject({
      questionCutoffDays: 'number',
      dualApprovalFromSek: 'sek',
      lotsRequiredFromSek: 'sek',
      followUpPlanRequired: 'flag',
      contractValueTolerancePercent: 'number',
    });
  });

  it("starts from the version's own rules, the rest inherited, and sends back exactly what it set", () => {
    const own: Rules = {
      questionCutoffDays: 8,
      dualApprovalFromSek: 5_000_000,
      lotsRequiredFromSek: false,
      followUpPlanRequired: true,
    };
    const draft = draftOf(kinds, own);
    expect(draft.questionCutoffDays).toEqual({ mode: 'set', text: '8' });
    expect(draft.dualApprovalFromSek).toEqual({ mode: 'set', text: '5000000' });
    expect(draft.lotsRequiredFromSek).toEqual({ mode: 'off', text: '' });
    expect(draft.followUpPlanRequired).toEqual({ mode: 'set', text: 'yes' });
    expect(draft.openingDueDays).toEqual({ mode: 'inherit', text: '' });
    expect(rulesOf(kinds, draft)).toEqual(own);
  });

  it('reads numbers as the administrator types them; what is not a number is sent as typed, for the API to name', () => {
    const draft = draftOf(kinds, {});
    draft.dualApprovalFromSek = { mode: 'set', text: '5 000 000' };
    draft.contractValueTolerancePercent = { mode: 'set', text: '2,5' };
    draft.questionCutoffDays = { mode: 'set', text: 'tio' };
    draft.directAwardQuotesFromSek = { mode: 'set', text: '' };
    draft.groupCoordinationCheck = { mode: 'set', text: 'no' };
    expect(rulesOf(kinds, draft)).toEqual({
      questionCutoffDays: 'tio',
      dualApprovalFromSek: 5_000_000,
      directAwardQuotesFromSek: '',
      groupCoordinationCheck: false,
      contractValueTolerancePercent: 2.5,
    });
  });

  it('shows the change rule by rule: the value in force before and after, own or inherited', () => {
    // Version 2 sets the question cut-off and dual approval; version 3 changes the cut-off, switches
    // dual approval off, leaves the opening to the defaults and sets the reminder to what it inherits.
    const before: Rules = { questionCutoffDays: 8, dualApprovalFromSek: 5_000_000, openingDueDays: 2 };
    const after: Rules = { questionCutoffDays: 12, dualApprovalFromSek: false, coordinationReminderDays: 3 };
    expect(policyDiff(names, defaults, before, after)).toEqual([
      { rule: 'questionCutoffDays', before: { value: 8, own: true }, after: { value: 12, own: true } },
      { rule: 'coordinationReminderDays', before: { value: 3, own: false }, after: { value: 3, own: true } },
      { rule: 'openingDueDays', before: { value: 2, own: true }, after: { value: 1, own: false } },
      { rule: 'dualApprovalFromSek', before: { value: 5_000_000, own: true }, after: { value: false, own: true } },
    ]);
    expect(policyDiff(names, defaults, before, { ...before })).toEqual([]);
  });

  it("a company's version is compared with what it inherits from its group", () => {
    const group: Rules = { ...defaults, dualApprovalFromSek: 2_000_000, followUpPlanRequired: true };
    expect(policyDiff(names, group, { followUpPlanRequired: false }, {})).toEqual([
      { rule: 'followUpPlanRequired', before: { value: false, own: true }, after: { value: true, own: false } },
    ]);
  });
});
