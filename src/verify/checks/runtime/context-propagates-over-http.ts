/**
 * context-propagates-over-http: a request that crosses services stays one trace — the caller injects traceparent and
 * the callee continues it. Every probe carries a sampled traceparent, so a SERVER span that starts a new trace during
 * the probes is a hop that lost the context.
 */
import type { Check } from '../../check.js';
import { crossServiceView } from './cross-service-analysis.js';
import { result, runFor, running, withDownServices } from './probe-analysis.js';

const ITEM = 'context-propagates-over-http';

export const contextPropagatesOverHttp: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const view = crossServiceView(run);
    const crossed = view.crossing.map((c) => ({ note: `GET ${c.probe.url}: one trace ${c.probe.traceId} across ${c.services.join(' → ')} (${c.spans.length} spans)` }));
    if (view.notInjected.length > 0 || view.notExtracted.length > 0) {
      return result(
        ITEM,
        'fail',
        `${view.notInjected.length + view.notExtracted.length} hop(s) lost the trace context${crossed.length > 0 ? `; ${crossed.length} request(s) did cross in one trace` : ''}`,
        [...view.notInjected, ...view.notExtracted, ...crossed.slice(0, 5)],
        'Instrument the HTTP clients (Node: undici/http instrumentations; Python: RequestsInstrumentor; Go: otelhttp.NewTransport, passing the request ctx) so they inject traceparent, and set the tracecontext propagator in every service (OTEL_PROPAGATORS=tracecontext,baggage; Go: otel.SetTextMapPropagator).',
      );
    }
    if (running(run).length < 2) {
      return withDownServices(ITEM, run, result(ITEM, 'skipped', 'fewer than two services are running, so no request can cross services'));
    }
    if (crossed.length === 0) {
      return withDownServices(ITEM, run, result(ITEM, 'skipped', `none of the ${run.probes.length} probe request(s) reached a second service (only GET routes without parameters, or with a sample value in a README, are probed)`, run.probes.map((p) => ({ note: `GET ${p.url} → ${p.status ?? p.error}` }))));
    }
    return withDownServices(ITEM, run, result(ITEM, 'pass', `${crossed.length} request(s) crossed services in one trace; no hop lost the context`, crossed));
  },
};
