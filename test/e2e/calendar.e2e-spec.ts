import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TemporalService } from '../../apps/api/src/temporal/temporal.service';
import { E2eSystem, eventually, startE2eSystem } from '../support/e2e-system';

/**
 * GET /calendar.ics over the real API, worker, PostgreSQL and Temporal: the deadlines of the
 * caller's tenders as iCalendar, with a bearer token or a per-person feed token, seen the way an
 * attacker would try it — another organisation's feed, a title that tries to write iCalendar of
 * its own, a revoked, replaced or made-up token.
 */

const A = 'CALA';
const B = 'CALB';
const HOSTILE =
  'Städ; fönster, \\ tvätt\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged@evil\r\nSUMMARY:owned\nATTENDEE:mailto:x@evil.example';

const tenderBody = (organization: string, title: string) => ({
  title,
  organization,
  category: 'cal-cleaning',
  contractType: 'services',
  estimatedValueSek: 4_000_000,
  contractTermMonths: 36,
  invitedBodies: [{ organization: `${organization}K`, name: 'Kommunen', contactEmail: 'upphandling@kommun.example' }],
});

const needsAnalysis = {
  need: 'Cleaning of the hospital buildings',
  sustainability: { criteria: ['Ecolabelled detergents'], level: 'bas' },
  laborConditions: { required: true, justification: 'Labour-intensive service' },
  supplyPreparedness: { criticality: 'medium', measures: 'Two suppliers' },
  lots: [
    { title: 'Lot 1: north', estimatedValueSek: 2_000_000 },
    { title: 'Lot 2: south', estimatedValueSek: 2_000_000 },
  ],
};

function events(ics: string) {
  const vcal = new ICAL.Component(ICAL.parse(ics));
  return vcal.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
}

