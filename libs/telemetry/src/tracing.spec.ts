import type { IncomingMessage } from 'node:http';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { redactSpanUrl, startTracing, tracingEnabled, tracingPipeline } from './tracing';

describe('tracing', () => {
  it('stays off without OTEL_EXPORTER_OTLP_ENDPOINT: no SDK, no workflow exporter, no client interceptor', () => {
    expect(startTracing('tenderflow-test', { OTEL_SERVICE_NAME: 'ignored' })).toBe(false);
    expect(tracingEnabled()).toBe(false);
    expect(tracingPipeline()).toBeUndefined();
  });
});

describe('redactSpanUrl', () => {
  it("replaces a calendar feed token in the span's address attributes, and leaves other addresses alone", () => {
    const tracer = new BasicTracerProvider().getTracer('test');
    const feed = tracer.startSpan('GET', {
      attributes: {
        'http.target': '/calendar.ics?token=tfcal_secret',
        'http.url': 'https://api.example/calendar.ics?token=tfcal_secret',
        'url.query': 'token=tfcal_secret',
      },
    });
    redactSpanUrl(feed, {} as IncomingMessage);
    expect((feed as unknown as ReadableSpan).attributes).toMatchObject({
      'http.target': '/calendar.ics?token=[Redacted]',
      'http.url': 'https://api.example/calendar.ics?token=[Redacted]',
      'url.query': 'token=[Redacted]',
    });
    const other = tracer.startSpan('GET', { attributes: { 'http.target': '/tenders?q=x' } });
    redactSpanUrl(other, {} as IncomingMessage);
    expect((other as unknown as ReadableSpan).attributes['http.target']).toBe('/tenders?q=x');
  });
});
