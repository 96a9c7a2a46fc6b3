/** The distinct resources among the spans, per service: the resource rules judge each once, with its spans as evidence. */
import type { Attributes, ReceivedSpan } from '../../verify/receiver/span.js';

export interface ResourceGroup {
  service: string;
  resource: Attributes;
  spans: ReceivedSpan[];
}

/** Groups spans by service name and resource content (one SDK instance = one resource). */
export function resourceGroups(spans: readonly ReceivedSpan[]): ResourceGroup[] {
  const groups = new Map<string, ResourceGroup>();
  for (const span of spans) {
    const key = `${span.serviceName}\u0000${JSON.stringify(span.resource)}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { service: span.serviceName, resource: span.resource, spans: [] }));
    group.spans.push(span);
  }
  return [...groups.values()];
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
