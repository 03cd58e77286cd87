import { startTracing } from './tracing';

// The first import of apps/api/src/main.ts: tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set) must
// start before express, pg and the Temporal SDK are loaded, so that they are instrumented.
startTracing('tenderflow-api');
