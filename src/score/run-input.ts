/**
 * The score's input from one runtime run (the run `check` starts: the chosen services against the built-in receiver,
 * probed with the user's probes or the routes found in the code): the spans that arrived, the probes' never-exported
 * parents, why log records cannot be read, and each started service's SDK facts.
 */
import type { CheckContext } from '../verify/check.js';
import type { Attributes } from '../verify/receiver/span.js';
import type { RuntimeRun } from '../verify/runtime/runtime-run.js';
import { sdkFacts } from './sdk-facts.js';
import { remoteParentKey, type ScoreInput } from './types.js';

export const LOGS_NOT_RECEIVED =
  'the built-in receiver takes traces only (/v1/traces), so no OTLP log record can be read';

/** The resource each probed service reported: the one on the span that answered its probe (under the probe's parent). */
export function resourcesByService(run: Pick<RuntimeRun, 'probes' | 'store'>): Map<string, Attributes> {
  const out = new Map<string, Attributes>();
  for (const probe of run.probes) {
    if (out.has(probe.serviceId)) continue;
    const entry = run.store.spansOfTrace(probe.traceId).find((s) => s.parentSpanId === probe.parentSpanId);
    if (entry) out.set(probe.serviceId, entry.resource);
  }
  return out;
}

export async function scoreInputFromRun(ctx: Pick<CheckContext, 'root'>, run: RuntimeRun): Promise<ScoreInput> {
  const logExports = run.store.wrongProtocolArrivals().filter((a) => a.path === '/v1/logs').length;
  const resources = resourcesByService(run);
  const running = run.services.filter((s) => s.status === 'running');
  return {
    spans: run.store.spans(),
    remoteParents: new Set(run.probes.map((p) => remoteParentKey(p.traceId, p.parentSpanId))),
    logs: {
      received: false,
      reason:
        logExports > 0
          ? `${LOGS_NOT_RECEIVED}; ${logExports} log export(s) to /v1/logs arrived and were refused`
          : LOGS_NOT_RECEIVED,
    },
    sdk: await Promise.all(running.map((s) => sdkFacts(ctx.root, s.service, resources.get(s.service.id), s.env))),
  };
}
