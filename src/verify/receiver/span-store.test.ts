import { describe, expect, it, vi } from 'vitest';
import { makeSpan } from '../../../test/receiver/helpers.js';
import { SpanStore, WaitForTimeoutError } from './span-store.js';
import type { WrongProtocolArrival } from './wrong-protocol.js';

const TRACE_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TRACE_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

describe('SpanStore', () => {
  it('groups spans by trace and lists the services seen', () => {
    const store = new SpanStore();
    store.add([
      makeSpan({ traceId: TRACE_A, serviceName: 'web' }),
      makeSpan({ traceId: TRACE_A, serviceName: 'orders' }),
      makeSpan({ traceId: TRACE_B, serviceName: 'web' }),
    ]);
    expect(store.spanCount).toBe(3);
    expect(store.traceIds()).toEqual([TRACE_A, TRACE_B]);
    expect(store.trace(TRACE_A.toUpperCase())?.services).toEqual(['orders', 'web']);
    expect(store.spansOfTrace(TRACE_B)).toHaveLength(1);
    expect(store.spansOfTrace('cccccccccccccccccccccccccccccccc')).toEqual([]);
    expect(store.services()).toEqual(['orders', 'web']);
    expect(store.traces().map((group) => group.spans.length)).toEqual([2, 1]);
  });

  it('drops the oldest spans past the cap, counts them, and forgets emptied traces', () => {
    const store = new SpanStore({ maxSpans: 3 });
    const first = makeSpan({ traceId: TRACE_A, name: 'first' });
    store.add([first, makeSpan({ traceId: TRACE_B, name: 'second' })]);
    store.add([makeSpan({ traceId: TRACE_B, name: 'third' }), makeSpan({ traceId: TRACE_B, name: 'fourth' })]);
    expect(store.spanCount).toBe(3);
    expect(store.droppedCount).toBe(1);
    expect(store.receivedCount).toBe(4);
    expect(store.hasTrace(TRACE_A)).toBe(false);
    expect(store.spans().map((span) => span.name)).toEqual(['second', 'third', 'fourth']);
    store.add([makeSpan({ traceId: TRACE_A, name: 'fifth' })]);
    expect(store.spansOfTrace(TRACE_B).map((span) => span.name)).toEqual(['third', 'fourth']);
    expect(store.droppedCount).toBe(2);
    // Services stay known after their spans were dropped.
    expect(store.services()).toEqual(['orders']);
    expect(store.describe()).toMatch(/2 oldest dropped at the cap of 3/);
  });

  it('stays at the cap over many batches', () => {
    const store = new SpanStore({ maxSpans: 100 });
    for (let batch = 0; batch < 50; batch++) {
      store.add(
        Array.from({ length: 37 }, (_, i) => makeSpan({ traceId: (batch * 100 + i).toString(16).padStart(32, '1') })),
      );
    }
    expect(store.spanCount).toBe(100);
    expect(store.droppedCount).toBe(50 * 37 - 100);
    expect(store.traceIds()).toHaveLength(100);
  });

  it('calls span listeners with each batch until unsubscribed, and survives a throwing listener', () => {
    const store = new SpanStore();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const seen: number[] = [];
    store.onSpans(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = store.onSpans((spans) => seen.push(spans.length));
    store.add([makeSpan(), makeSpan()]);
    unsubscribe();
    store.add([makeSpan()]);
    expect(seen).toEqual([2]);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('resolves waitFor at once when already true, and on the batch that makes it true', async () => {
    const store = new SpanStore();
    await store.waitFor(() => true, 10);
    const waiting = store.waitFor((s) => s.spansOfTrace(TRACE_A).length >= 2, 5_000, 'two spans of trace A');
    let resolved = false;
    void waiting.then(() => (resolved = true));
    store.add([makeSpan({ traceId: TRACE_A })]);
    await Promise.resolve();
    expect(resolved).toBe(false);
    store.add([makeSpan({ traceId: TRACE_A })]);
    await waiting;
    expect(resolved).toBe(true);
  });

  it('rejects waitFor on timeout with what did arrive', async () => {
    vi.useFakeTimers();
    try {
      const store = new SpanStore();
      store.add([makeSpan({ serviceName: 'web' })]);
      const waiting = store.waitFor((s) => s.services().includes('orders'), 2_000, 'spans from orders');
      vi.advanceTimersByTime(2_000);
      await expect(waiting).rejects.toBeInstanceOf(WaitForTimeoutError);
      await expect(waiting).rejects.toThrow(
        'Timed out after 2000 ms waiting for spans from orders. 1 span(s) arrived in 1 kept trace(s) from web.',
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects waitFor when the predicate throws', async () => {
    const store = new SpanStore();
    const waiting = store.waitFor((s) => {
      if (s.spanCount > 0) throw new Error('bad predicate');
      return false;
    }, 5_000);
    store.add([makeSpan()]);
    await expect(waiting).rejects.toThrow('bad predicate');
  });

  it('keeps the newest wrong-protocol arrivals, counts all, and wakes waiters', async () => {
    const store = new SpanStore({ maxRecordedProblems: 2 });
    const arrival = (path: string): WrongProtocolArrival => ({
      kind: 'wrong-path',
      port: 4318,
      portRole: 'otlp-http',
      path,
      at: Date.now(),
      summary: `POST ${path}`,
      hint: 'use /v1/traces',
    });
    const waiting = store.waitFor((s) => s.wrongProtocolCount > 0, 5_000);
    const heard: string[] = [];
    store.onWrongProtocol((a) => heard.push(a.path ?? ''));
    store.recordWrongProtocol(arrival('/a'));
    await waiting;
    store.recordWrongProtocol(arrival('/b'));
    store.recordWrongProtocol(arrival('/c'));
    expect(store.wrongProtocolCount).toBe(3);
    expect(store.wrongProtocolArrivals().map((a) => a.path)).toEqual(['/b', '/c']);
    expect(heard).toEqual(['/a', '/b', '/c']);
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => new SpanStore({ maxSpans: 0 })).toThrow(/maxSpans must be a positive integer/);
  });
});
