/** Fake observed traces for the trace view's tests: a good trace, an error trace, an orphan, and a 500-span trace. */
import type { ObservedTraces } from '../../workflow/check-step.js';
import type { ReceivedSpan, SpanKindName } from '../../verify/receiver/span.js';

const T0 = 1_764_000_000_000_000_000n;
const MS = 1_000_000n;

export function hexId(n: number, length: number): string {
  return n.toString(16).padStart(length, '0');
}

export function span(
  over: Partial<ReceivedSpan> & {
    traceId: string;
    spanId: string;
    startMs: number;
    endMs: number;
    kind?: SpanKindName;
  },
): ReceivedSpan {
  const { startMs, endMs, ...rest } = over;
  return {
    name: 'span',
    kind: 'internal',
    serviceName: 'api',
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    links: [],
    status: { code: 'unset' },
    resource: {},
    scope: { name: 'test' },
    receivedVia: 'http/json',
    receivedAt: 1_000 + endMs,
    ...rest,
    startTimeUnixNano: T0 + BigInt(Math.round(startMs * 1000)) * (MS / 1000n),
    endTimeUnixNano: T0 + BigInt(Math.round(endMs * 1000)) * (MS / 1000n),
    durationMs: endMs - startMs,
  };
}

export const GOOD = hexId(0xa1, 32);
export const ERR = hexId(0xb2, 32);
export const ORPHAN = hexId(0xc3, 32);
export const CALLER = hexId(0xd4, 32);
export const BIG = hexId(0xe5, 32);

export function fakeObserved(): ObservedTraces {
  const spans: ReceivedSpan[] = [
    span({
      traceId: GOOD,
      spanId: hexId(1, 16),
      name: 'GET /checkout',
      kind: 'server',
      serviceName: 'frontend',
      startMs: 0,
      endMs: 40,
    }),
    span({
      traceId: GOOD,
      spanId: hexId(2, 16),
      parentSpanId: hexId(1, 16),
      name: 'POST /orders',
      kind: 'client',
      serviceName: 'frontend',
      startMs: 5,
      endMs: 30,
    }),
    span({
      traceId: GOOD,
      spanId: hexId(3, 16),
      parentSpanId: hexId(2, 16),
      name: 'POST /orders',
      kind: 'server',
      serviceName: 'orders',
      startMs: 6,
      endMs: 29,
      attributes: { 'http.route': '/orders' },
    }),
    span({
      traceId: ERR,
      spanId: hexId(10, 16),
      name: 'GET /pay',
      kind: 'server',
      serviceName: 'payments',
      startMs: 100,
      endMs: 160,
    }),
    span({
      traceId: ERR,
      spanId: hexId(11, 16),
      parentSpanId: hexId(10, 16),
      name: 'charge card',
      serviceName: 'payments',
      startMs: 110,
      endMs: 150,
      status: { code: 'error', message: 'card declined' },
      attributes: { 'card.brand': 'visa', 'payment.id': 'pay-42' },
      events: [
        { name: 'exception', timeUnixNano: T0 + 120n * MS, attributes: { 'exception.message': 'card declined' } },
      ],
    }),
    // The caller's CLIENT span lives in its own trace; the callee started a new trace: context was not propagated.
    span({
      traceId: CALLER,
      spanId: hexId(20, 16),
      name: 'GET /stock',
      kind: 'client',
      serviceName: 'frontend',
      startMs: 200,
      endMs: 260,
      attributes: { 'url.full': 'http://inventory:8080/stock' },
    }),
    span({
      traceId: ORPHAN,
      spanId: hexId(21, 16),
      parentSpanId: hexId(0x99, 16),
      name: 'GET /stock',
      kind: 'server',
      serviceName: 'inventory',
      startMs: 210,
      endMs: 250,
    }),
  ];
  for (let i = 0; i < 500; i++) {
    spans.push(
      span({
        traceId: BIG,
        spanId: hexId(0x1000 + i, 16),
        ...(i === 0 ? {} : { parentSpanId: hexId(0x1000 + (i < 10 ? 0 : Math.floor(i / 10)), 16) }),
        name: i === 0 ? 'batch import' : `row ${i}`,
        serviceName: i === 0 ? 'importer' : 'db',
        kind: i === 0 ? 'server' : 'client',
        startMs: 300 + i,
        endMs: i === 0 ? 1300 : 300 + i + 2,
        ...(i === 377 ? { status: { code: 'error' as const, message: 'deadlock' } } : {}),
      }),
    );
  }
  return {
    spans,
    logs: [
      { service: 'payments', text: `ERROR charge failed trace_id=${ERR} card declined` },
      { service: 'payments', text: 'INFO unrelated line' },
    ],
    probes: [],
  };
}
