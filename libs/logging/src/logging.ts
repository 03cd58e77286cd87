import type { LoggerService } from '@nestjs/common';
import type { LogEntry } from '@temporalio/worker';
import type { Params } from 'nestjs-pino';
import pino, { DestinationStream, Logger as PinoLogger, LoggerOptions } from 'pino';
import type { Options as HttpOptions } from 'pino-http';
import type { MessageFormatFunc, PrettyOptions } from 'pino-pretty';
import type { AppConfig } from '@tenderflow/config';

/**
 * How the API and the worker log. JSON lines (pino) in production and whenever stdout is not a
 * terminal (piped, a container, a file); readable, coloured lines in development on a terminal,
 * such as under `npm start`. LOG_FORMAT=json|pretty overrides the choice.
 */

export type LogFormat = 'json' | 'pretty';
export type ProcessName = 'api' | 'worker';

export function logFormat(
  config: Pick<AppConfig, 'env' | 'logFormat'>,
  stdoutIsTty = process.stdout.isTTY === true,
): LogFormat {
  if (config.logFormat !== 'auto') return config.logFormat;
  return config.env === 'development' && stdoutIsTty ? 'pretty' : 'json';
}

/** Fields shown inside the readable line itself, or of no use on a terminal. */
const SHOWN_OR_HIDDEN = ['pid', 'hostname', 'name', 'context', 'req', 'res', 'responseTime', 'actor'];

/** One line per entry: `HH:MM:ss.l LEVEL api    [Context] message {other fields}`. */
export const formatMessage: MessageFormatFunc = (log, messageKey, _levelLabel, { colors }) => {
  const name = colors.magenta(String(log.name ?? '').padEnd(6));
  const req = log.req as { method?: string; url?: string } | undefined;
  const res = log.res as { statusCode?: number } | undefined;
  if (req && res && typeof res.statusCode === 'number') {
    const code = res.statusCode;
    const status =
      code >= 500 ? colors.red(String(code)) : code >= 400 ? colors.yellow(String(code)) : colors.green(String(code));
    const actor = log.actor ? colors.gray(` by ${String(log.actor)}`) : '';
    return `${name} ${req.method} ${req.url} ${status} ${colors.gray(`${log.responseTime} ms`)}${actor}`;
  }
  const context = log.context ? colors.gray(`[${String(log.context)}] `) : '';
  return `${name} ${context}${String(log[messageKey] ?? '')}`;
};

export function prettyOptions(destination: number | DestinationStream = 1): PrettyOptions {
  return {
    // colorize is left to pino-pretty: on for a colour terminal, off with NO_COLOR or a pipe.
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: SHOWN_OR_HIDDEN.join(','),
    messageFormat: formatMessage,
    singleLine: true,
    // In the process, synchronously: lines keep their order with the process's other output and
    // none is lost on exit. A terminal in development does not need the speed of a worker thread.
    sync: true,
    destination,
  };
}

function prettyStream(destination?: number | DestinationStream): DestinationStream {
  // Loaded only when used: production logs JSON and never needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty(prettyOptions(destination));
}

/** nestjs-pino's parameters: pino-http's options and, for a terminal, the readable stream. */
export function loggerParams(
  config: Pick<AppConfig, 'env' | 'logFormat' | 'logLevel'>,
  name: ProcessName,
  http: HttpOptions = {},
  format: LogFormat = logFormat(config),
): Params {
  const options: HttpOptions = { name, level: config.logLevel, ...http };
  return { pinoHttp: format === 'pretty' ? [options, prettyStream()] : options };
}

/** A plain pino logger of the same shape, for logs outside Nest (the Temporal SDK's). */
export function createLogger(
  config: Pick<AppConfig, 'env' | 'logFormat' | 'logLevel'>,
  name: ProcessName,
  format: LogFormat = logFormat(config),
  destination?: DestinationStream,
): PinoLogger {
  const options: LoggerOptions = { name, level: config.logLevel };
  if (format === 'pretty') return pino(options, prettyStream(destination));
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Nest's start-up details (every module initialised, every controller and route mapped) go to
 * debug: at info they buried the lines that matter. Everything else passes unchanged.
 */
const STARTUP_DETAIL_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

export class AppLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = params[params.length - 1];
    if (typeof context === 'string' && STARTUP_DETAIL_CONTEXTS.has(context)) {
      this.inner.debug?.(message, ...params);
      return;
    }
    this.inner.log(message, ...params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.inner.error(message, ...params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.inner.warn(message, ...params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.inner.debug?.(message, ...params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.inner.verbose?.(message, ...params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.inner.fatal?.(message, ...params);
  }
}

const SDK_LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * The Temporal SDK's log (worker state, bundling, Core) into pino, so it has the process's format.
 * The bundler's webpack report, many lines at INFO, goes to debug.
 */
export function temporalLogFunction(logger: PinoLogger): (entry: LogEntry) => void {
  return (entry) => {
    let level: (typeof SDK_LEVELS)[keyof typeof SDK_LEVELS] = SDK_LEVELS[entry.level];
    if (level === 'info' && /\bwebpack [\d.]+ compiled\b/.test(entry.message)) level = 'debug';
    const meta = Object.fromEntries(Object.entries(entry.meta ?? {}));
    logger[level]({ context: 'Temporal', ...meta }, entry.message);
  };
}
