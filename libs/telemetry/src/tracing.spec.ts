import { startTracing, tracingEnabled, tracingPipeline } from './tracing';

describe('tracing', () => {
  it('stays off without OTEL_EXPORTER_OTLP_ENDPOINT: no SDK, no workflow exporter, no client interceptor', () => {
    expect(startTracing('tenderflow-test', { OTEL_SERVICE_NAME: 'ignored' })).toBe(false);
    expect(tracingEnabled()).toBe(false);
    expect(tracingPipeline()).toBeUndefined();
  });
});
