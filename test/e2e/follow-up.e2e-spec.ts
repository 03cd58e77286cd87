import request from 'supertest';
import { DataSource } from 'typeorm';
import type { ContractState } from '@tenderflow/temporal-common/contract-types';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { E2eSystem, eventually, startE2eSystem } from '../support/e2e-system';

/**
 * Joint procurement and contract follow-up over HTTP against the real API, worker, PostgreSQL and
 * Temporal dev server, on the real clock: partners answer their bodies' invitations (each a child
 * workflow of the tender), and a contract manager completes a milestone of a direct award's
 * follow-up (the child contract-<id>; the direct-award path reaches a contract without timers).
 *
 * NOT HERE (time cannot pass on the dev server): reminders, response deadlines, late answers,
 * escalations, extensions and re-procurement over the years. They run on the time-skipping server in
 *   workflows/coordination/coordination.workflow.spec.ts (three bodies: join, decline, silent; late and repeated answers)
 *   workflows/contract/contract.workflow.spec.ts         (a 2 + 1 + 1 year framework agreement to its end)
 */

// Starting the API and worker compiles and bundles them on a cold cache: more than the default 5 s.
jest.setTimeout(60_000);

const ORG = 'HSN';

function swedishDay(days = 0): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
}

describe('joint procurement and contract follow-up over HTTP', () => {
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  const post = (path: string, token: string, body: unknown = {}) =>
    request(sys.http)
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);
  const get = (path: string, token: string) => request(sys.http).get(path).set('Authorization', `Bearer ${token}`);
  async function refused(
    res: request.Response,
    status: number,
  ): Promise<Record<string, unknown> & { rule?: string; detail?: string }> {
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return res.body;
  }

  beforeAll(async () => {
    sys = await startE2eSystem();
    t.anna = await sys.token({ sub: 'anna', name: 'Anna Upphandlare', org: ORG, roles: ['procurement_officer'] });
    t.bo = await sys.token({
      sub: 'bo',
      name: 'Bo Beslutsfattare',
      org: ORG,
      roles: ['approver'],
      approvalLimitSek: 50_000_000,
    });
    t.carl = await sys.token({ sub: 'carl', name: 'Carl Avtalsförvaltare', org: ORG, roles: ['contract_manager'] });
    t.otto = await sys.token({ sub: 'otto', name: 'Otto Annan', org: 'OTHER', roles: ['contract_manager'] });
    t.pia = await sys.token({ sub: 'pia', name: 'Pia Partner', org: 'KOMMUN1', roles: ['partner'] });
    t.per = await sys.token({ sub: 'per', name: 'Per Partner', org: 'KOMMUN2', roles: ['partner'] });
    t.sam = await sys.token({ sub: 'sam', name: 'Sam Partner', org: 'KOMMUN3', roles: ['partner'] });
  });
  afterAll(async () => {
    await sys?.close();
  });

  describe('partners answer for their own bodies', () => {
    let id: string;

    it('the decision to procure starts one coordination workflow per invited body', async () => {
      const created = await post('/tenders', t.anna, {
        title: 'Joint cleaning services',
        organization: ORG,
        category: 'cleaning-joint',
        contractType: 'services',
        estimatedValueSek: 4_000_000,
        contractTermMonths: 24,
        invitedBodies: [{ organization: 'KOMMUN1', name: 'Kommun Ett', contactEmail: 'upphandling@kommun1.se' }],
      }).expect(201);
      id = created.body.id;
      // A second body is invited while preparing the tender.
      await post(`/tenders/${id}/needs-analysis`, t.anna, {
        sustainability: { criteria: ['Ecolabelled cleaning agents'], level: 'bas' },
        laborConditions: { required: true, justification: 'Labour-intensive service' },
        supplyPreparedness: { criticality: 'medium' },
        lotJustification: 'One service, one site cluster',
        invitedBodies: [{ organization: 'KOMMUN2', name: 'Kommun Två', contactEmail: 'upphandling@kommun2.se' }],
      }).expect(200);
      const res = await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, { decision: 'approve' }).expect(
        200,
      );
      const s = res.body as TenderState;
      expect(s.phase).toBe('coordination');
      expect(s.participants.map((p) => [p.organization, p.status, p.workflowId])).toEqual([
        ['KOMMUN1', 'invited', `coordination-${id}-KOMMUN1`],
        ['KOMMUN2', 'invited', `coordination-${id}-KOMMUN2`],
      ]);
    });

    it('403 for another body; 404 (as for a missing tender) for a body not invited; 422 without a mandate; 400 declining without a reason', async () => {
      expect(
        (
          await refused(
            await post(`/tenders/${id}/coordination/KOMMUN1/response`, t.per, {
              answer: 'join',
              estimatedVolume: '10 %',
              mandateReference: 'x',
            }),
            403,
          )
        ).rule,
      ).toBe('own_body_only');
      expect(
        (
          await refused(
            await post(`/tenders/${id}/coordination/KOMMUN3/response`, t.sam, {
              answer: 'join',
              estimatedVolume: '10 %',
              mandateReference: 'x',
            }),
            404,
          )
        ).detail,
      ).toBe(`Tender ${id} does not exist`);
      expect(
        (
          await refused(
            await post(`/tenders/${id}/coordination/KOMMUN1/response`, t.pia, {
              answer: 'join',
              estimatedVolume: '30 %',
            }),
            422,
          )
        ).rule,
      ).toBe('mandate_required');
      await refused(await post(`/tenders/${id}/coordination/KOMMUN2/response`, t.per, { answer: 'decline' }), 400);
    });

    it('200: a body joins; the tender already shows it; a second answer is 409 with the reason', async () => {
      const res = await post(`/tenders/${id}/coordination/KOMMUN1/response`, t.pia, {
        answer: 'join',
        estimatedVolume: '30 % of the volume',
        mandateReference: 'KF 2026-03-12 § 45',
      }).expect(200);
      expect(res.body).toMatchObject({
        view: 'partner',
        phase: 'coordination',
        invitation: { organization: 'KOMMUN1', status: 'joined', answeredBy: { sub: 'pia', name: 'Pia Partner' } },
      });
      const s = (await get(`/tenders/${id}`, t.anna).expect(200)).body as TenderState;
      expect(s.participants[0]).toMatchObject({
        organization: 'KOMMUN1',
        status: 'joined',
        answeredBy: { sub: 'pia', name: 'Pia Partner' },
      });
      const again = await refused(
        await post(`/tenders/${id}/coordination/KOMMUN1/response`, t.pia, {
          answer: 'decline',
          reason: 'Changed our minds',
        }),
        409,
      );
      expect(again).toMatchObject({
        rule: 'already_answered',
        detail: expect.stringMatching(/KOMMUN1 has already answered: joined by Pia Partner/),
      });
    });

    it('with the last answer the tender leaves coordination; the refused answers of invited bodies are in its audit log', async () => {
      const res = await post(`/tenders/${id}/coordination/KOMMUN2/response`, t.per, {
        answer: 'decline',
        reason: 'Our own agreement runs until 2029',
      }).expect(200);
      // The body sees its own answer, not the other body's.
      expect(res.body).toMatchObject({
        view: 'partner',
        phase: 'documents',
        invitation: { organization: 'KOMMUN2', status: 'declined' },
      });
      expect(res.body.participants).toBeUndefined();
      const s = (await get(`/tenders/${id}`, t.anna).expect(200)).body as TenderState;
      expect(s.phase).toBe('documents');
      expect(s.participants.map((p) => [p.organization, p.status])).toEqual([
        ['KOMMUN1', 'joined'],
        ['KOMMUN2', 'declined'],
      ]);
      // The bodies' workflows write their events through activities of their own: read every page until they are in.
      type Event = { type: string; payload: { command?: string; status?: number } };
      const allEvents = async (): Promise<Event[]> => {
        const out: Event[] = [];
        let cursor: string | null = null;
        do {
          const page = await get(`/tenders/${id}/audit${cursor ? `?cursor=${cursor}` : ''}`, t.anna).expect(200);
          out.push(...(page.body.items as Event[]));
          cursor = page.body.nextCursor as string | null;
        } while (cursor);
        return out;
      };
      const expected = ['invitation.sent', 'invitation.answered', 'invitation.joined', 'invitation.declined'];
      const events = await eventually(async () => {
        const list = await allEvents();
        return expected.every((type) => list.some((e) => e.type === type)) ? list : undefined;
      });
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(expected));
      // In the chain: the refusals of the bodies that may answer (ARCHITECTURE §4). Another body's attempt
      // (403) and an uninvited body's (404: the tender is not theirs to see) are in the security log.
      expect(
        events
          .filter((e) => e.type === 'command.refused' && e.payload.command === 'respondToInvitation')
          .map((e) => e.payload.status)
          .sort(),
      ).toEqual([409, 422]);
      // The security log is written beside the answer: wait for both rows.
      const outsiders = await eventually(async () => {
        const rows: { actor_sub: string; kind: string; status: number }[] = await sys.app
          .get(DataSource)
          .query(
            `SELECT actor_sub, kind, status FROM security_events WHERE actor_sub IN ('per', 'sam') AND status IN (403, 404) AND route LIKE $1 ORDER BY id`,
            [`%/tenders/${id}/coordination/%`],
          );
        return rows.length >= 2 ? rows : undefined;
      });
      expect(outsiders).toEqual([
        { actor_sub: 'per', kind: 'cross_organisation', status: 403 },
        { actor_sub: 'sam', kind: 'nonexistent_tender', status: 404 },
      ]);
      await get(`/tenders/${id}/audit/verify`, t.anna)
        .expect(200)
        .expect((r) => expect(r.body.valid).toBe(true));
    });
  });

  describe('a contract manager completes a milestone of a direct award', () => {
    let id: string;
    let contractId: string;

    it('a direct award reaches its contract; registering it starts the follow-up contract-<id>', async () => {
      const created = await post('/tenders', t.anna, {
        title: 'Window cleaning 2027–2028',
        organization: ORG,
        category: 'window-cleaning-e2e',
        contractType: 'services',
        estimatedValueSek: 250_000,
        procedure: 'direct_award',
      }).expect(201);
      id = created.body.id;
      expect(created.body.regime).toBe('direct');
      await post(`/tenders/${id}/needs-analysis`, t.anna, {
        sustainability: { criteria: ['Ecolabelled agents'], level: 'bas' },
        supplyPreparedness: { criticality: 'low' },
      }).expect(200);
      const approved = await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, {
        decision: 'approve',
      }).expect(200);
      expect(approved.body.phase).toBe('contract');
      const res = await post(`/tenders/${id}/contract`, t.anna, {
        supplier: 'Fönsterputs AB',
        valueSek: 240_000,
        startDate: swedishDay(30),
        endDate: swedishDay(30 + 730),
        signedAt: swedishDay(0),
      }).expect(200);
      const s = res.body as TenderState;
      expect(s.phase).toBe('follow_up');
      contractId = s.followUp!.contractId;
      expect(contractId).toBe(`${id}-K1`);
    });

    it('GET /contracts/{id} and /milestones: the plan from the contract dates, its owners and due dates', async () => {
      const c = (await get(`/contracts/${contractId}`, t.carl).expect(200)).body as ContractState;
      expect(c).toMatchObject({
        id: contractId,
        tenderId: id,
        supplier: 'Fönsterputs AB',
        status: 'active',
        buyers: [{ organization: ORG, role: 'lead' }],
      });
      expect(c.milestones.map((m) => m.kind)).toEqual(
        expect.arrayContaining([
          'documentation',
          'startup_meeting',
          'periodic_review',
          'sustainability_check',
          'reprocurement_start',
        ]),
      );
      const list = (await get(`/contracts/${contractId}/milestones`, t.anna).expect(200)).body as {
        milestones: ContractState['milestones'];
      };
      expect(list.milestones).toHaveLength(c.milestones.length);
      expect((await refused(await get(`/contracts/${contractId}`, t.otto), 404)).detail).toBe(
        `Contract ${contractId} does not exist`,
      );
      await refused(await get(`/contracts/not-a-contract`, t.carl), 400);
      await refused(await get(`/contracts/${ORG}-2026-99999-K1`, t.carl), 404);
      // The read model follows.
      const ds = sys.app.get(DataSource);
      const rows = await eventually(async () => {
        const r: { id: string; status: string }[] = await ds.query(
          `SELECT id, status FROM milestones WHERE contract_id = $1`,
          [contractId],
        );
        return r.length === c.milestones.length ? r : undefined;
      });
      expect(rows.every((r) => r.status === 'scheduled')).toBe(true);
    });

    it('POST .../completion: 200 for the contract manager; a deviation adds a corrective action; repeats 409, the wrong role 403, another organisation 404', async () => {
      const c = (await get(`/contracts/${contractId}`, t.carl).expect(200)).body as ContractState;
      const review = c.milestones.find((m) => m.kind === 'periodic_review')!;
      expect(review.owner).toBe('using_unit');
      // The using unit's milestone: not for the procurement officer, nor another organisation.
      expect(
        (
          await refused(
            await post(`/contracts/${contractId}/milestones/${review.id}/completion`, t.anna, {
              outcome: 'ok',
              note: 'x',
            }),
            403,
          )
        ).rule,
      ).toBe('role');
      expect(
        (
          await refused(
            await post(`/contracts/${contractId}/milestones/${review.id}/completion`, t.otto, {
              outcome: 'ok',
              note: 'x',
            }),
            404,
          )
        ).detail,
      ).toBe(`Contract ${contractId} does not exist`);
      await refused(
        await post(`/contracts/${contractId}/milestones/${review.id}/completion`, t.carl, {
          outcome: 'fine',
          note: 'x',
        }),
        400,
      );
      await refused(
        await post(`/contracts/${contractId}/milestones/M999/completion`, t.carl, { outcome: 'ok', note: 'x' }),
        404,
      );

      const res = await post(`/contracts/${contractId}/milestones/${review.id}/completion`, t.carl, {
        outcome: 'deviation',
        note: 'Two sites were missed in March',
      }).expect(200);
      const after = res.body as ContractState;
      const done = after.milestones.find((m) => m.id === review.id)!;
      expect(done).toMatchObject({
        status: 'done',
        completion: { outcome: 'deviation', note: 'Two sites were missed in March', by: { sub: 'carl' } },
      });
      const fix = after.milestones.find((m) => m.id === done.completion!.correctiveActionId)!;
      expect(fix).toMatchObject({
        kind: 'corrective_action',
        correctiveFor: review.id,
        owner: 'using_unit',
        status: 'scheduled',
      });
      const again = await refused(
        await post(`/contracts/${contractId}/milestones/${review.id}/completion`, t.carl, { outcome: 'ok', note: 'x' }),
        409,
      );
      expect(again.rule).toBe('milestone_closed');

      // The public export shows the milestones, not the notes.
      const ocds = await request(sys.http).get(`/tenders/${id}/ocds`).expect(200);
      const milestones = ocds.body.releases[0].contracts[0].implementation.milestones as {
        id: string;
        status: string;
      }[];
      expect(milestones.find((m) => m.id === review.id)!.status).toBe('partiallyMet');
      expect(JSON.stringify(ocds.body)).not.toContain('Two sites were missed');
    });
  });
});
