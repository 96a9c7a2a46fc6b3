/**
 * The real OpenTelemetry JS exporters (OTLP/HTTP JSON, OTLP/HTTP protobuf, OTLP/gRPC) as clients of the receiver.
 * Nothing is faked: a BasicTracerProvider makes a parent/child trace and the exporter sends it over loopback.
 */
import { SpanKind, SpanStatusCode, context, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from './receiver.js';
import type { ReceivedVia } from './span.js';

let receiver: RunningReceiver;

beforeAll(async () => {
  receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
});
afterAll(async () => {
  await receiver.close();
});

/** A checkout trace: a server span with a client child that fails, an event and attributes of every kind. */
function recordCheckout(tracer: Tracer): { traceId: string; parentId: string; childId: string } {
  const parent = tracer.startSpan('GET /checkout', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'GET', 'http.route': '/checkout' },
  });
  const child = tracer.startSpan(
    'POST /payments',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.response.status_code': 502,
        'order.total': 99.5,
        'payment.retried': true,
        'order.items': ['book', 'pen'],
        'order.quantities': [1, 3],
      },
    },
    trace.setSpan(context.active(), parent),
  );
  child.addEvent('payment.declined', { 'payment.provider': 'acme', 'payment.attempt': 2 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  child.end();
  parent.setStatus({ code: SpanStatusCode.OK });
  parent.end();
  return {
    traceId: parent.spanContext().traceId,
    parentId: parent.spanContext().spanId,
    childId: child.spanContext().spanId,
  };
}

const exporters: { via: ReceivedVia; make: () => SpanExporter }[] = [
  { via: 'http/json', make: () => new JsonExporter({ url: `${receiver.httpEndpoint}/v1/traces` }) },
  { via: 'http/protobuf', make: () => new ProtoExporter({ url: `${receiver.httpEndpoint}/v1/traces` }) },
  { via: 'grpc', make: () => new GrpcExporter({ url: receiver.grpcEndpoint }) },
];

describe.each(exporters)('the $via exporter of OpenTelemetry JS', ({ via, make }) => {
  it('delivers a parent/child trace that decodes into the span model', async () => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': `checkout-${via}`, 'deployment.environment.name': 'test' }),
      spanProcessors: [new SimpleSpanProcessor(make())],
    });
    const tracer = provider.getTracer('checkout-tests', '1.2.3');
    const ids = recordCheckout(tracer);
    await provider.forceFlush();
    await receiver.store.waitFor((store) => store.spansOfTrace(ids.traceId).length === 2, 10_000, `the ${via} trace`);
    await provider.shutdown();

    const spans = receiver.store.spansOfTrace(ids.traceId);
    const parent = spans.find((span) => span.spanId === ids.parentId);
    const child = spans.find((span) => span.spanId === ids.childId);
    expect(parent).toBeDefined();
    expect(child).toBeDefined();
    if (parent === undefined || child === undefined) return;

    expect(parent.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(parent.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(parent.parentSpanId).toBeUndefined();
    expect(child.parentSpanId).toBe(parent.spanId);
    expect(parent.kind).toBe('server');
    expect(child.kind).toBe('client');
    expect(parent.name).toBe('GET /checkout');
    expect(parent.attributes).toEqual({ 'http.request.method': 'GET', 'http.route': '/checkout' });
    expect(child.attributes).toEqual({
      'http.response.status_code': 502,
      'order.total': 99.5,
      'payment.retried': true,
      'order.items': ['book', 'pen'],
      'order.quantities': [1, 3],
    });
    expect(child.events).toHaveLength(1);
    expect(child.events[0]?.name).toBe('payment.declined');
    expect(child.events[0]?.attributes).toEqual({ 'payment.provider': 'acme', 'payment.attempt': 2 });
    expect(child.events[0]?.timeUnixNano).toBeGreaterThanOrEqual(child.startTimeUnixNano);
    expect(child.status).toEqual({ code: 'error', message: 'card declined' });
    expect(parent.status.code).toBe('ok');
    expect(parent.serviceName).toBe(`checkout-${via}`);
    expect(parent.resource['deployment.environment.name']).toBe('test');
    expect(parent.scope).toEqual({ name: 'checkout-tests', version: '1.2.3' });
    expect(parent.receivedVia).toBe(via);
    expect(typeof parent.startTimeUnixNano).toBe('bigint');
    // Start times are wall-clock nanoseconds (after 2020-01-01).
    expect(parent.startTimeUnixNano).toBeGreaterThan(1_577_836_800_000_000_000n);
    expect(parent.endTimeUnixNano).toBeGreaterThanOrEqual(parent.startTimeUnixNano);
    expect(parent.durationMs).toBeGreaterThanOrEqual(0);
    expect(parent.durationMs).toBeLessThan(10_000);
    expect(parent.durationMs).toBeCloseTo(Number(parent.endTimeUnixNano - parent.startTimeUnixNano) / 1e6, 6);
    expect(child.durationMs).toBeLessThanOrEqual(parent.durationMs);
  });
});

describe('compressed exports', () => {
  it.each([
    {
      via: 'http/protobuf',
      make: () => new ProtoExporter({ url: `${receiver.httpEndpoint}/v1/traces`, compression: 'gzip' as never }),
    },
    {
      via: 'http/json',
      make: () => new JsonExporter({ url: `${receiver.httpEndpoint}/v1/traces`, compression: 'gzip' as never }),
    },
    { via: 'grpc', make: () => new GrpcExporter({ url: receiver.grpcEndpoint, compression: 'gzip' as never }) },
  ])('accepts gzip from the $via exporter', async ({ via, make }) => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': `gzip-${via}` }),
      spanProcessors: [new SimpleSpanProcessor(make())],
    });
    const ids = recordCheckout(provider.getTracer('gzip'));
    await provider.forceFlush();
    await receiver.store.waitFor((store) => store.spansOfTrace(ids.traceId).length === 2, 10_000, 'the gzip trace');
    await provider.shutdown();
    expect(receiver.store.spansOfTrace(ids.traceId).map((span) => span.serviceName)).toEqual([
      `gzip-${via}`,
      `gzip-${via}`,
    ]);
  });
});
