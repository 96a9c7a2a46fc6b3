/** SPA-004: a trace's root span is never CLIENT (an outgoing call with nothing around it). */
import { NO_SPANS, notEvaluated, type RuleEvaluator } from '../types.js';
import { isLocalRoot } from './traces.js';

export const evaluateSpa004: RuleEvaluator = ({ spans, remoteParents }) => {
  if (spans.length === 0) return notEvaluated(NO_SPANS);
  const roots = spans.filter((s) => isLocalRoot(s, remoteParents));
  if (roots.length === 0)
    return notEvaluated(
      `none of ${spans.length} span(s) is a root (every parent is another span), so no root kind can be read`,
    );
  const client = roots.filter((s) => s.kind === 'client');
  if (client.length === 0)
    return { status: 'pass', summary: `none of ${roots.length} root span(s) is CLIENT`, evidence: [] };
  const services = [...new Set(client.map((s) => s.serviceName))];
  return {
    status: 'fail',
    summary: `${client.length} of ${roots.length} root span(s) are CLIENT`,
    evidence: services.map((service) => {
      const mine = client.filter((s) => s.serviceName === service);
      return {
        service,
        traceId: mine[0]!.traceId,
        spanIds: mine.slice(0, 3).map((s) => s.spanId),
        count: mine.length,
        note: `${mine.length} trace(s) of ${service} start with the CLIENT span "${mine[0]!.name}"`,
      };
    }),
  };
};
