import request from 'supertest';
import type { E2eSystem } from './e2e-system';

/**
 * A tender of HSN (4 MSEK supplies, 24 months) created and given its needs analysis over HTTP by
 * `officerToken`: it waits for the decision to procure, the usual starting point of the suites
 * that send commands past the API or change the system around a running tender.
 */
export async function tenderAwaitingDecision(
  sys: Pick<E2eSystem, 'http'>,
  officerToken: string,
  title = 'Awaiting the decision to procure',
): Promise<string> {
  const post = (path: string, body: object) =>
    request(sys.http).post(path).set('Authorization', `Bearer ${officerToken}`).send(body);
  const created = await post('/tenders', {
    title,
    organization: 'HSN',
    category: 'lab-supplies',
    contractType: 'supplies',
    estimatedValueSek: 4_000_000,
    contractTermMonths: 24,
  }).expect(201);
  const id = created.body.id as string;
  const analysed = await post(`/tenders/${id}/needs-analysis`, {
    sustainability: { notApplicableReason: 'Laboratory reagents with no relevant criteria' },
    laborConditions: { required: false, justification: 'Goods from EU wholesalers' },
    supplyPreparedness: { criticality: 'low' },
    lotJustification: 'One supplier chain',
  });
  // The answer's body names the rule when it is refused: a bare status hides why.
  expect({ status: analysed.status, body: analysed.status === 200 ? 'ok' : analysed.body }).toEqual({
    status: 200,
    body: 'ok',
  });
  return id;
}
