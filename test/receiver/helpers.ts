/**
 * Test helpers: spans of the receiver's model, and encoded OTLP requests, built by hand. Only imported by tests.
 */
import { ExportTraceServiceRequestType } from '../../src/verify/receiver/otlp-schema.js';
import type { ReceivedSpan } from '../../src/verify/receiver/span.js';

let counter = 0;

/** A fresh 16-hex span id. */
export function nextSpanId(): string {
  counter++;
  return counter.toString(16).padStart(16, '0');
}

export function makeSpan(overrides: Partial<ReceivedSpan> = {}): ReceivedSpan {
  const start = overrides.startTimeUnixNano ?? 1_700_000_000_000_000_000n;
  const end = overrides.endTimeUnixNano ?? start + 5_000_000n;
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: nextSpanId(),
    name: 'work',
    kind: 'internal',
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    durationMs: Number(end - start) / 1e6,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    links: [],
    status: { code: 'unset' },
    resource: { 'service.name': 'orders' },
    serviceName: 'orders',
    scope: { name: 'test' },
    receivedVia: 'http/protobuf',
    receivedAt: Date.now(),
    ...overrides,
  };
}

/** An OTLP ExportTraceServiceRequest as protobufjs `fromObject` input: one service, the given spans. */
export function exportRequestObject(serviceName: string, spans: Record<string, unknown>[]): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeSpans: [{ scope: { name: 'hand-made', version: '0.1.0' }, spans }],
      },
    ],
  };
}

export function encodeExportRequest(request: Record<string, unknown>): Buffer {
  return Buffer.from(ExportTraceServiceRequestType.encode(ExportTraceServiceRequestType.fromObject(request)).finish());
}

/** One valid span in `fromObject` form: ids as bytes, times as decimal strings. */
export function wireSpan(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex'),
    spanId: Buffer.from('b7ad6b7169203331', 'hex'),
    name: 'GET /orders',
    kind: 2,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000012500000',
    ...overrides,
  };
}
