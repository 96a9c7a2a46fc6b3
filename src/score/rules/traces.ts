/** Spans grouped by trace, and which spans are a trace's local roots, for the span rules. */
import type { ReceivedSpan } from '../../verify/receiver/span.js';
import { remoteParentKey } from '../types.js';

export function byTrace(spans: readonly ReceivedSpan[]): Map<string, ReceivedSpan[]> {
  const traces = new Map<string, ReceivedSpan[]>();
  for (const span of spans) {
    const list = traces.get(span.traceId);
    if (list) list.push(span);
    else traces.set(span.traceId, [span]);
  }
  return traces;
}

/** A root: no parent, or a parent known to live outside what was received (the probe that sent the request). */
export function isLocalRoot(span: ReceivedSpan, remoteParents: ReadonlySet<string>): boolean {
  return span.parentSpanId === undefined || remoteParents.has(remoteParentKey(span.traceId, span.parentSpanId));
}
