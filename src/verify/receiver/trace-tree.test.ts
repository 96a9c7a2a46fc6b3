import { describe, expect, it } from 'vitest';
import { makeSpan } from '../../../test/receiver/helpers.js';
import { buildTraceTree, formatDurationMs, renderTraceTree } from './trace-tree.js';

const T0 = 1_700_000_000_000_000_000n;

describe('buildTraceTree', () => {
  const root = makeSpan({
    spanId: '00000000000000a1',
    name: 'GET /checkout',
    kind: 'server',
    serviceName: 'web',
    startTimeUnixNano: T0,
    endTimeUnixNano: T0 + 12_300_000n,
    durationMs: 12.3,
  });
  const second = makeSpan({
    spanId: '00000000000000b2',
    parentSpanId: '00000000000000a1',
    name: 'render',
    serviceName: 'web',
    startTimeUnixNano: T0 + 9_000_000n,
    durationMs: 1.5,
  });
  const first = makeSpan({
    spanId: '00000000000000b1',
    parentSpanId: '00000000000000a1',
    name: 'POST /orders',
    kind: 'client',
    serviceName: 'web',
    startTimeUnixNano: T0 + 1_000_000n,
    durationMs: 8.1,
  });
  const grandchild = makeSpan({
    spanId: '00000000000000c1',
    parentSpanId: '00000000000000b1',
    name: 'POST /orders',
    kind: 'server',
    serviceName: 'orders',
    startTimeUnixNano: T0 + 2_000_000n,
    durationMs: 0.42,
    status: { code: 'error', message: 'card declined' },
  });
  const orphan = makeSpan({
    spanId: '00000000000000d1',
    parentSpanId: '00000000000000ff',
    name: 'consume',
    kind: 'consumer',
    serviceName: 'billing',
    durationMs: 1500,
  });

  it('nests children under parents in start order and reports orphans', () => {
    const tree = buildTraceTree([grandchild, second, orphan, root, first]);
    expect(tree.roots.map((node) => node.span.name)).toEqual(['GET /checkout']);
    expect(tree.roots[0]?.children.map((node) => node.span.spanId)).toEqual(['00000000000000b1', '00000000000000b2']);
    expect(tree.roots[0]?.children[0]?.children[0]?.span.serviceName).toBe('orders');
    expect(tree.orphans.map((node) => node.span.parentSpanId)).toEqual(['00000000000000ff']);
    expect(tree).toMatchObject({ spanCount: 5, services: ['billing', 'orders', 'web'], errorCount: 1 });
  });

  it('renders an indented tree with service, name, kind, duration and error marks', () => {
    expect(renderTraceTree(buildTraceTree([root, first, second, grandchild, orphan]))).toBe(
      [
        'trace 4bf92f3577b34da6a3ce929d0e0e4736  5 spans  3 services (billing, orders, web)  1 error',
        '└─ web  GET /checkout  [server]  12.3 ms',
        '   ├─ web  POST /orders  [client]  8.1 ms',
        '   │  └─ orders  POST /orders  [server]  420 µs  ✗ error: card declined',
        '   └─ web  render  [internal]  1.5 ms',
        'orphan: parent 00000000000000ff did not arrive',
        '└─ billing  consume  [consumer]  1.50 s',
      ].join('\n'),
    );
  });

  it('places every span once even when parent ids form a cycle', () => {
    const a = makeSpan({ spanId: '000000000000000a', parentSpanId: '000000000000000b', startTimeUnixNano: T0 });
    const b = makeSpan({ spanId: '000000000000000b', parentSpanId: '000000000000000a', startTimeUnixNano: T0 + 1n });
    const tree = buildTraceTree([a, b]);
    expect(tree.roots).toHaveLength(0);
    expect(tree.orphans.map((node) => node.span.spanId)).toEqual(['000000000000000a']);
    expect(tree.orphans[0]?.children.map((node) => node.span.spanId)).toEqual(['000000000000000b']);
    expect(tree.spanCount).toBe(2);
  });

  it('formats durations for people', () => {
    expect(formatDurationMs(0.0125)).toBe('13 µs');
    expect(formatDurationMs(250)).toBe('250.0 ms');
    expect(formatDurationMs(61_000)).toBe('61.00 s');
    expect(formatDurationMs(-2)).toBe('-2.000 ms (end before start)');
  });
});
