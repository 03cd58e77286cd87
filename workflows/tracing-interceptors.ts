import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * Workflow interceptors for OpenTelemetry, bundled with the workflows only when tracing is on
 * (apps/worker/src/worker.service.ts): a span for the workflow run, each update (validator and
 * handler), signal and query, and each activity scheduled, continuing the trace context the
 * client put in the headers. Spans leave the sandbox through the worker's `exporter` sink.
 * Nothing here issues a command, so histories replay the same with or without it.
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new OpenTelemetryInboundInterceptor()],
  outbound: [new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
