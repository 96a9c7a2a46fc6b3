/**
 * RES-004: semantic-convention attributes at the right OTLP level — resource keys (service.name, host.*, …) not on
 * spans, span keys (http.*, url.*, db.*, …) not on the resource. The levels are data: semconv-levels.ts.
 */
import { matchesKey, RESOURCE_LEVEL_KEYS, SPAN_LEVEL_KEYS } from '../semconv-levels.js';
import { NO_SPANS, notEvaluated, type RuleEvidence, type RuleEvaluator } from '../types.js';
import type { ReceivedSpan } from '../../verify/receiver/span.js';
import { resourceGroups } from './resources.js';

export const evaluateRes004: RuleEvaluator = ({ spans }) => {
  if (spans.length === 0) return notEvaluated(NO_SPANS);
  const evidence: RuleEvidence[] = [];
  // Resource keys on spans: one entry per service and key.
  const onSpans = new Map<string, { service: string; key: string; spans: ReceivedSpan[] }>();
  for (const span of spans) {
    for (const key of Object.keys(span.attributes)) {
      if (!matchesKey(key, RESOURCE_LEVEL_KEYS)) continue;
      const id = `${span.serviceName}\u0000${key}`;
      const entry = onSpans.get(id) ?? { service: span.serviceName, key, spans: [] };
      entry.spans.push(span);
      onSpans.set(id, entry);
    }
  }
  for (const e of onSpans.values()) {
    evidence.push({
      service: e.service,
      attribute: e.key,
      spanIds: e.spans.slice(0, 3).map((s) => s.spanId),
      count: e.spans.length,
      note: `${e.key} is a resource attribute but is set on ${e.spans.length} span(s)`,
    });
  }
  for (const g of resourceGroups(spans)) {
    for (const key of Object.keys(g.resource)) {
      if (!matchesKey(key, SPAN_LEVEL_KEYS)) continue;
      evidence.push({
        service: g.service,
        attribute: key,
        spanIds: g.spans.slice(0, 3).map((s) => s.spanId),
        count: g.spans.length,
        note: `${key} describes one operation but is set on the resource of ${g.service}`,
      });
    }
  }
  if (evidence.length === 0)
    return {
      status: 'pass',
      summary: `no attribute of ${spans.length} span(s) and their resources is at the wrong level`,
      evidence,
    };
  return { status: 'fail', summary: `${evidence.length} attribute(s) at the wrong OTLP level`, evidence };
};
