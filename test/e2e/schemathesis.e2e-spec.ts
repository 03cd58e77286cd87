import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { ensurePythonTool } from '../../scripts/lib/binaries';
import { startIsolatedE2eSystem } from '../support/e2e-system';

/**
 * Property-based fuzzing of the whole HTTP API from its own OpenAPI document (Schemathesis from
 * PyPI, pinned) with a valid token, in positive and negative generation: no request may produce a
 * 5xx, and no response may break the schema the document declares.
 */
const SCHEMATHESIS_VERSION = '4.32.5';

/**
 * Every check runs (all are on in the config below; examples, coverage, fuzzing and stateful phases, positive and
 * negative data). Two documented answers are not "rejections of valid data":
 * - 422: the request is well-formed and a procurement rule refused it, naming the rule (ARCHITECTURE §6);
 *   no schema can say which procedure a value allows.
 * - 413: a body over the byte limit is refused for its size, which no schema constraint expresses.
 * - 404 from the public OCDS export of a tender created a moment before: it has none until published.
 * - 400 from GET /reference/deadlines: `days` is required when `kind=period`, a dependency between
 *   query parameters that OpenAPI 3.0 cannot express; the 400 names the field.
 * - 400 from POST /tenders/{id}/contract: the order of its dates (start ≤ end, signed ≤ end), a
 *   relation between fields that OpenAPI 3.0 cannot express; the 400 names the field and the rule.
 * - GET /calendar.ics without data taken from earlier answers: the stateful phase (by an
 *   inferred link) and the others (reusing response values) would feed it the real `token` a POST
 *   /calendar/feed-token just returned, and count the 200 that credential earns as "generated auth
 *   accepted". Made-up feed tokens and bad bearer tokens are still sent, and each must be refused.
 */
const CONFIG = `
# Every check is on (none is switched off on the command line, which would override this file).
[checks]
enabled = true

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "413", "422", "429", "5xx"]

# 413: a body over the size limit is refused for its size before its content is read.
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "429"]

# The public OCDS export exists from a tender's publication on (a plain 404 before it), so a tender
# just created has none yet: that is not a created resource going missing.
[[operations]]
include-path = "/tenders/{id}/ocds"
checks.ensure_resource_availability.enabled = false
phases.stateful.enabled = false

[[operations]]
include-path = "/tenders/{id}/contract"
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "422", "429", "5xx"]

# The feed token a POST /calendar/feed-token answered is a real credential: not fed back into the feed.
[[operations]]
include-path = "/calendar.ics"
phases.stateful.enabled = false
phases.examples.extra-data-sources.responses = false
phases.coverage.extra-data-sources.responses = false
phases.fuzzing.extra-data-sources.responses = false

[[operations]]
include-path = "/reference/deadlines"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "422", "429", "5xx"]
`;

describe('schemathesis over /docs-json', () => {
  let sys: Awaited<ReturnType<typeof startIsolatedE2eSystem>>;
  let base: string;

  const savedRate = process.env.RATE_LIMIT_PER_MINUTE;
  beforeAll(async () => {
    // The fuzzer sends thousands of requests a minute; the rate limit has its own test.
    process.env.RATE_LIMIT_PER_MINUTE = '1000000';
    // As an administrator it changes policies, organisations, categories and thresholds: on a
    // database and a Temporal namespace of its own, so that none of it reaches the other suites.
    sys = await startIsolatedE2eSystem('fuzz');
    const [{ db }] = (await sys.app.get(DataSource).query('SELECT current_database() AS db')) as { db: string }[];
    if (db !== sys.database)
      throw new Error(`the fuzzer's API writes to ${db}, not to its own database ${sys.database}`);
    await sys.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(sys.app.getHttpServer().address() as AddressInfo).port}`;
    const probe = await fetch(`${base}/health`);
    if (!probe.ok) throw new Error(`API not reachable at ${base}`);
    // On a busy machine the start takes more than jest's 5 s; a start cut short leaves its worker polling the shared queue.
  }, 60_000);
  afterAll(async () => {
    await sys?.close();
    if (savedRate === undefined) delete process.env.RATE_LIMIT_PER_MINUTE;
    else process.env.RATE_LIMIT_PER_MINUTE = savedRate;
  });

  it('finds no server error and no response outside the schema', async () => {
    let outputFile = '';
    const tool = ensurePythonTool('schemathesis', SCHEMATHESIS_VERSION, 'schemathesis.cli');
    const token = await sys.token({
      sub: 'fuzzer',
      name: 'Schemathesis',
      org: 'HSN',
      roles: ['procurement_officer', 'approver', 'category_manager', 'contract_manager', 'partner', 'admin'],
      approvalLimitSek: 1_000_000_000,
      categories: ['lab-supplies'],
    });
    const args = [
      ...tool.args,
      'run',
      `${base}/docs-json`,
      '--max-examples',
      process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '25',
      '--generation-deterministic',
      // Both valid data from the schema and data that breaks it (negative mode), NUL bytes included:
      // the hostile-input suite (hostile-input.e2e-spec.ts) adds the adversary's own corpus.
      '--mode',
      'all',
      '--generation-allow-x00',
      'true',
      '--request-timeout',
      '20',
      '--header',
      `Authorization: Bearer ${token}`,
      '--no-color',
    ];
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      // Run from a temporary folder: Schemathesis keeps an example database in its working directory.
      const cwd = mkdtempSync(join(tmpdir(), 'schemathesis-'));
      writeFileSync(join(cwd, 'schemathesis.toml'), CONFIG);
      outputFile = join(cwd, 'output.txt');
      const child = spawn(tool.python, args, { cwd, env: { ...tool.env, NO_COLOR: '1' } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (c) => resolve({ code: c, output: out }));
    });
    const summary = output
      .split('\n')
      .filter((l) => /passed|failed|error|operations|Test cases|Summary|Failures/i.test(l));
    process.stdout.write(`schemathesis summary:\n${summary.slice(-12).join('\n')}\n`);
    writeFileSync(outputFile, output);
    process.stdout.write(`schemathesis output: ${outputFile}\n`);
    if (code !== 0) process.stdout.write(output.slice(0, 12000));
    expect(code).toBe(0);
  }, 600_000);
});
