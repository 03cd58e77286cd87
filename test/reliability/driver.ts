import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { sleep } from './cluster';
import { Prng } from './prng';
import { Actor, Step, stepDone, TenderScript } from './scripts';

/**
 * Drives the scripted tenders over HTTP against the APIs, alternating between them, idempotently
 * under lost responses: before every command it reads the tender's state and skips the command if
 * the workflow already shows it accepted; a command whose answer was lost (connection refused or
 * cut, 5xx, timeout) is resent only after the driver has waited for it to show up and it did not.
 * A refusal (409/422) is accepted only when a re-read shows the step done (the first attempt won);
 * any other refusal fails the run.
 */

export interface DriverOptions {
  apiUrls: () => string[];
  tokens: Record<Actor, string>;
  concurrency: number;
  thinkMs: [number, number];
  /** How long a lost command may take to show up before it is sent again. */
  settleMs: number;
  stepTimeoutMs: number;
  rng: Prng;
  log: (line: string) => void;
  /** Backpressure: the driver takes its next step only when this says so (keeps chaos under load). */
  mayProceed?: () => boolean;
}

export interface TenderRun {
  script: TenderScript;
  id?: string;
  stepsDone: number;
  started: boolean;
  finished: boolean;
  error?: string;
}

export interface DriverStats {
  requests: number;
  /** Commands that never left (connection refused: the API was down); sent again at once. */
  notSent: number;
  /** Commands whose answer was lost (connection cut, timeout, 5xx): they may or may not have reached the workflow. */
  ambiguous: number;
  /** … of which the workflow showed the command accepted after all (the effect happened once, the answer was lost). */
  ambiguousButDone: number;
  /** … of which the workflow did not show it within the settle time: sent again. */
  resent: number;
  /** 409/422 to a resend whose earlier attempt turned out to have been accepted. */
  refusedButDone: number;
  servedBy: Record<string, number>;
  statusCounts: Record<string, number>;
  creates: number;
  createReplays: number;
  /** The first few 5xx answers, for the report: which call, what the API said. */
  serverErrors: string[];
}

interface Answer {
  status: number; // 0: no HTTP answer
  body: unknown;
  error?: string;
  api: number;
}

export class Driver {
  readonly runs: TenderRun[];
  readonly stats: DriverStats = {
    requests: 0,
    notSent: 0,
    ambiguous: 0,
    ambiguousButDone: 0,
    resent: 0,
    refusedButDone: 0,
    servedBy: {},
    statusCounts: {},
    creates: 0,
    createReplays: 0,
    serverErrors: [],
  };
  private nextApi = 0;
  private stepsTotal: number;
  private stepsDoneTotal = 0;
  /** Commands sent and not yet answered, per API. */
  readonly outstanding: number[] = [0, 0];

  constructor(
    scripts: TenderScript[],
    private readonly opts: DriverOptions,
  ) {
    this.runs = scripts.map((script) => ({ script, stepsDone: 0, started: false, finished: false }));
    this.stepsTotal = scripts.reduce((a, s) => a + s.steps.length + 1, 0);
  }

  /** Share of all steps (creations included) done, 0…1. */
  progress(): number {
    return this.stepsDoneTotal / this.stepsTotal;
  }

  commandsInFlight(api?: number): number {
    return api === undefined ? this.outstanding.reduce((a, b) => a + b, 0) : (this.outstanding[api] ?? 0);
  }

  /** Tenders started and not finished: what a chaos event hits. */
  inFlight(): number {
    return this.runs.filter((r) => r.started && !r.finished).length;
  }

  async run(): Promise<void> {
    const queue = [...this.runs];
    const workers = Array.from({ length: Math.min(this.opts.concurrency, queue.length) }, async (_, lane) => {
      const rng = this.opts.rng.fork(`lane-${lane}`);
      for (let run = queue.shift(); run; run = queue.shift()) {
        run.started = true;
        try {
          await this.drive(run, rng);
        } catch (err) {
          run.error = err instanceof Error ? err.message : String(err);
          this.opts.log(`tender #${run.script.index} (${run.script.kind}) FAILED: ${run.error}`);
        } finally {
          run.finished = true;
        }
      }
    });
    await Promise.all(workers);
  }

  private async drive(run: TenderRun, rng: Prng): Promise<void> {
    const s = run.script;
    await this.pace();
    run.id = await this.create(s);
    this.stepsDoneTotal += 1;
    for (const step of s.steps) {
      await sleep(rng.int(this.opts.thinkMs[0], this.opts.thinkMs[1]));
      await this.pace();
      await this.doStep(run, step);
      run.stepsDone += 1;
      this.stepsDoneTotal += 1;
    }
  }

  private async pace(): Promise<void> {
    while (this.opts.mayProceed && !this.opts.mayProceed()) await sleep(200);
  }

