import {
  declaredSanctionsProblem,
  sanctionDecisionProblem,
  sanctionDecisionValue,
  type ContractSanction,
} from './contract-sanctions';

const declared: ContractSanction[] = [
  { kind: 'penalty', clauseReference: 'AV 14.2', maxAmountSek: 200_000 },
  { kind: 'penalty', clauseReference: 'AV 14.3 (per week of delay)', maxAmountSek: 80_000 },
  { kind: 'termination', clauseReference: 'AV 15.1' },
];

describe('contract sanctions: what a contract declares, and a decision within it', () => {
  it('takes a declared list and names the first entry that is off', () => {
    expect(declaredSanctionsProblem(undefined, 1_000_000)).toBeUndefined();
    expect(declaredSanctionsProblem(declared, 1_000_000)).toBeUndefined();
    expect(declaredSanctionsProblem('penalty', 1_000_000)).toMatchObject({ field: 'sanctions' });
    expect(declaredSanctionsProblem(Array(11).fill(declared[0]), 1_000_000)).toMatchObject({ field: 'sanctions' });
    expect(declaredSanctionsProblem([{ kind: 'fine', clauseReference: 'x' }], 1_000_000)).toMatchObject({
      field: 'sanctions[0].kind',
    });
    expect(declaredSanctionsProblem([declared[0], { kind: 'penalty', clauseReference: ' ' }], 1_000_000)).toMatchObject(
      { field: 'sanctions[1].clauseReference' },
    );
    expect(
      declaredSanctionsProblem([{ kind: 'termination', clauseReference: 'AV 15', maxAmountSek: 5 }], 1_000_000),
    ).toMatchObject({ field: 'sanctions[0].maxAmountSek' });
    // A monetary maximum is whole SEK above 0 and at most the contract's value.
    expect(declaredSanctionsProblem([{ ...declared[0], maxAmountSek: 1_000_001 }], 1_000_000)).toMatchObject({
      field: 'sanctions[0].maxAmountSek',
    });
    expect(declaredSanctionsProblem([{ ...declared[0], maxAmountSek: 0.5 }], 1_000_000)).toMatchObject({
      field: 'sanctions[0].maxAmountSek',
    });
    expect(declaredSanctionsProblem([{ ...declared[0], clauseReference: 'x'.repeat(301) }], 1_000_000)).toMatchObject({
      field: 'sanctions[0].clauseReference',
    });
  });

  it('decides only what the contract declares, within the highest clause of that kind', () => {
    const value = 1_000_000;
    expect(sanctionDecisionProblem({ decision: 'refrain' }, declared, value)).toBeUndefined();
    expect(sanctionDecisionProblem({ decision: 'refrain', kind: 'penalty' }, declared, value)).toMatchObject({
      field: 'sanction.kind',
    });
    expect(sanctionDecisionProblem({ decision: 'waive' }, declared, value)).toMatchObject({
      field: 'sanction.decision',
    });
    expect(sanctionDecisionProblem(undefined, declared, value)).toMatchObject({ field: 'sanction' });
    expect(
      sanctionDecisionProblem({ decision: 'impose', kind: 'price_reduction', amountSek: 1 }, declared, value),
    ).toMatchObject({ kind: 'RuleViolation', rule: 'sanction_not_declared' });
    expect(
      sanctionDecisionProblem({ decision: 'impose', kind: 'penalty', amountSek: 200_000 }, declared, value),
    ).toBeUndefined();
    expect(
      sanctionDecisionProblem({ decision: 'impose', kind: 'penalty', amountSek: 200_001 }, declared, value),
    ).toMatchObject({ kind: 'RuleViolation', rule: 'sanction_amount_limit', field: 'sanction.amountSek' });
    expect(sanctionDecisionProblem({ decision: 'impose', kind: 'penalty' }, declared, value)).toMatchObject({
      kind: 'BadRequest',
      field: 'sanction.amountSek',
    });
    expect(sanctionDecisionProblem({ decision: 'impose', kind: 'termination' }, declared, value)).toBeUndefined();
    expect(
      sanctionDecisionProblem({ decision: 'impose', kind: 'termination', amountSek: 5 }, declared, value),
    ).toMatchObject({ field: 'sanction.amountSek' });
    // A clause without a maximum: at most the contract's current value.
    const open: ContractSanction[] = [{ kind: 'price_reduction', clauseReference: 'AV 9' }];
    expect(
      sanctionDecisionProblem({ decision: 'impose', kind: 'price_reduction', amountSek: 300_001 }, open, 300_000),
    ).toMatchObject({ rule: 'sanction_amount_limit' });
  });

  it('takes a decision at its value: the amount, the contract for a termination, the most it could have been to refrain', () => {
    expect(sanctionDecisionValue({ decision: 'impose', kind: 'penalty', amountSek: 50_000 }, declared, 3_900_000)).toBe(
      50_000,
    );
    expect(sanctionDecisionValue({ decision: 'impose', kind: 'termination' }, declared, 3_900_000)).toBe(3_900_000);
    expect(sanctionDecisionValue({ decision: 'refrain' }, declared, 3_900_000)).toBe(3_900_000);
    expect(sanctionDecisionValue({ decision: 'refrain' }, declared.slice(0, 2), 3_900_000)).toBe(200_000);
  });
});
