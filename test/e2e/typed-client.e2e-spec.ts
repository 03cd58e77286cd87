import { AddressInfo } from 'node:net';
import createClient from 'openapi-fetch';
import type { paths } from '../../console/src/api/schema';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';

/**
 * A client generated from the committed openapi.json (openapi-typescript + openapi-fetch) drives
 * the central requests of the e2e suites. `npm test` type-checks this file, so a request the
 * contract does not allow, or a field it does not name, fails the build before it fails here.
 */
describe('a client generated from openapi.json', () => {
  let sys: E2eSystem;
  let client: ReturnType<typeof createClient<paths>>;
  let approverClient: ReturnType<typeof createClient<paths>>;

  beforeAll(async () => {
    sys = await startE2eSystem();
    await sys.app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(sys.app.getHttpServer().address() as AddressInfo).port}`;
    const officer = await sys.token({ sub: 'typed-anna', name: 'Anna', org: 'TYPED', roles: ['procurement_officer'] });
    const approver = await sys.token({
      sub: 'typed-bo',
      name: 'Bo',
      org: 'TYPED',
      roles: ['approver'],
      approvalLimitSek: 10_000_000,
    });
    client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${officer}` } });
    approverClient = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${approver}` } });
  }, 60_000);
  afterAll(async () => {
    await sys?.close();
  });

  it('creates a tender, completes the needs analysis, decides the gate and reads the audit chain', async () => {
    const created = await client.POST('/tenders', {
      params: { header: { 'Idempotency-Key': 'typed-1' } },
      body: {
        title: 'Consultancy hours',
        organization: 'TYPED',
        category: 'consulting',
        contractType: 'services',
        estimatedValueSek: 1_500_000,
      },
    });
    expect(created.response.status).toBe(201);
    const id = (created.data as unknown as { id: string }).id;

    const analysed = await client.POST('/tenders/{id}/needs-analysis', {
      params: { path: { id } },
      body: {
        sustainability: { notApplicableReason: 'Consultancy hours; no material sustainability impact' },
        supplyPreparedness: { criticality: 'low' },
      },
    });
    expect(analysed.response.status).toBe(200);

    const decided = await approverClient.POST('/tenders/{id}/gates/{gate}/decision', {
      params: { path: { id, gate: 'decision_to_procure' } },
      body: { decision: 'approve' },
    });
    expect(decided.response.status).toBe(200);

    const refused = await approverClient.POST('/tenders/{id}/gates/{gate}/decision', {
      params: { path: { id, gate: 'decision_to_procure' } },
      body: { decision: 'approve' },
    });
    expect(refused.response.status).toBe(409);
    expect(refused.error).toMatchObject({ status: 409 });

    const verify = await client.GET('/tenders/{id}/audit/verify', { params: { path: { id } } });
    expect(verify.response.status).toBe(200);
    const list = await client.GET('/tenders', { params: { query: { organization: 'TYPED', limit: 10 } } });
    expect(list.response.status).toBe(200);
  });
});
