/**
 * custom-spans-have-correct-parents: the spans made inside a request nest under it. In the probes' traces no span's
 * parent is missing (besides the probe's own traceparent), every INTERNAL span has a SERVER (or CONSUMER) span above
 * it, and no INTERNAL span starts a trace of its own during a request.
 */
import type { Check } from '../../check.js';
import type { ReceivedSpan } from '../../receiver/span.js';
import { probeTraceSpans, result, runFor, spanNote, unexpectedRoots, withDownServices, type Evidence } from './probe-analysis.js';

const ITEM = 'custom-spans-have-correct-parents';

function hasRequestAncestor(span: ReceivedSpan, byId: Map<string, ReceivedSpan>): boolean {
  const seen = new Set<string>();
  let current = span.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId);
  while (current && !seen.has(current.spanId)) {
    if (current.kind === 'server' || current.kind === 'consumer') return true;
    seen.add(current.spanId);
    current = current.parentSpanId === undefined ? undefined : byId.get(current.parentSpanId);
  }
  return false;
}

export const customSpansHaveCorrectParents: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const orphans: Evidence[] = [];
    const detached: Evidence[] = [];
    const nested: Evidence[] = [];
    let internalCount = 0;
    for (const [probe, spans] of probeTraceSpans(run)) {
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      for (const span of spans) {
        if (span.parentSpanId !== undefined && span.parentSpanId !== probe.parentSpanId && !byId.has(span.parentSpanId)) {
          orphans.push({ note: `${spanNote(span)}: its parent never arrived (a parent span not ended, or not exported)` });
        }
        if (span.kind !== 'internal') continue;
        internalCount++;
        if (hasRequestAncestor(span, byId)) nested.push({ note: `${spanNote(span)} nests under the request of GET ${probe.path}` });
        else if (span.parentSpanId === probe.parentSpanId) detached.push({ note: `${spanNote(span)} hangs directly off the incoming request with no SERVER span: the server is not instrumented` });
      }
    }
    for (const root of unexpectedRoots(run).filter((s) => s.kind === 'internal')) {
      internalCount++;
      detached.push({ note: `${spanNote(root)} started a new trace during a request: the request's context was not active where it was created` });
    }
    const fix =
      'Create custom spans while the request span is active and pass its context on: startActiveSpan / tracer.start_as_current_span / tracer.Start(ctx, ...) with the request\'s ctx (never context.Background()), and end every span on every path.';
    if (orphans.length > 0 || detached.length > 0) {
      return result(ITEM, 'fail', `${orphans.length + detached.length} span(s) do not nest under the request that caused them`, [...orphans, ...detached, ...nested.slice(0, 5)], fix);
    }
    if (internalCount === 0) {
      return withDownServices(ITEM, run, result(ITEM, 'skipped', `no custom (INTERNAL) spans arrived for the ${run.probes.length} probe request(s) (GET routes only were probed)`, [], 'Add spans for business operations inside the handlers (step 3), then run the checks again.'));
    }
    return withDownServices(ITEM, run, result(ITEM, 'pass', `${internalCount} INTERNAL span(s), all nested under the request's SERVER span, no orphans`, nested.slice(0, 10)));
  },
};
