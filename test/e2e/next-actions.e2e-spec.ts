import request from 'supertest';
import { E2eSystem, eventually, startE2eSystem } from '../support/e2e-system';
import { tenderAwaitingDecision } from '../support/e2e-tenders';

/**
 * "What do I do next": GET /tenders/{id}/actions answers each person the commands they may send
 * now (the rules the workflow's validators ask), and GET /tenders?waitingForMe=true lists the
 * tenders that wait for them, as the tender moves from one person to the next.
 */
describe('what each person may do next, and the tenders that wait for them', () => {
  let sys: E2eSystem;
  let officer: string;
  let approver: string;
  let stranger: string;

  beforeAll(async () => {
    sys = await startE2eSystem();
    officer = await sys.token({ sub: 'anna', org: 'HSN', roles: ['procurement_officer'] });
    approver = await sys.token({ sub: 'cecilia', org: 'HSN', roles: ['approver'], approvalLimitSek: 50_000_000 });
    stranger = await sys.token({ sub: 'olle', org: 'REGION', roles: ['procurement_officer', 'approver'] });
  });
  afterAll(() => sys?.close());

  const get = (path: string, token: string) => request(sys.http).get(path).set('Authorization', `Bearer ${token}`);
  const commands = async (id: string, token: string) =>
    ((await get(`/tenders/${id}/actions`, token).expect(200)).body.actions as { command: string; gate?: string }[]).map(
      (a) => a.gate ?? a.command,
    );
  const waiting = async (token: string) =>
    ((await get('/tenders?waitingForMe=true&limit=200', token).expect(200)).body.items as { id: string }[]).map(
      (t) => t.id,
    );

  it('the decision to procure waits for the approver, then the documents for the officer', async () => {
    const id = await tenderAwaitingDecision(sys, officer, `Next actions ${Date.now()}`);
    await eventually(async () => ((await commands(id, approver)).includes('decision_to_procure') ? true : undefined));
    expect(await commands(id, officer)).toEqual(['requestCancellation']);
    expect(await waiting(approver)).toContain(id);
    expect(await waiting(officer)).not.toContain(id);
    // Someone of another organisation learns nothing: the 404 of a missing tender.
    await get(`/tenders/${id}/actions`, stranger).expect(404);
    expect(await waiting(stranger)).not.toContain(id);

    await request(sys.http)
      .post(`/tenders/${id}/gates/decision_to_procure/decision`)
      .set('Authorization', `Bearer ${approver}`)
      .send({ decision: 'approve' })
      .expect(200);
    const after = await get(`/tenders/${id}/actions`, officer).expect(200);
    expect(after.body.actions.map((a: { command: string }) => a.command)).toEqual([
      'registerDocuments',
      'appointEvaluators',
      'requestCancellation',
      // The requirements register is open in the documents phase; nothing to withdraw yet.
      'registerRequirement',
    ]);
    expect(after.body.actions[0]).toMatchObject({ method: 'POST', path: `/tenders/${id}/documents` });
    expect(await commands(id, approver)).toEqual([]);
    expect(await waiting(officer)).toContain(id);
    expect(await waiting(approver)).not.toContain(id);
  });

  it('an invited body is offered its answer, by its own deadline, and sees none of the tender’s other deadlines', async () => {
    const partner = await sys.token({ sub: 'per', org: 'KOMM9', roles: ['partner'] });
    const created = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .send({
        title: `Joint next actions ${Date.now()}`,
        organization: 'HSN',
        category: 'lab-supplies',
        contractType: 'supplies',
        estimatedValueSek: 4_000_000,
        invitedBodies: [{ organization: 'KOMM9', name: 'Kommun Nio', contactEmail: 'upphandling@komm9.example' }],
      })
      .expect(201);
    const id = created.body.id as string;
    await request(sys.http)
      .post(`/tenders/${id}/needs-analysis`)
      .set('Authorization', `Bearer ${officer}`)
      .send({
        sustainability: { notApplicableReason: 'Laboratory reagents with no relevant criteria' },
        laborConditions: { required: false, justification: 'Goods from EU wholesalers' },
        supplyPreparedness: { criticality: 'low' },
        lotJustification: 'One supplier chain',
      })
      .expect(200);
    await eventually(async () => ((await commands(id, approver)).includes('decision_to_procure') ? true : undefined));
    await request(sys.http)
      .post(`/tenders/${id}/gates/decision_to_procure/decision`)
      .set('Authorization', `Bearer ${approver}`)
      .send({ decision: 'approve' })
      .expect(200);
    const answer = (await get(`/tenders/${id}/actions`, partner).expect(200)).body;
    expect(answer.actions).toEqual([
      expect.objectContaining({
        command: 'respondToInvitation',
        path: `/tenders/${id}/coordination/KOMM9/response`,
        organization: 'KOMM9',
        due: expect.objectContaining({ kind: 'coordination_response' }),
      }),
    ]);
    expect(answer.nextDeadline).toMatchObject({ kind: 'coordination_response' });
    expect(await waiting(partner)).toContain(id);
    expect(await waiting(officer)).not.toContain(id);
  });

  it('refuses a waitingForMe that is not a boolean, naming the field', async () => {
    const res = await get('/tenders?waitingForMe=maybe', officer).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'waitingForMe' })]);
  });
});
