/**
 * SPA-003: span names of bounded cardinality. One local run cannot count distinct names over time, so it reads what
 * makes a name unbounded: a value in it — a path segment that is a number, a UUID or a long hex / token, a query
 * string — where a route template ("/users/{id}") belongs.
 */
import type { ReceivedSpan } from '../../verify/receiver/span.js';
import { NO_SPANS, notEvaluated, type RuleEvidence, type RuleEvaluator } from '../types.js';

const NUMBER = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LONG_HEX = /^(?=.*\d)[0-9a-f]{16,}$/i;
const TOKEN = /^(?=.*\d)(?=.*[a-z])[\w-]{24,}$/i;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;

/** The value that makes a span name unbounded, or undefined. */
export function unboundedPart(name: string): string | undefined {
  for (const token of name.split(/\s+/)) {
    if (!token.startsWith('/')) continue;
    const [pathPart, query] = token.split('?', 2);
    if (query !== undefined && query.includes('=')) return `?${query}`;
    for (const segment of pathPart!.split('/')) {
      if (segment === '') continue;
      if (
        NUMBER.test(segment) ||
        UUID.test(segment) ||
        LONG_HEX.test(segment) ||
        TOKEN.test(segment) ||
        EMAIL.test(segment)
      )
        return segment;
    }
  }
  return undefined;
}

export const evaluateSpa003: RuleEvaluator = ({ spans }) => {
  if (spans.length === 0) return notEvaluated(NO_SPANS);
  const byService = new Map<string, { span: ReceivedSpan; part: string }[]>();
  for (const span of spans) {
    const part = unboundedPart(span.name);
    if (part === undefined) continue;
    byService.set(span.serviceName, [...(byService.get(span.serviceName) ?? []), { span, part }]);
  }
  const names = new Set(spans.map((s) => `${s.serviceName}\u0000${s.name}`)).size;
  if (byService.size === 0)
    return {
      status: 'pass',
      summary: `none of ${names} distinct span name(s) carries a value (id, number, query string)`,
      evidence: [],
    };
  const evidence: RuleEvidence[] = [...byService].map(([service, hits]) => ({
    service,
    spanIds: hits.slice(0, 3).map((h) => h.span.spanId),
    count: hits.length,
    note: `${hits.length} span(s) of ${service} are named with a value in them, e.g. "${hits[0]!.span.name}" (${hits[0]!.part}): name them by the route template`,
  }));
  return {
    status: 'fail',
    summary: `span names of ${evidence.length} service(s) carry values, so their cardinality is unbounded`,
    evidence,
  };
};
