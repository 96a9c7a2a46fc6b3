/**
 * parent-child-across-services: in a request that crosses services, each callee's SERVER span is the child of the
 * caller's CLIENT span, the trace has one root (the entry SERVER span under the probe's traceparent) and no orphans.
 * A repo with one service: each probe's trace has that one root and no orphans (single-service-propagation.ts).
 */
import type { Check } from '../../check.js';
import { crossServiceView } from './cross-service-analysis.js';
import { result, runFor, running, spanNote, withDownServices, type Evidence } from './probe-analysis.js';
import { continuedNote, singleServiceView } from './single-service-propagation.js';

const ITEM = 'parent-child-across-services';

export const parentChildAcrossServices: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const view = crossServiceView(run);
    const problems: Evidence[] = [];
    const good: Evidence[] = [];
    for (const hop of view.hops) {
      if (!hop.client)
        problems.push({
          note: `${spanNote(hop.server)}: its parent never arrived (the caller injected the context of a span it did not export)`,
        });
      else if (hop.client.kind !== 'client')
        problems.push({ note: `${spanNote(hop.server)}: its parent is ${spanNote(hop.client)}, not a CLIENT span` });
      else
        good.push({
          note: `${hop.client.serviceName} CLIENT "${hop.client.name}" → ${hop.server.serviceName} SERVER "${hop.server.name}" (trace ${hop.server.traceId})`,
        });
    }
    for (const c of view.crossing) {
      const byId = new Set(c.spans.map((s) => s.spanId));
      const roots = c.spans.filter((s) => s.parentSpanId === undefined || s.parentSpanId === c.probe.parentSpanId);
      if (roots.length !== 1)
        problems.push({
          note: `GET ${c.probe.url}: trace ${c.probe.traceId} has ${roots.length} roots (${roots.map((r) => `${r.serviceName} "${r.name}"`).join(', ')}), expected one`,
        });
      for (const s of c.spans) {
        if (
          s.parentSpanId !== undefined &&
          s.parentSpanId !== c.probe.parentSpanId &&
          !byId.has(s.parentSpanId) &&
          s.kind !== 'server'
        ) {
          problems.push({ note: `${spanNote(s)}: orphan, its parent never arrived` });
        }
      }
    }
    problems.push(...view.notInjected, ...view.notExtracted);
    const fix =
      'Let the instrumented HTTP client make the call inside the active span (it creates the CLIENT span and injects its context), and let the server instrumentation extract it; do not inject a context by hand from a span that is never exported.';
    if (problems.length > 0)
      return result(
        ITEM,
        'fail',
        `${problems.length} broken parent-child link(s) across services`,
        [...problems, ...good.slice(0, 5)],
        fix,
      );
    if (run.services.length === 1 && running(run).length === 1) {
      // One service: each probe's trace must have one root — its SERVER span under the incoming traceparent — and no orphan.
      const single = singleServiceView(run, run.services[0]!.service.id);
      if (single.problems.length > 0)
        return result(
          ITEM,
          'fail',
          `${single.problems.length} broken parent-child link(s) in the service's traces`,
          [...single.problems, ...single.continued.slice(0, 3).map(continuedNote)],
          fix,
        );
      if (single.continued.length === 0)
        return result(
          ITEM,
          'skipped',
          'no probe request was answered by a SERVER span continuing its traceparent, so no parentage could be seen',
        );
      return result(
        ITEM,
        'pass',
        `one service: ${single.continued.length} request trace(s), each with one root (the SERVER span under the incoming traceparent) and no orphans`,
        single.continued.map(continuedNote),
      );
    }
    if (running(run).length < 2)
      return withDownServices(
        ITEM,
        run,
        result(ITEM, 'skipped', 'fewer than two services are running, so no request can cross services'),
      );
    if (good.length === 0) {
      return withDownServices(
        ITEM,
        run,
        result(ITEM, 'skipped', 'no probe request crossed services, so no cross-service parentage could be seen'),
      );
    }
    return withDownServices(
      ITEM,
      run,
      result(
        ITEM,
        'pass',
        `${good.length} cross-service hop(s), each a CLIENT → SERVER parentage in one trace with one root`,
        good,
      ),
    );
  },
};
