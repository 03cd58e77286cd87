import request from 'supertest';
import { RULE_EXPLANATIONS } from '@tenderflow/domain/rule-texts';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';
import { tenderAwaitingDecision } from '../support/e2e-tenders';

const SWEDISH = 'sv-SE,sv;q=0.9,en;q=0.8';

/**
 * Problem details in the language the request asks for: Swedish for Accept-Language: sv (a refusal
 * from the workflow through the command gateway, a body the validation pipe refuses, a 405 written
 * by Express middleware), English as before without the header.
 */
describe('problem details in Swedish (Accept-Language: sv)', () => {
  let sys: E2eSystem;
  let olof: string;
  let id: string;

  beforeAll(async () => {
    sys = await startE2eSystem();
    // He may ask for the decision to procure and holds the approver role; four-eyes refuses his own request.
    olof = await sys.token({
      sub: 'olof-sv',
      name: 'Olof Upphandlare',
      org: 'HSN',
      roles: ['procurement_officer', 'approver'],
      approvalLimitSek: 50_000_000,
    });
    id = await tenderAwaitingDecision(sys, olof, 'Problem details in Swedish');
  });
  afterAll(async () => {
    await sys?.close();
  });

  const decide = (gate: string, body: object, language?: string) => {
    const req = request(sys.http).post(`/tenders/${id}/gates/${gate}/decision`).set('Authorization', `Bearer ${olof}`);
    return (language ? req.set('Accept-Language', language) : req).send(body);
  };

  it("says a workflow's refusal by its rule in Swedish, keeping the English sentence in detailEn", async () => {
    const sv = await decide('decision_to_procure', { decision: 'approve' }, SWEDISH).expect(403);
    expect(sv.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(sv.headers['content-language']).toBe('sv');
    expect(sv.headers.vary).toMatch(/Accept-Language/);
    expect(sv.body).toMatchObject({ status: 403, title: 'Åtkomst nekad', rule: 'four_eyes' });
    expect(sv.body.detail).toContain(RULE_EXPLANATIONS.sv.four_eyes!.replace(/\.$/, ''));
    expect(sv.body.detailEn).toMatch(/another person/);

    const en = await decide('decision_to_procure', { decision: 'approve' }).expect(403);
    expect(en.headers['content-language']).toBe('en');
    expect(en.headers.vary).toMatch(/Accept-Language/);
    expect(en.body).toMatchObject({ status: 403, title: 'Forbidden', rule: 'four_eyes', detail: sv.body.detailEn });
    expect(en.body).not.toHaveProperty('detailEn');

    const notPending = await decide('documents_approval', { decision: 'approve' }, 'sv').expect(409);
    expect(notPending.body).toMatchObject({
      title: 'Konflikt',
      rule: 'gate_not_pending',
      detail: 'Inget sådant beslut väntar.',
    });
  });

  it('names each refused field in Swedish with the figures of its constraint', async () => {
    const sv = await decide('decision_to_procure', { decision: 'reject', comment: '' }, SWEDISH).expect(400);
    expect(sv.headers['content-language']).toBe('sv');
    expect(sv.body).toMatchObject({
      title: 'Felaktig begäran',
      detail: 'Ogiltig begäran: comment (isLength)',
      detailEn: 'Invalid request: comment (isLength)',
      errors: [{ field: 'comment', rule: 'isLength', message: 'comment: minst 1 tecken' }],
    });
    const created = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${olof}`)
      .set('Accept-Language', 'sv')
      .send({
        title: 'Reagenser',
        organization: 'HSN',
        category: 'lab-supplies',
        contractType: 'supplies',
        estimatedValueSek: 1.5,
        contractTermMonths: 24,
        colour: 'red',
      })
      .expect(400);
    expect(created.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'estimatedValueSek', rule: 'isInt', message: 'estimatedValueSek: ett heltal' },
        { field: 'colour', rule: 'unknown_field', message: 'colour: okänt fält' },
      ]),
    );

    const en = await decide('decision_to_procure', { decision: 'reject', comment: '' }, 'en').expect(400);
    expect(en.headers['content-language']).toBe('en');
    expect(en.body).toMatchObject({
      title: 'Bad Request',
      detail: 'Invalid request: comment (isLength)',
      errors: [{ field: 'comment', rule: 'isLength', message: 'comment must be longer than or equal to 1 characters' }],
    });
  });

  it('says answers written outside the exception filter (405) in Swedish too', async () => {
    const sv = await request(sys.http).delete('/tenders').set('Accept-Language', 'sv').expect(405);
    expect(sv.headers['content-language']).toBe('sv');
    expect(sv.body).toMatchObject({ title: 'Metoden tillåts inte', detailEn: expect.any(String) });
    const en = await request(sys.http).delete('/tenders').expect(405);
    expect(en.body).toMatchObject({ title: 'Method Not Allowed' });
    expect(en.body).not.toHaveProperty('detailEn');
  });
});
