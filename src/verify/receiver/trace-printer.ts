import type { ReceivedSpan } from './span.js';
import type { SpanStore } from './span-store.js';
import { buildTraceTree, renderTraceTree } from './trace-tree.js';

/**
 * Prints each trace once it has been quiet for `quietMs` (no new span for it), so a trace that arrives in several export
 * batches (services flush on their own schedules) is shown whole. Spans arriving later for a printed trace print it again.
 */
export function printTracesWhenQuiet(
  store: SpanStore,
  print: (text: string, traceId: string) => void,
  quietMs = 1_000,
): () => void {
  const timers = new Map<string, NodeJS.Timeout>();
  const flush = (traceId: string) => {
    timers.delete(traceId);
    const spans = store.spansOfTrace(traceId);
    if (spans.length === 0) return;
    print(renderTraceTree(buildTraceTree(spans)), traceId);
  };
  const stop = store.onSpans((spans: readonly ReceivedSpan[]) => {
    for (const traceId of new Set(spans.map((s) => s.traceId))) {
      const pending = timers.get(traceId);
      if (pending) clearTimeout(pending);
      timers.set(
        traceId,
        setTimeout(() => flush(traceId), quietMs),
      );
    }
  });
  return () => {
    stop();
    for (const traceId of [...timers.keys()]) {
      clearTimeout(timers.get(traceId));
      flush(traceId);
    }
  };
}
