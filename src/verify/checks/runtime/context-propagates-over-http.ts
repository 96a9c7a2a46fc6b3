/**
 * context-propagates-over-http: a request that crosses services stays one trace — the caller injects traceparent and
 * the callee continues it. Every probe carries a sampled traceparent, so a SERVER span that starts a new trace during
 * the probes is a hop that lost the context. A repo with one service proves the server half: the SERVER span of each
 * probe continues the traceparent it was sent (single-service-propagation.ts).
 */
import type { Check } from '../../check.js';
import { crossServiceView } from './cross-service-analysis.js';
import { probeLabel, result, runFor, running, withDownServices } from './probe-analysis.js';
import { continuedNote, singleServiceView } from './single-service-propagation.js';

const ITEM = 'context-propagates-over-http';
const FIX =
  'Instrument the HTTP clients (Node: undici/http instrumentations; Python: RequestsInstrumentor; Go: otelhttp.NewTransport, passing the request ctx) so they inject traceparent, and set the tracecontext propagator in every service (OTEL_PROPAGATORS=tracecontext,baggage; Go: otel.SetTextMapPropagator).';

export const contextPropagatesOverHttp: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const view = crossServiceView(run);
    const crossed = view.crossing.map((c) => ({
      note: `GET ${c.probe.url}: one trace ${c.probe.traceId} across ${c.services.join(' → ')} (${c.spans.length} spans)`,
    }));
    if (view.notInjected.length > 0 || view.notExtracted.length > 0) {
      return result(
        ITEM,
        'fail',
        `${view.notInjected.length + view.notExtracted.length} hop(s) lost the trace context${crossed.length > 0 ? `; ${crossed.length} request(s) did cross in one trace` : ''}`,
        [...view.notInjected, ...view.notExtracted, ...crossed.slice(0, 5)],
        FIX,
      );
    }
    if (run.services.length === 1 && running(run).length === 1) {
      // One service: it still propagates — its SERVER span must continue the probe's traceparent.
      const single = singleServiceView(run, run.services[0]!.service.id);
      if (single.problems.length > 0) {
        return result(
          ITEM,
          'fail',
          `${single.problems.length} request(s) lost the incoming trace context`,
          [...single.problems, ...single.continued.slice(0, 3).map(continuedNote)],
          FIX,
        );
      }
      if (single.continued.length === 0) {
        return result(
          ITEM,
          'skipped',
          'no probe request was answered by a SERVER span, so whether the service continues an incoming traceparent could not be seen',
          run.probes.map((p) => ({ note: probeLabel(p) })),
        );
      }
      return result(
        ITEM,
        'pass',
        `one service: ${single.continued.length} request(s) sent with a known traceparent were continued by its SERVER span (same trace id, parent = the traceparent's span id)`,
        single.continued.map(continuedNote),
      );
    }
    if (running(run).length < 2) {
      return withDownServices(
        ITEM,
        run,
        result(ITEM, 'skipped', 'fewer than two services are running, so no request can cross services'),
      );
    }
    if (crossed.length === 0) {
      return withDownServices(
        ITEM,
        run,
        result(
          ITEM,
          'skipped',
          `none of the ${run.probes.length} probe request(s) reached a second service (only GET routes without parameters, or with a sample value in a README, are probed)`,
          run.probes.map((p) => ({ note: `GET ${p.url} → ${p.status ?? p.error}` })),
        ),
      );
    }
    return withDownServices(
      ITEM,
      run,
      result(
        ITEM,
        'pass',
        `${crossed.length} request(s) crossed services in one trace; no hop lost the context`,
        crossed,
      ),
    );
  },
};
