import type { IncomingMessage } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Span } from '@opentelemetry/api';
import type { ClientRequest, ServerResponse } from 'node:http';
import { redactUrl } from '@tenderflow/logging/redact';

/**
 * OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. Then spans go over
 * OTLP/HTTP (`<endpoint>/v1/traces`, the collector's port 4318) from:
 *   - the API: the HTTP request (http instrumentation; named by its route in
 *     apps/api/src/common/trace-route.interceptor.ts), the Temporal client call
 *     (@temporalio/interceptors-opentelemetry's client interceptor), the API's own SQL (pg);
 *   - the worker: the workflow's update handler and execution (workflow interceptors, exported
 *     through a sink since workflow code cannot do I/O), each activity, and the activity's SQL.
 * Temporal carries the trace context in its headers, so one command is one connected trace.
 *
 * Must run before express and pg are loaded (first import of each main.ts): the instrumentations
 * patch modules as they are required. The standard OTEL_* variables (OTEL_SERVICE_NAME,
 * OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_BSP_SCHEDULE_DELAY …) apply.
 */

interface Active {
  sdk: NodeSDK;
  processor: SpanProcessor;
  resource: Resource;
}

let active: Active | undefined;

/** Starts tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set; returns whether it did. */
export function startTracing(defaultServiceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (active) return true;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return false;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || defaultServiceName });
  const processor = new BatchSpanProcessor(new OTLPTraceExporter());
  const sdk = new NodeSDK({
    resource,
    spanProcessors: [processor],
    // Traces only: no OTel logs or metrics pipeline (logs are pino lines, metrics are Prometheus).
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes are not requests anyone traces.
        ignoreIncomingRequestHook: (req: IncomingMessage) => /^\/(health|metrics)(\/|\?|$)/.test(req.url ?? ''),
        requestHook: redactSpanUrl,
      }),
      // SQL inside a traced request or activity only; the outbox poller's queries are not traces.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  active = { sdk, processor, resource };
  return true;
}

/**
 * A calendar feed token in a request's address stands for a person: the span's address attributes
 * (set before this hook runs) carry `[Redacted]` instead.
 */
export function redactSpanUrl(span: Span, _req: IncomingMessage | ClientRequest | ServerResponse): void {
  const attributes = (span as Span & { attributes?: Record<string, unknown> }).attributes ?? {};
  for (const key of ['http.url', 'http.target', 'url.full']) {
    const v = attributes[key];
    if (typeof v === 'string' && redactUrl(v) !== v) span.setAttribute(key, redactUrl(v));
  }
  const query = attributes['url.query'];
  if (typeof query === 'string' && redactUrl(`?${query}`) !== `?${query}`)
    span.setAttribute('url.query', redactUrl(`?${query}`).slice(1));
}

export function tracingEnabled(): boolean {
  return active !== undefined;
}

/** The span processor and resource the workflow sink exports through (worker only). */
export function tracingPipeline(): { processor: SpanProcessor; resource: Resource } | undefined {
  return active && { processor: active.processor, resource: active.resource };
}

/** Exports what is buffered and stops; called on shutdown so the last spans are not lost. */
export async function shutdownTracing(): Promise<void> {
  const a = active;
  active = undefined;
  await a?.sdk.shutdown().catch(() => undefined);
}