describe('calendar feed: GET /calendar.ics', () => {
  let sys: E2eSystem;
  let db: DataSource;
  const t: Record<string, string> = {};
  let tenderA: string;
  let tenderB: string;
  const post = (path: string, token: string, body: unknown = {}) =>
    request(sys.http)
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);
  const calendar = (token: string) =>
    request(sys.http).get('/calendar.ics').set('Authorization', `Bearer ${token}`).buffer(true).parse(text);
  const feed = (url: string) =>
    request(sys.http)
      .get(new URL(url).pathname + new URL(url).search)
      .buffer(true)
      .parse(text);

  /** Starts a tender and takes it to coordination, where it has a response deadline and a reminder. */
  async function coordinating(officer: string, approver: string, org: string, title: string): Promise<string> {
    const id = (await post('/tenders', t[officer], tenderBody(org, title)).expect(201)).body.id as string;
    await post(`/tenders/${id}/needs-analysis`, t[officer], needsAnalysis).expect(200);
    const decided = await post(`/tenders/${id}/gates/decision_to_procure/decision`, t[approver], {
      decision: 'approve',
    }).expect(200);
    expect(decided.body.phase).toBe('coordination');
    return id;
  }

  beforeAll(async () => {
    sys = await startE2eSystem();
    db = sys.app.get(DataSource);
    t.anna = await sys.token({ sub: 'cal-anna', name: 'Anna Kalender', org: A, roles: ['procurement_officer'] });
    t.bo = await sys.token({
      sub: 'cal-bo',
      name: 'Bo Beslut',
      org: A,
      roles: ['approver'],
      approvalLimitSek: 10_000_000,
    });
    t.olle = await sys.token({ sub: 'cal-olle', name: 'Olle Annan', org: B, roles: ['procurement_officer'] });
    t.stina = await sys.token({
      sub: 'cal-stina',
      name: 'Stina Annan',
      org: B,
      roles: ['approver'],
      approvalLimitSek: 10_000_000,
    });
    tenderA = await coordinating('anna', 'bo', A, HOSTILE);
    tenderB = await coordinating('olle', 'stina', B, 'Secret of the other organisation');
  }, 120_000);

  afterAll(async () => {
    await sys?.close();
  });

  it("answers text/calendar with one all-day VEVENT per deadline of the caller's tenders, each with its basis", async () => {
    const res = await calendar(t.anna).expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const ics = res.body as string;
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);

    const state = (
      await request(sys.http).get(`/tenders/${tenderA}`).set('Authorization', `Bearer ${t.anna}`).expect(200)
    ).body as {
      deadlines: { kind: string; lastDay: string; basis: string }[];
    };
    expect(state.deadlines.map((d) => d.kind)).toContain('coordination_response');
    const mine = events(ics).filter((e) => e.uid.startsWith(`${tenderA}.`));
    expect(mine.map((e) => e.uid).sort()).toEqual(state.deadlines.map((d) => `${tenderA}.${d.kind}@tenderflow`).sort());
    for (const d of state.deadlines) {
      const e = mine.find((x) => x.uid === `${tenderA}.${d.kind}@tenderflow`)!;
      expect(e.startDate.isDate).toBe(true);
      expect(e.startDate.toString()).toBe(d.lastDay);
      expect(e.description).toContain(`Grund: ${d.basis}`);
      expect(e.component.getFirstPropertyValue('dtstamp')).toBeTruthy();
    }
    expect(
      mine
        .find((e) => e.uid.includes('coordination_response'))!
        .summary.startsWith('Svaret på inbjudan till samordnad upphandling: '),
    ).toBe(true);
  });

  it('a hostile title stays inside SUMMARY: escaped, no forged event, UID or attendee', async () => {
    const ics = (await calendar(t.anna).expect(200)).body as string;
    const all = events(ics);
    expect(all.some((e) => e.uid === 'forged@evil')).toBe(false);
    const unfolded = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
    expect(unfolded.some((l) => l.startsWith('ATTENDEE'))).toBe(false);
    expect(unfolded.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(all.length);
    const e = all.find((x) => x.uid === `${tenderA}.coordination_response@tenderflow`)!;
    expect(e.summary).toBe(
      `Svaret på inbjudan till samordnad upphandling: ${HOSTILE.replace(/\r\n|\n/g, '\n')} (${tenderA})`,
    );
    expect(unfolded.find((l) => l.startsWith('SUMMARY:') && l.includes(tenderA))).toContain(
      'Städ\\; fönster\\, \\\\ tvätt\\nEND:VEVENT\\nBEGIN:VEVENT',
    );
  });

  it("never shows another organisation's tenders, with a bearer token or a feed token", async () => {
    const annas = (await calendar(t.anna).expect(200)).body as string;
    expect(annas).not.toContain(tenderB);
    expect(annas).not.toContain('Secret of the other organisation');
    const olles = (await calendar(t.olle).expect(200)).body as string;
    expect(events(olles).map((e) => e.uid)).toContain(`${tenderB}.coordination_response@tenderflow`);
    expect(olles).not.toContain(tenderA);

    // An administrator's calendar is GET /tenders' too: every organisation's.
    const admins = events(
      (await calendar(await sys.token({ sub: 'cal-ada', org: 'CALX', roles: ['admin'] })).expect(200)).body as string,
    ).map((e) => e.uid);
    expect(admins).toEqual(
      expect.arrayContaining([
        `${tenderA}.coordination_response@tenderflow`,
        `${tenderB}.coordination_response@tenderflow`,
      ]),
    );

    const olleFeed = (await post('/calendar/feed-token', t.olle).expect(201)).body as { url: string };
    const viaFeed = (await feed(olleFeed.url).expect(200)).body as string;
    expect(viaFeed).toContain(tenderB);
    expect(viaFeed).not.toContain(tenderA);
  });

  it('a feed token: an unguessable URL, stored only as its hash, replaced by a new one and revocable', async () => {
    const issued = await post('/calendar/feed-token', t.anna).expect(201);
    const { url, token, id } = issued.body as { url: string; token: string; id: string };
    expect(token).toMatch(/^tfcal_[A-Za-z0-9_-]{43}$/);
    expect(url).toBe(`http://localhost:3000/calendar.ics?token=${token}`);
    const rows: { id: string; sub: string; token_sha256: string }[] = await db.query(
      `SELECT id, sub, token_sha256 FROM calendar_feed_tokens WHERE id = $1`,
      [id],
    );
    expect(rows).toEqual([{ id, sub: 'cal-anna', token_sha256: createHash('sha256').update(token).digest('hex') }]);
    const stored = JSON.stringify(await db.query(`SELECT * FROM calendar_feed_tokens`));
    expect(stored).not.toContain(token);

    const viaFeed = await feed(url).expect(200);
    expect(viaFeed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(events(viaFeed.body as string).map((e) => e.uid)).toEqual(
      events((await calendar(t.anna).expect(200)).body as string).map((e) => e.uid),
    );

    // A new address replaces the old one.
    const second = (await post('/calendar/feed-token', t.anna).expect(201)).body as { url: string };
    const old = await feed(url).expect(401);
    expect(old.headers['content-type']).toMatch(/^application\/problem\+json/);
    await feed(second.url).expect(200);
    // Revoked: nothing of hers works; revoking again is not an error.
    await request(sys.http).delete('/calendar/feed-token').set('Authorization', `Bearer ${t.anna}`).expect(204);
    await feed(second.url).expect(401);
    await request(sys.http).delete('/calendar/feed-token').set('Authorization', `Bearer ${t.anna}`).expect(204);
  });

  it('refuses a made-up, malformed or missing token with 401 problem+json, and a person no longer active', async () => {
    for (const path of [
      '/calendar.ics',
      `/calendar.ics?token=tfcal_${'A'.repeat(43)}`,
      '/calendar.ics?token=x',
      "/calendar.ics?token=' OR 1=1 --",
    ]) {
      const res = await request(sys.http).get(path).expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      // The problem body names the address without the token.
      expect(res.body.instance).not.toMatch(/token=(?!\[Redacted\])/);
    }
    const { url } = (await post('/calendar/feed-token', t.olle).expect(201)).body as { url: string };
    await feed(url).expect(200);
    // Every credential sent is checked: a good bearer token does not carry a bad feed token, nor the other way round.
    await request(sys.http)
      .get(`/calendar.ics?token=tfcal_${'B'.repeat(43)}`)
      .set('Authorization', `Bearer ${t.olle}`)
      .expect(401);
    await request(sys.http)
      .get(new URL(url).pathname + new URL(url).search)
      .set('Authorization', 'Bearer not-a-token')
      .expect(401);
    // Both good: the feed token says whose calendar it is.
    const both = await request(sys.http)
      .get(new URL(url).pathname + new URL(url).search)
      .set('Authorization', `Bearer ${t.anna}`)
      .buffer(true)
      .parse(text)
      .expect(200);
    expect(both.body).toContain(tenderB);
    expect(both.body).not.toContain(tenderA);
    await db.query(`UPDATE people SET active = false WHERE sub = 'cal-olle'`);
    try {
      await feed(url).expect(401);
    } finally {
      await db.query(`UPDATE people SET active = true WHERE sub = 'cal-olle'`);
    }
    await feed(url).expect(200);
  });

  it("a feed of a person known only from tokens stops 30 days after their last sign-in; an imported person's is the import's to stop", async () => {
    const { url } = (await post('/calendar/feed-token', t.olle).expect(201)).body as { url: string };
    await feed(url).expect(200);
    // Demoted or gone at the identity provider, and never signed in since: the feed does not go on for ever.
    await db.query(`UPDATE people SET last_signed_in_at = now() - interval '31 days' WHERE sub = 'cal-olle'`);
    try {
      await feed(url).expect(401);
      await db.query(`UPDATE people SET source = 'import' WHERE sub = 'cal-olle'`);
      await feed(url).expect(200);
    } finally {
      await db.query(`UPDATE people SET source = 'token', last_signed_in_at = now() WHERE sub = 'cal-olle'`);
    }
    // A sign-in does not take an imported person out of the import's hands.
    await db.query(`UPDATE people SET source = 'import' WHERE sub = 'cal-olle'`);
    try {
      // Another name, so the directory writes this sign-in (an unchanged one within minutes is not rewritten).
      const fresh = await sys.token({ sub: 'cal-olle', name: 'Olle Annan Ny', org: B, roles: ['procurement_officer'] });
      await request(sys.http).get('/calendar.ics').set('Authorization', `Bearer ${fresh}`).expect(200);
      const row = await eventually(async () => {
        const [r] = (await db.query(`SELECT name, source FROM people WHERE sub = 'cal-olle'`)) as {
          name: string;
          source: string;
        }[];
        return r.name === 'Olle Annan Ny' ? r : undefined;
      });
      expect(row.source).toBe('import');
    } finally {
      await db.query(`UPDATE people SET source = 'token' WHERE sub = 'cal-olle'`);
    }
  });

  it('does not wait for a tender whose workflow cannot answer (no worker) and whose state the read model does not hold whole: its next deadline comes from its row', async () => {
    const orphan = `${A}-2026-9${String(process.pid % 10_000).padStart(4, '0')}`;
    const client = sys.app.get(TemporalService).client;
    await client.workflow.start('tenderWorkflow', {
      taskQueue: `nobody-polls-${process.pid}`,
      workflowId: `tender-${orphan}`,
      args: [],
    });
    // Its read-model row, as a worker from before state parts wrote it before it went away: a copy of
    // tender A's, with its own next deadline and no parts (the calendar asks its workflow).
    await db.query(
      `INSERT INTO tenders SELECT (jsonb_populate_record(NULL::tenders, to_jsonb(t) || jsonb_build_object(
         'id', $2::text, 'workflow_id', $3::text, 'title', 'Unreachable reagents', 'next_deadline', '2031-03-14T22:59:59Z', 'next_deadline_kind', 'tender_deadline',
         'state_complete', false))).*
       FROM tenders t WHERE id = $1`,
      [tenderA, orphan, `tender-${orphan}`],
    );
    try {
      // Without a limit per workflow this request would wait for an answer that never comes.
      const ics = (await calendar(t.anna).expect(200)).body as string;
      const all = events(ics);
      const fallback = all.find((e) => e.uid === `${orphan}.tender_deadline@tenderflow`)!;
      expect(fallback.startDate.toString()).toBe('2031-03-14');
      expect(fallback.description).toContain('bara nästa frist kunde läsas nu');
      expect(all.some((e) => e.uid.startsWith(`${tenderA}.`))).toBe(true);
    } finally {
      await db.query(`DELETE FROM tenders WHERE id = $1`, [orphan]);
      await client.workflow.getHandle(`tender-${orphan}`).terminate('test done');
    }
  });

  it('gives one feed token a few requests a minute: the 21st is a 429 problem+json, another token is not affected', async () => {
    const { url } = (await post('/calendar/feed-token', t.anna).expect(201)).body as { url: string };
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await feed(url)).status);
    expect(statuses.slice(0, 20).every((st) => st === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
    const { url: other } = (await post('/calendar/feed-token', t.olle).expect(201)).body as { url: string };
    await feed(other).expect(200);
  });

  it('throttles made-up feed tokens by their sender: guesses share one bucket (429), while a real token keeps its own', async () => {
    const { url } = (await post('/calendar/feed-token', t.olle).expect(201)).body as { url: string };
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++)
      statuses.push(
        (await feed(`http://guess.example/calendar.ics?token=tfcal_${randomBytes(32).toString('base64url')}`)).status,
      );
    // Each guess is refused (401) until the sender's bucket is spent, then 429.
    const first429 = statuses.indexOf(429);
    expect(first429).toBeGreaterThan(-1);
    expect(statuses.slice(0, first429).every((st) => st === 401)).toBe(true);
    expect(statuses.slice(first429).every((st) => st === 429)).toBe(true);
    // A real token is counted on its own.
    await feed(url).expect(200);
  });
});

function text(res: request.Response, cb: (err: Error | null, body: string) => void): void {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => cb(null, body));
}
