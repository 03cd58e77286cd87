import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';
import { ocdsSchemaDir } from '../support/ocds-schema';
import { auditChain } from '../support/tender-reads';

/**
 * The requirements register over HTTP (issue 30, part 1), against the real API, worker, Temporal and
 * PostgreSQL: a procurement officer registers the requirements of an EU tender with two lots in the
 * documents phase; bad input is refused with the field and the rule named and changes nothing;
 * GET /tenders/{id}/requirements reads them back with their texts; a withdrawal keeps the requirement
 * with its reason; the register closes when the documents go for approval; the chain holds every
 * requirement's words; and the published tender's OCDS release carries them (validated).
 */
jest.setTimeout(120_000);

const SUFFIX = Math.random().toString(36).slice(2, 7).toUpperCase();
const ORG = `RQ${SUFFIX}`;

describe('the requirements register (real API, worker, Temporal and PostgreSQL)', () => {
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  const call = (method: 'get' | 'post', path: string, who: string, body?: unknown) => {
    const r = request(sys.http)[method](path).set('Authorization', `Bearer ${t[who]}`);
    return body === undefined ? r : r.send(body as object);
  };
  let id: string;

  beforeAll(async () => {
    sys = await startE2eSystem();
    const sub = (name: string) => `${ORG.toLowerCase()}-${name}`;
    t.anna = await sys.token({ sub: sub('anna'), name: 'Anna Upphandlare', org: ORG, roles: ['procurement_officer'] });
    t.bo = await sys.token({
      sub: sub('bo'),
      name: 'Bo Beslutsfattare',
      org: ORG,
      roles: ['approver'],
      approvalLimitSek: 50_000_000,
    });
    t.cm = await sys.token({ sub: sub('cm'), name: 'Kim Kategori', org: ORG, roles: ['category_manager'] });
    t.other = await sys.token({ sub: 'other-anna', name: 'Other', org: 'OTHER', roles: ['procurement_officer'] });

    const created = await call('post', '/tenders', 'anna', {
      title: 'Laboratory reagents with a requirements register',
      organization: ORG,
      category: 'lab-supplies',
      contractType: 'supplies',
      estimatedValueSek: 4_000_000,
      contractTermMonths: 24,
    }).expect(201);
    id = created.body.id;
    await call('post', `/tenders/${id}/needs-analysis`, 'anna', {
      need: 'Reagents for the clinical laboratories',
      sustainability: { criteria: ['Fossil-free transport'], level: 'bas' },
      laborConditions: { required: false, justification: 'Goods from EU wholesalers' },
      supplyPreparedness: { criticality: 'high', measures: 'Safety stock of 8 weeks' },
      lots: [
        { title: 'Kemi', estimatedValueSek: 2_500_000 },
        { title: 'Hematologi', estimatedValueSek: 1_500_000 },
      ],
    }).expect(200);
    await call('post', `/tenders/${id}/gates/decision_to_procure/decision`, 'bo', { decision: 'approve' }).expect(200);
  });
  afterAll(async () => {
    await sys?.close();
  });

  const condition = {
    kind: 'contract_condition',
    text: 'Transporter sker med fordon som uppfyller lägst Euro VI.',
    reference: 'Kontraktsvillkor 7.3',
    lot: 'Kemi',
    sustainabilityCriterionId: '10137:2',
    followUp: {
      method: 'document',
      frequency: 'yearly',
      owner: 'procurement',
      evidence: 'Fordonslista med utsläppsklass',
    },
  };

  it('registers requirements; refuses bad ones by field and rule, changing nothing', async () => {
    await call('post', `/tenders/${id}/requirements`, 'anna', {
      kind: 'supplier_requirement',
      text: 'Leverantören har en omsättning på minst 10 MSEK per år.',
      reference: 'Administrativa föreskrifter 3.2',
    }).expect(200);
    await call('post', `/tenders/${id}/requirements`, 'anna', {
      kind: 'object_requirement',
      text: 'Reagensen är hållbara i minst 12 månader från leverans.',
      reference: 'Kravspecifikation 2.1',
      lot: 'Kemi',
    }).expect(200);
    await call('post', `/tenders/${id}/requirements`, 'anna', {
      kind: 'award_criterion',
      text: 'Leveranstid i arbetsdagar',
      reference: 'Utvärdering 1',
      scoring: { maxScore: 5, weight: 25 },
    }).expect(200);
    const s = (await call('post', `/tenders/${id}/requirements`, 'anna', condition).expect(200)).body;
    expect(s.requirements.map((r: { id: string; kind: string }) => [r.id, r.kind])).toEqual([
      ['K1', 'supplier_requirement'],
      ['K2', 'object_requirement'],
      ['K3', 'award_criterion'],
      ['K4', 'contract_condition'],
    ]);
    // The tender's state carries no requirement's words.
    expect(JSON.stringify(s)).not.toContain('Euro VI');

    const refusedWith = async (body: object, status: number, field: string, who = 'anna') => {
      const r = await call('post', `/tenders/${id}/requirements`, who, body).expect(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
      const named = [r.body.field, ...(r.body.errors ?? []).map((e: { field: string }) => e.field)];
      expect({ field, named: named.includes(field) }).toEqual({ field, named: true });
      return r.body;
    };
    // The DTO's rules (the field and the rule in errors[]) and the workflow's (the field named).
    const kind = await refusedWith({ ...condition, kind: 'wish' }, 400, 'kind');
    expect(kind.errors[0]).toMatchObject({ field: 'kind', rule: 'isIn' });
    await refusedWith({ ...condition, sustainabilityCriterionId: 'ISO 14001' }, 400, 'sustainabilityCriterionId');
    await refusedWith(
      { ...condition, followUp: { ...condition.followUp, frequency: 'weekly' } },
      400,
      'followUp.frequency',
    );
    await refusedWith({ ...condition, lot: 'Mikrobiologi' }, 400, 'lot');
    await refusedWith({ ...condition, followUp: undefined }, 400, 'followUp');
    await refusedWith(
      { kind: 'award_criterion', text: 'Kvalitet', reference: 'U2', scoring: { maxScore: 5 } },
      400,
      'scoring',
    );
    // Text PostgreSQL cannot store (a NUL) is refused before it reaches the workflow.
    await refusedWith({ ...condition, text: 'Euro\u0000VI' }, 400, 'text');
    // Who: a category manager is no procurement officer; another organisation does not see the tender.
    await call('post', `/tenders/${id}/requirements`, 'cm', condition).expect(403);
    await call('post', `/tenders/${id}/requirements`, 'other', condition).expect(404);
    await call('get', `/tenders/${id}/requirements`, 'other').expect(404);

    const after = (await call('get', `/tenders/${id}`, 'anna').expect(200)).body;
    expect(after.requirements).toHaveLength(4);
  });

  it('reads the register back with its texts; a withdrawal keeps the requirement and its reason', async () => {
    await call('post', `/tenders/${id}/requirements/K2/withdrawal`, 'anna', {
      reason: 'Ersätts av tillverkarens hållbarhetsgaranti',
    }).expect(200);
    await call('post', `/tenders/${id}/requirements/K9/withdrawal`, 'anna', { reason: 'Finns inte' }).expect(404);
    const items = (await call('get', `/tenders/${id}/requirements`, 'anna').expect(200)).body.items;
    expect(items).toHaveLength(4);
    expect(items[3]).toMatchObject({
      id: 'K4',
      kind: 'contract_condition',
      text: condition.text,
      reference: 'Kontraktsvillkor 7.3',
      lot: 'Kemi',
      sustainabilityCriterionId: '10137:2',
      followUp: condition.followUp,
    });
    expect(items[1]).toMatchObject({
      id: 'K2',
      withdrawn: { by: { name: 'Anna Upphandlare' } },
      withdrawalReason: 'Ersätts av tillverkarens hållbarhetsgaranti',
    });
    expect(items[2]).toMatchObject({ id: 'K3', scoring: { maxScore: 5, weight: 25 } });
  });

  it('closes with the documents; the chain holds the words; the published release carries the register', async () => {
    await call('post', `/tenders/${id}/documents`, 'anna', {
      documents: [{ title: 'Upphandlingsdokument', reference: 'dms://RQ/1' }],
    }).expect(200);
    const frozen = await call('post', `/tenders/${id}/requirements`, 'anna', condition).expect(409);
    expect(frozen.body.rule).toBe('requirements_frozen');
    await call('post', `/tenders/${id}/gates/documents_approval/decision`, 'bo', { decision: 'approve' }).expect(200);
    await call('post', `/tenders/${id}/publication`, 'anna', { advertisingDatabase: 'e-Avrop' }).expect(200);

    const chain = await auditChain(sys.http, id, t.anna);
    const types = [...chain.values()].map((e) => e.type);
    expect(types.filter((x) => x === 'requirement.registered')).toHaveLength(4);
    expect(types).toContain('requirement.withdrawn');
    const page = (await call('get', `/tenders/${id}/audit`, 'anna').expect(200)).body.items as {
      type: string;
      payload: { payload?: { text?: string } };
    }[];
    const words = page.filter((e) => e.type === 'requirement.registered').map((e) => e.payload.payload?.text);
    expect(words).toContain(condition.text);
    expect((await call('get', `/tenders/${id}/audit/verify`, 'anna').expect(200)).body.valid).toBe(true);

    const ocds = (await request(sys.http).get(`/tenders/${id}/ocds`).expect(200)).body;
    const dir = ocdsSchemaDir();
    const releaseSchema = JSON.parse(readFileSync(join(dir, 'release-schema.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(releaseSchema, releaseSchema.id);
    const validate = ajv.compile(JSON.parse(readFileSync(join(dir, 'release-package-schema.json'), 'utf8')));
    expect(validate(ocds) ? [] : validate.errors).toEqual([]);
    const tender = ocds.releases[0].tender;
    expect(tender.criteria.map((c: { id: string }) => c.id)).toEqual(['K1']);
    expect(tender.awardCriteria).toBe('ratedCriteria');
    expect(tender.lots.map((l: { awardCriteria?: unknown }) => Boolean(l.awardCriteria))).toEqual([true, true]);
    expect(tender.lots[0].contractTerms.performanceTerms).toContain('Euro VI');
    expect(tender.sustainability[0].strategies).toContain('contractPerformanceConditions');
    expect(JSON.stringify(ocds)).not.toContain('Fordonslista');
  });
});
