/**
 * pitfall-context-not-propagated, runtime half (the item's method is static; this proves it with spans): during the
 * probes, which all carry a sampled traceparent, no span may start a trace of its own — a root inside a request means
 * some code dropped the context (context.Background() in Go, a callback or thread that lost the active context).
 */
import type { Check } from '../../check.js';
import {
  probeOfSpan,
  result,
  runFor,
  spanNote,
  unexpectedRoots,
  windowSpans,
  withDownServices,
} from './probe-analysis.js';

const ITEM = 'pitfall-context-not-propagated';

export const pitfallContextNotPropagatedAtRuntime: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const roots = unexpectedRoots(run);
    if (roots.length > 0) {
      return result(
        ITEM,
        'fail',
        `${roots.length} span(s) started a new trace while a request was being handled`,
        roots.map((r) => {
          const probe = probeOfSpan(run, r);
          return { note: `${spanNote(r)}${probe ? ` during GET ${probe.url}` : ''}` };
        }),
        "Pass the request's context on: Go handlers use c.Request.Context() / r.Context() (never context.Background()) for child spans and clients; Node and Python create child spans inside the active span (startActiveSpan / start_as_current_span) and wrap thread pools with context.",
      );
    }
    const spans = windowSpans(run);
    if (spans.length === 0)
      return withDownServices(ITEM, run, result(ITEM, 'skipped', 'no spans arrived during the probes'));
    const perTrace = new Map<string, number>();
    for (const span of spans) perTrace.set(span.traceId, (perTrace.get(span.traceId) ?? 0) + 1);
    return withDownServices(
      ITEM,
      run,
      result(
        ITEM,
        'pass',
        `${spans.length} span(s) during ${run.probes.length} probe request(s), none starting a trace of its own`,
        run.probes.map((p) => ({
          note: `GET ${p.url}: ${perTrace.get(p.traceId) ?? 0} span(s), all in trace ${p.traceId}`,
        })),
      ),
    );
  },
};
