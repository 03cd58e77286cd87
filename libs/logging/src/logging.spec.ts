import { Writable } from 'node:stream';
import { LoggerService } from '@nestjs/common';
import pino from 'pino';
import { loadConfig } from '@tenderflow/config';
import { AppLogger, createLogger, loggerParams, logFormat, temporalLogFunction } from './logging';

/** Collects what a logger writes, line by line, colours removed. */
class Capture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(
      ...chunk
        .toString()
        // eslint-disable-next-line no-control-regex -- the colour codes pino-pretty writes
        .replace(/\x1b\[[0-9;]*m/g, '')
        .split('\n')
        .filter(Boolean),
    );
    done();
  }
}

describe('logFormat', () => {
  it.each([
    ['development', 'auto', true, 'pretty'],
    ['development', 'auto', false, 'json'],
    ['production', 'auto', true, 'json'],
    ['test', 'auto', true, 'json'],
    ['production', 'pretty', false, 'pretty'],
    ['development', 'json', true, 'json'],
  ] as const)('NODE_ENV=%s LOG_FORMAT=%s, stdout a terminal: %s → %s', (env, format, tty, expected) => {
    expect(logFormat(loadConfig({ NODE_ENV: env, LOG_FORMAT: format, AUTH_JWT_SECRET: 'x'.repeat(32) }), tty)).toBe(
      expected,
    );
  });
});

describe('loggerParams', () => {
  const config = loadConfig({ LOG_LEVEL: 'debug' });
  it('gives pino-http its options alone for JSON', () => {
    expect(loggerParams(config, 'api', { redact: ['req.headers.authorization'] }, 'json')).toEqual({
      pinoHttp: { name: 'api', level: 'debug', redact: ['req.headers.authorization'] },
    });
  });
  it('adds the readable stream for a terminal', () => {
    const params = loggerParams(config, 'worker', {}, 'pretty');
    expect(Array.isArray(params.pinoHttp)).toBe(true);
    const [options, stream] = params.pinoHttp as [object, { write: unknown }];
    expect(options).toEqual({ name: 'worker', level: 'debug' });
    expect(typeof stream.write).toBe('function');
  });
});

describe('the readable format', () => {
  const config = loadConfig({});

  it('is one line with time, level, process, context and message', () => {
    const out = new Capture();
    createLogger(config, 'worker', 'pretty', out)
      .child({ context: 'WorkerService' })
      .info('worker polling tenderflow on 127.0.0.1:7233 (default)');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: worker +\[WorkerService\] worker polling tenderflow on 127\.0\.0\.1:7233 \(default\)$/,
    );
  });

  it('shows a request as method, path, status, time and caller', () => {
    const out = new Capture();
    createLogger(config, 'api', 'pretty', out).info(
      {
        req: { method: 'POST', url: '/tenders', headers: { host: 'x' } },
        res: { statusCode: 201, headers: {} },
        responseTime: 42,
        actor: 'anna',
      },
      'request completed',
    );
    expect(out.lines).toEqual([expect.stringMatching(/^\[[\d:.]+\] INFO: api +POST \/tenders 201 42 ms by anna$/)]);
  });

  it('keeps other fields on the same line and an error with its stack', () => {
    const out = new Capture();
    const log = createLogger(config, 'api', 'pretty', out);
    log.warn({ tenderId: 'HSN-2026-00001' }, 'slow');
    expect(out.lines).toEqual([expect.stringMatching(/^\[[\d:.]+\] WARN: api +slow \{"tenderId":"HSN-2026-00001"\}$/)]);
    log.error({ err: new Error('boom') }, 'failed');
    expect(out.lines[1]).toMatch(/ERROR: api +failed/);
    expect(out.lines.join('\n')).toMatch(/Error: boom\n\s+at /);
  });

  it('is JSON lines otherwise', () => {
    const out = new Capture();
    createLogger(config, 'api', 'json', out).info({ context: 'X' }, 'hello');
    expect(out.lines).toHaveLength(1);
    expect(JSON.parse(out.lines[0])).toMatchObject({ level: 30, name: 'api', context: 'X', msg: 'hello' });
  });
});

describe('AppLogger', () => {
  const calls: [string, unknown[]][] = [];
  const inner: LoggerService = {
    log: (...a: unknown[]) => calls.push(['log', a]),
    error: (...a: unknown[]) => calls.push(['error', a]),
    warn: (...a: unknown[]) => calls.push(['warn', a]),
    debug: (...a: unknown[]) => calls.push(['debug', a]),
    verbose: (...a: unknown[]) => calls.push(['verbose', a]),
    fatal: (...a: unknown[]) => calls.push(['fatal', a]),
  };
  beforeEach(() => (calls.length = 0));

  it("sends Nest's route mappings and module initialisations to debug", () => {
    const logger = new AppLogger(inner);
    logger.log('Mapped {/tenders, POST} route', 'RouterExplorer');
    logger.log('TendersController {/tenders}:', 'RoutesResolver');
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    expect(calls.map(([level]) => level)).toEqual(['debug', 'debug', 'debug']);
    expect(calls[0][1]).toEqual(['Mapped {/tenders, POST} route', 'RouterExplorer']);
  });

  it('passes everything else at its level', () => {
    const logger = new AppLogger(inner);
    logger.log('Nest application successfully started', 'NestApplication');
    logger.log('no context');
    logger.warn('w', 'RouterExplorer');
    logger.error('e', 'stack', 'ExceptionsHandler');
    logger.debug('d');
    logger.verbose('v');
    logger.fatal('f');
    expect(calls.map(([level]) => level)).toEqual(['log', 'log', 'warn', 'error', 'debug', 'verbose', 'fatal']);
    expect(calls[3][1]).toEqual(['e', 'stack', 'ExceptionsHandler']);
  });
});

describe('temporalLogFunction', () => {
  const entry = (level: 'INFO' | 'WARN', message: string, meta?: Record<string, unknown>) => ({
    level,
    message,
    meta,
    timestampNanos: 0n,
  });

  it("writes the SDK's entries through pino with their metadata", () => {
    const out = new Capture();
    const forward = temporalLogFunction(pino({ level: 'debug' }, out));
    forward(entry('INFO', 'Worker state changed', { sdkComponent: 'worker', state: 'RUNNING' }));
    forward(entry('WARN', 'Activity failed'));
    expect(out.lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({
        level: 30,
        context: 'Temporal',
        sdkComponent: 'worker',
        state: 'RUNNING',
        msg: 'Worker state changed',
      }),
      expect.objectContaining({ level: 40, context: 'Temporal', msg: 'Activity failed' }),
    ]);
  });

  it("sends the bundler's webpack report to debug", () => {
    const out = new Capture();
    const forward = temporalLogFunction(pino({ level: 'info' }, out));
    forward(
      entry(
        'INFO',
        'asset workflow-bundle-3fe7.js 2.06 MiB [emitted]\nmodules by path ./node_modules/ 464 KiB\nwebpack 5.112.2 compiled successfully in 1320 ms',
      ),
    );
    forward(entry('INFO', 'Workflow bundle created', { size: '2.06MB' }));
    expect(out.lines.map((l) => JSON.parse(l).msg)).toEqual(['Workflow bundle created']);
  });
});
