import { describe, expect, it } from 'vitest';
import { buildTraceTree } from '../../verify/receiver/trace-tree.js';
import { missingParentReason } from './incomplete.js';
import { durationBar, fit, spanLine, waterfallRows } from './layout.js';
import { isErrorSpan, logsOfTrace, moveSelection, nextRow, spanMatches } from './search.js';
import { BIG, CALLER, ERR, fakeObserved, GOOD, hexId, ORPHAN, span } from './test-data.js';
import { filterTraces, sortTraces, summarizeTraces } from './traces.js';

const observed = fakeObserved();
const traces = summarizeTraces(observed.spans);
const byId = (id: string) => traces.find((t) => t.traceId === id)!;

describe('trace summaries', () => {
  it('groups spans by trace with root name, services, counts, duration and error count', () => {
    expect(traces).toHaveLength(5);
    const good = byId(GOOD);
    expect(good).toMatchObject({
      rootName: 'GET /checkout',
      services: ['frontend', 'orders'],
      spanCount: 3,
      errorCount: 0,
      rootMissing: false,
    });
    expect(good.durationMs).toBeCloseTo(40);
    expect(byId(ERR).errorCount).toBe(1);
    expect(byId(ORPHAN)).toMatchObject({ rootMissing: true, orphanCount: 1, rootName: 'GET /stock' });
    expect(byId(BIG).spanCount).toBe(500);
  });

  it('sorts by start time (earliest first) or by duration (longest first)', () => {
    expect(sortTraces(traces, 'start').map((t) => t.traceId)).toEqual([GOOD, ERR, CALLER, ORPHAN, BIG]);
    expect(sortTraces(traces, 'duration').map((t) => t.traceId)[0]).toBe(BIG);
    expect(sortTraces(traces, 'duration').map((t) => t.traceId)[1]).toBe(ERR);
  });

  it('filters by service or span name, case-insensitively', () => {
    expect(filterTraces(traces, 'ORDERS').map((t) => t.traceId)).toEqual([GOOD]);
    expect(filterTraces(traces, 'charge').map((t) => t.traceId)).toEqual([ERR]);
    expect(filterTraces(traces, 'inventory').map((t) => t.traceId)).toEqual([ORPHAN]);
    expect(filterTraces(traces, '  ')).toHaveLength(5);
    expect(filterTraces(traces, 'nothing-like-this')).toEqual([]);
  });
});

