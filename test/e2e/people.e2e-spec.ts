import request from 'supertest';
import { DataSource } from 'typeorm';
import { createNotificationActivities } from '@tenderflow/activities/notification.activities';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';

/**
 * The directory of people over HTTP: an administrator's SCIM-like import (validated, audited,
 * replacing what the import knew before), and how it meets what sign-ins record.
 */

const ORG = 'PPL';
const EXT = 'urn:tenderflow:params:scim:schemas:extension:procurement:2.0:User';

const user = (userName: string, displayName: string, extra: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', EXT],
  userName,
  displayName,
  emails: [{ value: `${userName}@ppl.example`, primary: true, type: 'work' }],
  ...extra,
});

describe('directory of people: PUT /organizations/{org}/people (SCIM-like)', () => {
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  const put = (who: string, body: unknown, org = ORG) =>
    request(sys.http)
      .put(`/organizations/${org}/people`)
      .set('Authorization', `Bearer ${t[who]}`)
      .send(body as object);
  const get = (path: string, who: string) => request(sys.http).get(path).set('Authorization', `Bearer ${t[who]}`);
  const list = async () =>
    (await get(`/organizations/${ORG}/people`, 'admin').expect(200)).body.items as Record<string, unknown>[];

  beforeAll(async () => {
    sys = await startE2eSystem();
    t.admin = await sys.token({ sub: 'ppl-admin', name: 'Ada Admin', org: ORG, roles: ['admin'] });
    t.officer = await sys.token({ sub: 'ppl-anna', name: 'Anna', org: ORG, roles: ['procurement_officer'] });
    t.otherAdmin = await sys.token({ sub: 'pqx-admin', name: 'Otto Admin', org: 'PQX', roles: ['admin'] });
  }, 60_000);
  afterAll(async () => {
    await sys?.close();
  });

  it('imports people, then replaces the set: changed ones updated, absent ones inactive; audited with who did it', async () => {
    const first = await put('admin', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      Resources: [
        user('ppl-bo', 'Bo Beslutsfattare', {
          roles: [{ value: 'approver' }],
          [EXT]: { approvalLimitSek: 10_000_000 },
        }),
        user('ppl-eli', 'Eli English', {
          preferredLanguage: 'en-GB',
          roles: [{ value: 'category_manager' }],
          [EXT]: { categories: ['lab', 'it'] },
        }),
        user('ppl-kim', 'Kim Kvar', { roles: [{ value: 'contract_manager' }] }),
      ],
    }).expect(200);
    expect(first.body).toEqual({
      organization: ORG,
      received: 3,
      created: ['ppl-bo', 'ppl-eli', 'ppl-kim'],
      updated: [],
      unchanged: 0,
      deactivated: [],
    });
    expect((await list()).find((p) => p.sub === 'ppl-eli')).toMatchObject({
      name: 'Eli English',
      email: 'ppl-eli@ppl.example',
      locale: 'en',
      roles: ['category_manager'],
      categories: ['it', 'lab'],
      source: 'import',
      active: true,
    });

    const second = await put('admin', {
      Resources: [
        user('ppl-bo', 'Bo Beslutsfattare', {
          roles: [{ value: 'approver' }],
          [EXT]: { approvalLimitSek: 20_000_000 },
        }),
        user('ppl-eli', 'Eli English', {
          preferredLanguage: 'en-GB',
          roles: [{ value: 'category_manager' }],
          [EXT]: { categories: ['lab', 'it'] },
        }),
      ],
    }).expect(200);
    expect(second.body).toMatchObject({ created: [], updated: ['ppl-bo'], unchanged: 1, deactivated: ['ppl-kim'] });
    const people = await list();
    expect(people.find((p) => p.sub === 'ppl-bo')).toMatchObject({ approvalLimitSek: 20_000_000 });
    expect(people.find((p) => p.sub === 'ppl-kim')).toMatchObject({ active: false });

    const audit = (await get(`/organizations/${ORG}/people/audit`, 'admin').expect(200)).body.items;
    expect(audit.map((e: { type: string; actor: { sub: string } }) => [e.type, e.actor.sub])).toEqual([
      ['directory.imported', 'ppl-admin'],
      ['directory.imported', 'ppl-admin'],
    ]);
    expect(audit[1].payload).toMatchObject({ updated: ['ppl-bo'], deactivated: ['ppl-kim'] });
    expect(audit[1].prevHash).toBe(audit[0].hash);
  });

  it('is for the organisation’s administrators: 403 to others, 409 for a person of another organisation', async () => {
    await put('officer', { Resources: [] }).expect(403);
    await put('otherAdmin', { Resources: [] }).expect(403);
    await get(`/organizations/${ORG}/people`, 'otherAdmin').expect(403);
    await put('otherAdmin', { Resources: [] }, 'pq x').expect(400);
    const res = await put('otherAdmin', { Resources: [user('ppl-bo', 'Bo')] }, 'PQX').expect(409);
    expect(res.body).toMatchObject({
      rule: 'other_organization',
      detail: expect.stringContaining('ppl-bo belongs to PPL'),
    });
  });

  it('a sign-in records the token’s claims over the import, keeps the imported address when the token has none, and leaves the person the import’s', async () => {
    t.bo = await sys.token({
      sub: 'ppl-bo',
      name: 'Bo B.',
      org: ORG,
      roles: ['approver'],
      approvalLimitSek: 30_000_000,
    });
    await get('/approvals', 'bo').expect(200);
    // Still `import`: a later import that leaves Bo out deactivates him, signed in or not.
    expect((await list()).find((p) => p.sub === 'ppl-bo')).toMatchObject({
      name: 'Bo B.',
      approvalLimitSek: 30_000_000,
      email: 'ppl-bo@ppl.example',
      source: 'import',
    });
  });

  it('writes to an imported person in their language, before they ever signed in', async () => {
    const ds = sys.worker.get(DataSource);
    const key = `tender-${ORG}-2026-00001:other:1`;
    await createNotificationActivities({
      dataSource: ds,
      outbox: { publicBaseUrl: 'https://tf.example', from: 'tf@ppl.example' },
    }).notify({
      key,
      tenderId: `${ORG}-2026-00001`,
      kind: 'escalation',
      recipients: [`role:category_manager@${ORG}#lab`],
      subject: 's',
      body: 'b',
      about: {
        topic: 'deadline_overdue',
        deadline: { kind: 'opening_due', lastDay: '2026-11-20', basis: '12 kap. 10 § LOU' },
      },
    });
    const [row] = await ds.query(
      `SELECT d.person_sub, d.locale, d.status, d.subject, d.body FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.key = $1`,
      [key],
    );
    expect(row).toMatchObject({
      person_sub: 'ppl-eli',
      locale: 'en',
      status: 'queued',
      subject: `Procurement ${ORG}-2026-00001`,
    });
    expect(row.body).toContain('The opening of tenders in procurement PPL-2026-00001 is overdue.');
  });

  it('refuses a malformed import with 400 naming each field and rule, before anything changes', async () => {
    const res = await put('admin', {
      Resources: [
        user('ppl-x', 'X', {
          emails: [{ value: 'not-an-address' }],
          roles: [{ value: 'pope' }],
          preferredLanguage: 'fi',
          [EXT]: { approvalLimitSek: -1 },
        }),
        { userName: '', displayName: 'Y', shoeSize: 44 },
      ],
    }).expect(400);
    const fields = (res.body.errors as { field: string; rule: string }[]).map((e) => `${e.field}:${e.rule}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'Resources.0.emails.0.value:isEmail',
        'Resources.0.roles.0.value:isIn',
        'Resources.0.preferredLanguage:matches',
        `Resources.0.${EXT}.approvalLimitSek:min`,
        'Resources.1.userName:isLength',
        'Resources.1.shoeSize:unknown_field',
      ]),
    );
    const dup = await put('admin', { Resources: [user('ppl-bo', 'Bo'), user('ppl-bo', 'Bo again')] }).expect(400);
    expect(dup.body.errors).toEqual([expect.objectContaining({ field: 'Resources.userName', rule: 'unique' })]);
    expect((await list()).some((p) => p.sub === 'ppl-x')).toBe(false);
  });
  /** Another organisation's directory, so that these imports leave PPL's set as the tests above made it. */
  describe('sign-ins against what an import says', () => {
    const OWN = 'PPM';
    const own = (userName: string, displayName: string) => ({
      ...user(userName, displayName),
      emails: [{ value: `${userName}@ppm.example`, primary: true, type: 'work' }],
    });
    const people = async () =>
      (await get(`/organizations/${OWN}/people`, 'ppmAdmin').expect(200)).body.items as Record<string, unknown>[];
    beforeAll(async () => {
      t.ppmAdmin = await sys.token({ sub: 'ppm-admin', name: 'Pia Admin', org: OWN, roles: ['admin'] });
    });

    it('a sign-in with a still-valid token does not re-activate a person an import deactivated', async () => {
      await put('ppmAdmin', { Resources: [own('ppm-lea', 'Lea Leaver'), own('ppm-stay', 'Stig Stays')] }, OWN).expect(
        200,
      );
      t.leaver = await sys.token({ sub: 'ppm-lea', name: 'Lea Leaver', org: OWN, roles: ['procurement_officer'] });
      await get('/tenders', 'leaver').expect(200);
      // Lea leaves: the next import does not list her.
      await put('ppmAdmin', { Resources: [own('ppm-stay', 'Stig Stays')] }, OWN).expect(200);
      expect((await people()).find((p) => p.sub === 'ppm-lea')).toMatchObject({ active: false, source: 'import' });
      // A token of hers still valid for a while (a changed name, so that the sign-in is written):
      // it records the sign-in's claims, not a return.
      t.leaver = await sys.token({ sub: 'ppm-lea', name: 'Lea L.', org: OWN, roles: ['procurement_officer'] });
      await get('/tenders', 'leaver').expect(200);
      expect((await people()).find((p) => p.sub === 'ppm-lea')).toMatchObject({
        name: 'Lea L.',
        active: false,
        source: 'import',
      });
    });

    it("a person of another organisation signing in with a subject this organisation imported keeps none of this organisation's address or hold", async () => {
      await put(
        'ppmAdmin',
        { Resources: [own('ppm-stay', 'Stig Stays'), own('shared-sub', 'Sam Import')] },
        OWN,
      ).expect(200);
      expect((await people()).find((p) => p.sub === 'shared-sub')).toMatchObject({
        email: 'shared-sub@ppm.example',
        source: 'import',
      });
      t.sam = await sys.token({
        sub: 'shared-sub',
        name: 'Sam Other',
        org: 'PQX',
        roles: ['approver'],
        approvalLimitSek: 1_000_000,
      });
      await get('/approvals', 'sam').expect(200);
      const [row] = await sys.app
        .get(DataSource)
        .query(`SELECT organization, email, source, active FROM people WHERE sub = 'shared-sub'`);
      // Now PQX's (its own token says so), without PPM's mailbox: PQX's gate requests never reach PPM.
      expect(row).toEqual({ organization: 'PQX', email: null, source: 'token', active: true });
      expect((await people()).find((p) => p.sub === 'shared-sub')).toBeUndefined();
    });
  });
});
