/** SPA-001: at most 10 INTERNAL spans per service in one trace. */
import { NO_SPANS, notEvaluated, type RuleEvidence, type RuleEvaluator } from '../types.js';
import { byTrace } from './traces.js';

export const MAX_INTERNAL_PER_SERVICE = 10;

export const evaluateSpa001: RuleEvaluator = ({ spans }) => {
  if (spans.length === 0) return notEvaluated(NO_SPANS);
  const traces = byTrace(spans);
  const evidence: RuleEvidence[] = [];
  for (const [traceId, list] of traces) {
    const perService = new Map<string, typeof list>();
    for (const s of list) {
      if (s.kind !== 'internal') continue;
      perService.set(s.serviceName, [...(perService.get(s.serviceName) ?? []), s]);
    }
    for (const [service, internal] of perService) {
      if (internal.length <= MAX_INTERNAL_PER_SERVICE) continue;
      evidence.push({
        service,
        traceId,
        spanIds: internal.slice(0, 3).map((s) => s.spanId),
        count: internal.length,
        note: `${internal.length} INTERNAL spans of ${service} in one trace (at most ${MAX_INTERNAL_PER_SERVICE})`,
      });
    }
  }
  if (evidence.length === 0)
    return {
      status: 'pass',
      summary: `no service has more than ${MAX_INTERNAL_PER_SERVICE} INTERNAL spans in any of ${traces.size} trace(s)`,
      evidence,
    };
  return {
    status: 'fail',
    summary: `${evidence.length} trace/service pair(s) with more than ${MAX_INTERNAL_PER_SERVICE} INTERNAL spans`,
    evidence,
  };
};
