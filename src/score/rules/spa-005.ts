/** SPA-005: at most 20 spans shorter than 5 ms in one trace. */
import { NO_SPANS, notEvaluated, type RuleEvidence, type RuleEvaluator } from '../types.js';
import { byTrace } from './traces.js';

export const MAX_SHORT_SPANS = 20;
export const SHORT_MS = 5;

export const evaluateSpa005: RuleEvaluator = ({ spans }) => {
  if (spans.length === 0) return notEvaluated(NO_SPANS);
  const traces = byTrace(spans);
  const evidence: RuleEvidence[] = [];
  for (const [traceId, list] of traces) {
    const short = list.filter((s) => s.durationMs < SHORT_MS);
    if (short.length <= MAX_SHORT_SPANS) continue;
    const services = [...new Set(short.map((s) => s.serviceName))];
    evidence.push({
      traceId,
      service: services.join(', '),
      spanIds: short.slice(0, 3).map((s) => s.spanId),
      count: short.length,
      note: `${short.length} spans under ${SHORT_MS} ms in one trace (at most ${MAX_SHORT_SPANS})`,
    });
  }
  if (evidence.length === 0)
    return {
      status: 'pass',
      summary: `no trace of ${traces.size} has more than ${MAX_SHORT_SPANS} spans under ${SHORT_MS} ms`,
      evidence,
    };
  return {
    status: 'fail',
    summary: `${evidence.length} trace(s) with more than ${MAX_SHORT_SPANS} spans under ${SHORT_MS} ms`,
    evidence,
  };
};