describe('waterfall layout', () => {
  it('flattens the tree depth-first in start order, with a gap row above an orphan', () => {
    const rows = waterfallRows(byId(GOOD).tree);
    expect(rows.map((r) => (r.kind === 'span' ? `${r.depth}:${r.span.serviceName}` : 'gap'))).toEqual([
      '0:frontend',
      '1:frontend',
      '2:orders',
    ]);
    const orphanRows = waterfallRows(byId(ORPHAN).tree);
    expect(orphanRows[0]).toMatchObject({ kind: 'gap', parentSpanId: hexId(0x99, 16) });
    expect(orphanRows[1]).toMatchObject({ kind: 'span', depth: 1 });
  });

  it('flattens a 500-span trace quickly and completely', () => {
    const started = performance.now();
    const rows = waterfallRows(byId(BIG).tree);
    expect(rows).toHaveLength(500);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('draws bars of exactly the width, placed and scaled to the trace, never invisible', () => {
    expect(durationBar(0n, 100n, 0n, 100n, 10)).toBe('██████████');
    expect(durationBar(50n, 100n, 0n, 100n, 10)).toBe('     █████');
    expect(durationBar(0n, 1n, 0n, 1000n, 10)).toBe('▏         ');
    expect(durationBar(999n, 1000n, 0n, 1000n, 10)).toBe('         ▏');
    expect(durationBar(0n, 0n, 0n, 0n, 4)).toBe('████');
    for (const w of [8, 23, 40]) expect(durationBar(3n, 77n, 0n, 100n, w)).toHaveLength(w);
  });

  it('fits a span line to the width, with the error mark', () => {
    const trace = byId(ERR);
    const errorSpan = trace.spans.find(isErrorSpan)!;
    for (const width of [40, 75, 79]) {
      const line = spanLine(errorSpan, 12, trace.startNs, trace.endNs, width);
      expect(line).toHaveLength(width);
      expect(line.startsWith('✗')).toBe(true);
      expect(line).toContain('█');
    }
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('ab', 4)).toBe('ab  ');
  });
});

describe('search and jumps', () => {
  const rows = waterfallRows(byId(BIG).tree);
  it('matches span names, services and attribute values', () => {
    const charge = byId(ERR).spans[1]!;
    expect(spanMatches(charge, 'CHARGE')).toBe(true);
    expect(spanMatches(charge, 'pay-42')).toBe(true);
    expect(spanMatches(charge, 'payments')).toBe(true);
    expect(spanMatches(charge, 'mastercard')).toBe(false);
    expect(spanMatches(charge, '')).toBe(false);
  });

  it('finds the next error and the next match, wrapping around', () => {
    const error = nextRow(rows, 0, isErrorSpan)!;
    expect(rows[error]!.span.name).toBe('row 377');
    expect(nextRow(rows, error, isErrorSpan)).toBe(error);
    expect(nextRow(waterfallRows(byId(GOOD).tree), 0, isErrorSpan)).toBeUndefined();
    const match = nextRow(rows, 0, (s) => spanMatches(s, 'row 42'))!;
    expect(rows[match]!.span.name).toBe('row 42');
  });

  it('moves the selection over span rows, skipping gap rows', () => {
    const orphanRows = waterfallRows(byId(ORPHAN).tree);
    expect(moveSelection(orphanRows, 0, 0)).toBe(1);
    expect(moveSelection(orphanRows, 1, -1)).toBe(1);
    expect(moveSelection(rows, 0, 1000)).toBe(499);
  });

  it('keeps the log lines that carry the trace id', () => {
    expect(logsOfTrace(observed.logs, ERR)).toHaveLength(1);
    expect(logsOfTrace(observed.logs, GOOD)).toHaveLength(0);
    expect(logsOfTrace(observed.logs, '')).toHaveLength(0);
  });
});

describe('why a parent is missing', () => {
  const orphan = byId(ORPHAN).spans[0]!;

  it('blames propagation when a CLIENT span of another trace called this service at that time', () => {
    const reason = missingParentReason(orphan, observed.spans, []);
    expect(reason).toMatchObject({ kind: 'not-propagated', certainty: 'likely' });
    expect(reason.text).toBe(
      `parent ${hexId(0x99, 16).slice(0, 8)}… not received — not propagated (the caller's span is in another trace) (likely)`,
    );
    expect(reason.evidence).toContain('frontend GET /stock');
  });

  it('is certain when the parent span arrived in another trace', () => {
    const parent = span({ traceId: CALLER, spanId: hexId(0x99, 16), name: 'x', startMs: 0, endMs: 1 });
    expect(missingParentReason(orphan, [...observed.spans, parent], [])).toMatchObject({
      kind: 'not-propagated',
      certainty: 'certain',
    });
  });

  it("recognises the guide's own probe as the parent", () => {
    const probe = {
      serviceId: 'inventory',
      url: 'http://x/stock',
      path: '/stock',
      source: 'route' as const,
      expectError: false,
      traceId: ORPHAN,
      parentSpanId: hexId(0x99, 16),
      startedAt: 0,
      endedAt: 1,
    };
    expect(missingParentReason(orphan, observed.spans, [probe])).toMatchObject({ kind: 'probe', certainty: 'certain' });
  });

  it('says not sampled when spans kept arriving long after, else not yet arrived', () => {
    const alone = span({
      traceId: ORPHAN,
      spanId: hexId(5, 16),
      parentSpanId: hexId(6, 16),
      serviceName: 'inventory',
      startMs: 0,
      endMs: 5,
      receivedAt: 1_000,
    });
    const later = span({ traceId: GOOD, spanId: hexId(7, 16), startMs: 0, endMs: 1, receivedAt: 5_000 });
    expect(missingParentReason(alone, [alone, later])).toMatchObject({ kind: 'not-sampled', certainty: 'possible' });
    expect(missingParentReason(alone, [alone]).text).toContain(
      'not yet arrived (the caller had not exported when the run ended)',
    );
    expect(missingParentReason(alone, [alone, later]).text).toContain(
      'not sampled by the caller (parent-based sampling)',
    );
  });

  it('works on trees built by the receiver (orphans are what buildTraceTree reports)', () => {
    expect(buildTraceTree(byId(ORPHAN).spans).orphans).toHaveLength(1);
  });
});
