import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  createContractActivities,
  REPROCUREMENT_REFUSED,
  type ReprocurementRequest,
} from '@tenderflow/activities/contract.activities';
import { E2eSystem, eventually, startE2eSystem } from '../support/e2e-system';

/**
 * The direct-award limit of 19 a kap. 2 § LOU (700 000 SEK since 1 February 2022, "understiga":
 * the limit itself is not allowed) counts the organisation's direct awards of one category in
 * the financial year. Racing creations over HTTP must never together pass it: each is decided
 * under the scope's lock, creations in flight included.
 */
const LIMIT = 700_000;
const ORG = 'RACE';

describe('direct-award limit under racing creations', () => {
  let sys: E2eSystem;
  let officer: string;
  let approver: string;
  let db: DataSource;
  const run = Date.now().toString(36);

  const body = (category: string, valueSek: number, title = 'Racing direct award') => ({
    title,
    organization: ORG,
    category,
    contractType: 'supplies',
    estimatedValueSek: valueSek,
  });
  const post = (b: object, key: string) =>
    request(sys.http).post('/tenders').set('Authorization', `Bearer ${officer}`).set('Idempotency-Key', key).send(b);
  const ledger = async (category: string) => {
    const [{ total, n }]: { total: string; n: number }[] = await db.query(
      `SELECT COALESCE(SUM(amount_sek), 0) AS total, count(*)::int AS n FROM direct_award_reservations WHERE organization = $1 AND category = $2`,
      [ORG, category],
    );
    return { total: Number(total), n };
  };

  /** n creations of valueSek at once, each with its own key; the answers and the figures. */
  async function race(category: string, n: number, valueSek: number) {
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) => post(body(category, valueSek), `${category}-${i}`)),
    );
    const accepted = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status !== 201);
    const acceptedSum = accepted.length * valueSek;
    process.stdout.write(
      `direct-award race: ${n} × ${valueSek.toLocaleString('sv-SE')} SEK (category ${category}) → ${accepted.length} accepted, ` +
        `${refused.length} refused; accepted sum ${acceptedSum.toLocaleString('sv-SE')} SEK ${acceptedSum <= LIMIT ? '≤' : '>'} limit ${LIMIT.toLocaleString('sv-SE')} SEK` +
        ` (requested together ${(n * valueSek).toLocaleString('sv-SE')} SEK)\n`,
    );
    return { responses, accepted, refused, acceptedSum };
  }

  beforeAll(async () => {
    sys = await startE2eSystem();
    db = sys.app.get(DataSource);
    officer = await sys.token({ sub: 'rut', name: 'Rut', org: ORG, roles: ['procurement_officer'] });
    approver = await sys.token({
      sub: 'rasmus',
      name: 'Rasmus',
      org: ORG,
      roles: ['approver'],
      approvalLimitSek: 1_000_000,
    });
  }, 60_000);
  afterAll(async () => {
    await sys?.close();
  });

  it('20 racing creations of 100 000 SEK: exactly 6 accepted (600 000 SEK: a seventh would reach the limit itself), 14 refused naming the rule', async () => {
    const category = `race-a-${run}`;
    const { accepted, refused, acceptedSum } = await race(category, 20, 100_000);
    expect(acceptedSum).toBeLessThan(LIMIT);
    expect(accepted).toHaveLength(6);
    expect(refused.map((r) => r.status)).toEqual(Array(14).fill(422));
    for (const r of refused) {
      expect(r.body.rule).toBe('direct_award_aggregate_limit');
      expect(r.body.paragraph).toMatch(/19 a kap\. 2 § LOU/);
      expect(r.body.detail).toMatch(/700 000/);
    }
    for (const r of accepted) expect(r.body.regime).toBe('direct');
    expect(new Set(accepted.map((r) => r.body.id)).size).toBe(6);
    // The ledger holds exactly the accepted ones.
    expect(await ledger(category)).toEqual({ total: acceptedSum, n: 6 });
  });

  it("the issue's case, 20 racing creations of 600 000 SEK: one accepted", async () => {
    const category = `race-b-${run}`;
    const { accepted, refused, acceptedSum } = await race(category, 20, 600_000);
    expect(accepted).toHaveLength(1);
    expect(acceptedSum).toBe(600_000);
    expect(refused.every((r) => r.status === 422 && r.body.rule === 'direct_award_aggregate_limit')).toBe(true);
    expect(await ledger(category)).toEqual({ total: 600_000, n: 1 });
  });

  it('a repeated Idempotency-Key is matched before the check: the retry of an accepted creation gets its tender back, even with the limit reached', async () => {
    const category = `race-c-${run}`;
    const first = await post(body(category, LIMIT - 1), `${category}-first`).expect(201);
    // The limit is now used up: a new creation is refused…
    const other = await post(body(category, 1), `${category}-other`).expect(422);
    expect(other.body.rule).toBe('direct_award_aggregate_limit');
    // …but the first creation's retries, sequential and concurrent, are answered with its tender.
    const retries = await Promise.all(
      Array.from({ length: 5 }, () => post(body(category, LIMIT - 1), `${category}-first`)),
    );
    expect(retries.map((r) => [r.status, r.body.id, r.headers['idempotent-replayed']])).toEqual(
      Array(5).fill([201, first.body.id, 'true']),
    );
    expect(await ledger(category)).toEqual({ total: LIMIT - 1, n: 1 });
  });

  it('a cancelled direct award no longer counts', async () => {
    const category = `race-d-${run}`;
    const first = await post(body(category, 500_000, 'To be cancelled'), `${category}-1`).expect(201);
    await post(body(category, 300_000), `${category}-2`).expect(422);
    const id = first.body.id as string;
    await request(sys.http)
      .post(`/tenders/${id}/cancellation`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ reason: 'The need went away' })
      .expect(200);
    await request(sys.http)
      .post(`/tenders/${id}/gates/cancellation/decision`)
      .set('Authorization', `Bearer ${approver}`)
      .send({ decision: 'approve', comment: 'Agreed' })
      .expect(200);
    await eventually(async () => {
      const [row]: { phase: string }[] = await db.query(`SELECT phase FROM tenders WHERE id = $1`, [id]);
      return row?.phase === 'cancelled' ? true : undefined;
    });
    await post(body(category, 300_000), `${category}-3`).expect(201);
  });

  it('re-procurements started by contract follow-ups share the ledger: 10 racing direct awards of 100 000 SEK, 6 get an id (a seventh would reach the limit)', async () => {
    const category = `race-e-${run}`;
    const { prepareReprocurement } = createContractActivities({ dataSource: db });
    // The tenders they re-procure, as their read model has them: a re-procurement takes its
    // organisation, category, title, type and value from there, never from the request.
    const previous = (i: number) => `${ORG}-2025-${run}-${i}`;
    for (let i = 0; i < 10; i++) {
      await db.query(
        `INSERT INTO tenders (id, workflow_id, title, organization, category, contract_type, regime, procedure, estimated_value_sek, phase, rule_set, created_by)
         VALUES ($1, $2, 'Toner', $3, $4, 'supplies', 'direct', 'direct_award', 100000, 'follow_up', 'test', 'system')`,
        [previous(i), `tender-${previous(i)}`, ORG, category],
      );
    }
    const req = (i: number): ReprocurementRequest => ({
      workflowId: `contract-${previous(i)}-K1`,
      milestoneId: `M${i}`,
      previousTenderId: previous(i),
      title: 'Toner',
      organization: ORG,
      category,
      contractType: 'supplies',
      estimatedValueSek: 100_000,
      frameworkAgreement: false,
      extensionOptionMonths: 0,
      createdBy: { sub: 'system', name: 'Follow-up', org: ORG, roles: ['procurement_officer'] },
      createdAt: new Date().toISOString(),
      commandKeys: [],
    });
    const answers = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => prepareReprocurement(req(i))));
    const granted = answers.filter(
      (a): a is PromiseFulfilledResult<Awaited<ReturnType<typeof prepareReprocurement>>> => a.status === 'fulfilled',
    );
    const refused = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    process.stdout.write(
      `direct-award race (re-procurements): 10 × 100 000 SEK → ${granted.length} granted, ${refused.length} refused\n`,
    );
    expect(granted).toHaveLength(6);
    expect(granted.every((g) => g.value.procedure === 'direct_award')).toBe(true);
    expect(refused.map((r) => (r.reason as { type?: string }).type)).toEqual(Array(4).fill(REPROCUREMENT_REFUSED));
    expect(await ledger(category)).toEqual({ total: 600_000, n: 6 });
    // A retried activity gets its id back and reserves nothing more.
    const [first] = granted;
    const i = Number(first.value.previousTenderId!.slice(-1));
    expect((await prepareReprocurement(req(i))).id).toBe(first.value.id);
    expect(await ledger(category)).toEqual({ total: 600_000, n: 6 });
  });
});
