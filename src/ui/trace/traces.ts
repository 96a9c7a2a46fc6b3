/**
 * The trace list: one summary per trace of the observed spans, sorted and filtered. Pure; the view renders these.
 */
import { buildTraceTree, type TraceTree } from '../../verify/receiver/trace-tree.js';
import type { ReceivedSpan } from '../../verify/receiver/span.js';

export interface TraceSummary {
  traceId: string;
  tree: TraceTree;
  spans: ReceivedSpan[];
  /** The name of the earliest root span; the earliest orphan's when no root arrived. */
  rootName: string;
  /** No span of the trace is a root (its entry span's parent never arrived). */
  rootMissing: boolean;
  services: string[];
  spanCount: number;
  errorCount: number;
  orphanCount: number;
  startNs: bigint;
  endNs: bigint;
  /** From the earliest start to the latest end of its spans. */
  durationMs: number;
}

export type TraceSort = 'start' | 'duration';

/** Groups spans by trace id and summarises each trace (in first-seen order). */
export function summarizeTraces(spans: readonly ReceivedSpan[]): TraceSummary[] {
  const byTrace = new Map<string, ReceivedSpan[]>();
  for (const span of spans) {
    const list = byTrace.get(span.traceId);
    if (list) list.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  return [...byTrace.entries()].map(([traceId, list]) => {
    const tree = buildTraceTree(list);
    let startNs = list[0]!.startTimeUnixNano;
    let endNs = list[0]!.endTimeUnixNano;
    for (const span of list) {
      if (span.startTimeUnixNano < startNs) startNs = span.startTimeUnixNano;
      if (span.endTimeUnixNano > endNs) endNs = span.endTimeUnixNano;
    }
    const entry = tree.roots[0] ?? tree.orphans[0];
    return {
      traceId,
      tree,
      spans: list,
      rootName: entry?.span.name || '(no name)',
      rootMissing: tree.roots.length === 0,
      services: tree.services,
      spanCount: tree.spanCount,
      errorCount: tree.errorCount,
      orphanCount: tree.orphans.length,
      startNs,
      endNs,
      durationMs: Number(endNs - startNs) / 1e6,
    };
  });
}

/** Start time (earliest first) or duration (longest first); ties keep the trace id order so the list is stable. */
export function sortTraces(traces: readonly TraceSummary[], sort: TraceSort): TraceSummary[] {
  return [...traces].sort((a, b) => {
    if (sort === 'duration') {
      if (b.durationMs !== a.durationMs) return b.durationMs - a.durationMs;
    } else if (a.startNs !== b.startNs) return a.startNs < b.startNs ? -1 : 1;
    return a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0;
  });
}

/** Traces with a service or a span name containing the query (case-insensitive); an empty query keeps all. */
export function filterTraces(traces: readonly TraceSummary[], query: string): TraceSummary[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...traces];
  return traces.filter(
    (trace) =>
      trace.services.some((service) => service.toLowerCase().includes(q)) ||
      trace.spans.some((span) => span.name.toLowerCase().includes(q)),
  );
}
