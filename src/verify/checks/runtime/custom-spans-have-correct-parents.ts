/**
 * custom-spans-have-correct-parents: the spans the application's own code makes inside a request nest under it.
 * Custom spans are spans of the application's tracer — a scope its code names (getTracer / get_tracer / otel.Tracer),
 * or any scope that is not an instrumentation library's (src/verify/scopes/instrumentation-scopes.ts). The express
 * instrumentation's middleware spans, Flask's and otelhttp's request spans are instrumentation, not custom spans.
 * In the probes' traces no span's parent is missing (besides the probe's own traceparent), every custom span has a
 * SERVER (or CONSUMER) span above it, and no custom span starts a trace of its own during a request.
 */
import type { Check } from '../../check.js';
import type { ReceivedSpan } from '../../receiver/span.js';
import { applicationTracerNames } from '../../scopes/app-tracer-names.js';
import { isApplicationScope } from '../../scopes/instrumentation-scopes.js';
import {
  probeTraceSpans,
  result,
  runFor,
  spanNote,
  unexpectedRoots,
  withDownServices,
  type Evidence,
} from './probe-analysis.js';

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

function scopeNote(span: ReceivedSpan): string {
  return `${spanNote(span)} scope "${span.scope.name}"`;
}

export const customSpansHaveCorrectParents: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const appScopes = await applicationTracerNames(ctx);
    // A SERVER or CONSUMER span is the request (or message) itself, even when hand-made with the app's tracer: the
    // custom spans are the ones made while handling it.
    const isCustom = (span: ReceivedSpan) =>
      span.kind !== 'server' && span.kind !== 'consumer' && isApplicationScope(span.scope.name, appScopes);
    const orphans: Evidence[] = [];
    const detached: Evidence[] = [];
    const nested: Evidence[] = [];
    const instrumentationScopes = new Set<string>();
    let customCount = 0;
    for (const [probe, spans] of probeTraceSpans(run)) {
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      for (const span of spans) {
        if (
          span.parentSpanId !== undefined &&
          span.parentSpanId !== probe.parentSpanId &&
          !byId.has(span.parentSpanId)
        ) {
          orphans.push({
            note: `${spanNote(span)}: its parent never arrived (a parent span not ended, or not exported)`,
          });
        }
        if (!isCustom(span)) {
          if (!isApplicationScope(span.scope.name, appScopes))
            instrumentationScopes.add(span.scope.name || '(no scope name)');
          continue;
        }
        customCount++;
        if (hasRequestAncestor(span, byId))
          nested.push({ note: `${scopeNote(span)} nests under the request of GET ${probe.path}` });
        else if (span.parentSpanId === probe.parentSpanId)
          detached.push({
            note: `${scopeNote(span)} hangs directly off the incoming request with no SERVER span: the server is not instrumented`,
          });
      }
    }
    for (const root of unexpectedRoots(run).filter(isCustom)) {
      customCount++;
      detached.push({
        note: `${scopeNote(root)} started a new trace during a request: the request's context was not active where it was created`,
      });
    }
    const fix =
      "Create custom spans while the request span is active and pass its context on: startActiveSpan / tracer.start_as_current_span / tracer.Start(ctx, ...) with the request's ctx (never context.Background()), and end every span on every path.";
    if (orphans.length > 0 || detached.length > 0) {
      return result(
        ITEM,
        'fail',
        `${orphans.length + detached.length} span(s) do not nest under the request that caused them`,
        [...orphans, ...detached, ...nested.slice(0, 5)],
        fix,
      );
    }
    if (customCount === 0) {
      const seen = [...instrumentationScopes].sort();
      return withDownServices(
        ITEM,
        run,
        result(
          ITEM,
          'nothing-to-check',
          `nothing to check: no span of the application's own tracer arrived for the ${run.probes.length} probe request(s)${seen.length ? ` (only instrumentation spans: ${seen.join(', ')})` : ''}`,
          [{ note: `application tracers named in the code: ${appScopes.size ? [...appScopes].join(', ') : 'none'}` }],
          'Wrap a business operation of a probed route in a span of your own tracer (trace.getTracer / trace.get_tracer / otel.Tracer), or state a probe for the route that has one, then run the checks again.',
        ),
      );
    }
    return withDownServices(
      ITEM,
      run,
      result(
        ITEM,
        'pass',
        `${customCount} span(s) of the application's own tracer, all nested under the request's SERVER span, no orphans`,
        nested.slice(0, 10),
      ),
    );
  },
};
