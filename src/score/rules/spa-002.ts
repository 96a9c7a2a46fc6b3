/**
 * SPA-002: no orphan spans — every parent span id names a span of the same trace. The parent of a probe's traceparent
 * is never exported (the probe is not a traced service), so a span under it is a root, not an orphan.
 */
import { NO_SPANS, notEvaluated, remoteParentKey, type RuleEvidence, type RuleEvaluator } from '../types.js';
import { byTrace } from './traces.js';

export const evaluateSpa002: RuleEvaluator = ({ spans, remoteParents }) => {
  if (spans.length === 0) return notEvaluated(NO_SPANS);
  const evidence: RuleEvidence[] = [];
  let orphans = 0;
  for (const [traceId, list] of byTrace(spans)) {
    const ids = new Set(list.map((s) => s.spanId));
    const lost = list.filter(
      (s) =>
        s.parentSpanId !== undefined &&
        !ids.has(s.parentSpanId) &&
        !remoteParents.has(remoteParentKey(traceId, s.parentSpanId)),
    );
    if (lost.length === 0) continue;
    orphans += lost.length;
    const services = [...new Set(lost.map((s) => s.serviceName))];
    for (const service of services) {
      const mine = lost.filter((s) => s.serviceName === service);
      evidence.push({
        service,
        traceId,
        spanIds: mine.slice(0, 3).map((s) => s.spanId),
        count: mine.length,
        note: `${mine.length} span(s) of ${service} name a parent that never arrived (e.g. "${mine[0]!.name}" → parent ${mine[0]!.parentSpanId})`,
      });
    }
  }
  if (orphans === 0) return { status: 'pass', summary: `every parent of ${spans.length} span(s) arrived`, evidence };
  return { status: 'fail', summary: `${orphans} orphan span(s): their parent never arrived`, evidence };
};