  private async create(s: TenderScript): Promise<string> {
    const until = Date.now() + this.opts.stepTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      const res = await this.request('POST', '/tenders', 'officer', s.createBody, {
        'Idempotency-Key': s.idempotencyKey,
      });
      if (res.status === 201) {
        const body = res.body as { id: string };
        this.stats.creates += 1;
        if ((res as Answer & { replayed?: boolean }).replayed) this.stats.createReplays += 1;
        return body.id;
      }
      if (!retryable(res.status)) throw new Error(`POST /tenders answered ${res.status}: ${JSON.stringify(res.body)}`);
      // The Idempotency-Key makes the repeat safe whether or not the first attempt arrived.
      if (notSent(res)) this.stats.notSent += 1;
      else this.stats.ambiguous += 1;
      if (Date.now() > until)
        throw new Error(`POST /tenders did not succeed in time (last: ${res.status} ${res.error ?? ''})`);
      await sleep(Math.min(2_000, 250 * 2 ** attempt));
    }
  }

  private async doStep(run: TenderRun, step: Step): Promise<void> {
    const id = run.id!;
    const until = Date.now() + this.opts.stepTimeoutMs;
    for (;;) {
      if (Date.now() > until)
        throw new Error(`step ${step.label} (${step.tag}) not done within ${this.opts.stepTimeoutMs} ms`);
      const state = await this.readState(id, until);
      if (stepDone(state, step)) return;
      const res = await this.request('POST', step.path(id), step.actor, step.body(state));
      if (res.status === 200) {
        // A question's text is not in the tender the command answers with: it is in the Q&A log.
        const shown = step.command === 'askQuestion' ? await this.readState(id, until) : (res.body as TenderState);
        if (!stepDone(shown, step)) throw new Error(`step ${step.label}: 200 but the state does not show ${step.tag}`);
        return;
      }
      if (notSent(res)) {
        this.stats.notSent += 1;
        await sleep(200);
        continue;
      }
      if (retryable(res.status)) {
        // The command may have reached the workflow: wait for it to show before sending it again.
        this.stats.ambiguous += 1;
        if (await this.waitDone(id, step, Math.min(until, Date.now() + this.opts.settleMs))) {
          this.stats.ambiguousButDone += 1;
          return;
        }
        this.stats.resent += 1;
        continue;
      }
      if (res.status === 409 || res.status === 422) {
        // Only right if an earlier attempt was accepted after all (it may still be committing).
        if (await this.waitDone(id, step, Math.min(until, Date.now() + this.opts.settleMs))) {
          this.stats.refusedButDone += 1;
          return;
        }
        throw new Error(
          `step ${step.label} (${step.tag}) refused ${res.status} and not done: ${JSON.stringify(res.body)}`,
        );
      }
      throw new Error(`step ${step.label} (${step.tag}) answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  }

  private async waitDone(id: string, step: Step, until: number): Promise<boolean> {
    for (;;) {
      const state = await this.readState(id, until + 60_000);
      if (stepDone(state, step)) return true;
      if (Date.now() > until) return false;
      await sleep(500);
    }
  }

  /**
   * GET /tenders/:id until it answers 200 (any API; retried through restarts), with its questions'
   * texts from GET /tenders/:id/questions (the tender lists the questions without them).
   */
  async readState(id: string, until = Date.now() + this.opts.stepTimeoutMs): Promise<TenderState> {
    const state = await this.read<TenderState>(`/tenders/${id}`, until);
    if (state.questions.length === 0) return state;
    const questions: TenderState['questions'] = [];
    for (let cursor: string | null = ''; cursor !== null;) {
      const page: { items: TenderState['questions']; nextCursor: string | null } = await this.read(
        `/tenders/${id}/questions?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        until,
      );
      questions.push(...page.items);
      cursor = page.nextCursor;
    }
    return { ...state, questions };
  }

  private async read<T>(path: string, until: number): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.request('GET', path, 'officer');
      if (res.status === 200) return res.body as T;
      if (!retryable(res.status)) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
      if (Date.now() > until)
        throw new Error(`GET ${path} did not answer in time (last: ${res.status} ${res.error ?? ''})`);
      await sleep(Math.min(2_000, 200 * 2 ** attempt));
    }
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    actor: Actor,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer & { replayed?: boolean }> {
    const urls = this.opts.apiUrls();
    const api = this.nextApi++ % urls.length;
    this.stats.requests += 1;
    const command = method === 'POST';
    if (command) this.outstanding[api] = (this.outstanding[api] ?? 0) + 1;
    try {
      const res = await fetch(`${urls[api]}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.opts.tokens[actor]}`,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(method === 'GET' ? 20_000 : 45_000),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      this.count(res.status, api);
      if (res.status >= 500 && this.stats.serverErrors.length < 10) {
        const detail = (parsed as { detail?: string } | null)?.detail ?? text.slice(0, 200);
        this.stats.serverErrors.push(`${method} ${path} via api-${api}: ${res.status} ${detail}`);
      }
      return { status: res.status, body: parsed, api, replayed: res.headers.get('idempotent-replayed') === 'true' };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const error = `${e.name}: ${e.cause?.code ?? e.message}`;
      this.count(0, api);
      return { status: 0, body: null, error, api };
    } finally {
      if (command) this.outstanding[api] -= 1;
    }
  }

  private count(status: number, api: number): void {
    const key = status === 0 ? 'no-answer' : String(status);
    this.stats.statusCounts[key] = (this.stats.statusCounts[key] ?? 0) + 1;
    if (status > 0 && status < 500) this.stats.servedBy[`api-${api}`] = (this.stats.servedBy[`api-${api}`] ?? 0) + 1;
  }
}

/** The request never reached an API (it was down): nothing can have happened. */
function notSent(res: Answer): boolean {
  return res.status === 0 && /ECONNREFUSED/.test(res.error ?? '');
}

/** No HTTP answer, or a server error (a dependency of the API was down: 500/502/503/504). */
function retryable(status: number): boolean {
  return status === 0 || status >= 500 || status === 429;
}
