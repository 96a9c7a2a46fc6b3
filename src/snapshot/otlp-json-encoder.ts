/**
 * Received spans back to OTLP/JSON: one ExportTraceServiceRequest per trace, spans grouped by resource and scope, ids as
 * hex, enums as integers, nanoseconds and int64 values as decimal strings — the shape the Collector's file exporter
 * writes and the receiver's OTLP/JSON decoder reads. What the decoder already lost stays lost: an int64 too large for a
 * JS number was kept as a decimal string and is written as a string, bytes as their base64 string, and a double with an
 * integral value (1.0) as an integer.
 */
import type {
  AttributeValue,
  Attributes,
  ReceivedSpan,
  SpanKindName,
  SpanStatusCode,
} from '../verify/receiver/span.js';

const KIND_NUMBER: Record<SpanKindName, number> = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};
const STATUS_NUMBER: Record<SpanStatusCode, number> = { unset: 0, ok: 1, error: 2 };

type JsonObject = Record<string, unknown>;

function anyValue(value: AttributeValue): JsonObject {
  if (value === null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { doubleValue: 'NaN' };
    if (!Number.isFinite(value)) return { doubleValue: value > 0 ? 'Infinity' : '-Infinity' };
    return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  }
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { kvlistValue: { values: keyValues(value) } };
}

function keyValues(attributes: Attributes): JsonObject[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function spanJson(span: ReceivedSpan): JsonObject {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    ...(span.traceState ? { traceState: span.traceState } : {}),
    name: span.name,
    kind: KIND_NUMBER[span.kind],
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    attributes: keyValues(span.attributes),
    ...(span.droppedAttributesCount ? { droppedAttributesCount: span.droppedAttributesCount } : {}),
    events: span.events.map((e) => ({
      timeUnixNano: e.timeUnixNano.toString(),
      name: e.name,
      attributes: keyValues(e.attributes),
    })),
    links: span.links.map((l) => ({
      traceId: l.traceId,
      spanId: l.spanId,
      ...(l.traceState ? { traceState: l.traceState } : {}),
      attributes: keyValues(l.attributes),
    })),
    status: { code: STATUS_NUMBER[span.status.code], ...(span.status.message ? { message: span.status.message } : {}) },
  };
}

/** One export request holding the spans, grouped by resource (equal attributes) and then by scope. */
export function exportRequestOf(spans: readonly ReceivedSpan[]): JsonObject {
  const resources = new Map<
    string,
    { resource: Attributes; scopes: Map<string, { scope: ReceivedSpan['scope']; spans: ReceivedSpan[] }> }
  >();
  for (const span of spans) {
    const resourceKey = JSON.stringify(span.resource);
    let entry = resources.get(resourceKey);
    if (!entry) resources.set(resourceKey, (entry = { resource: span.resource, scopes: new Map() }));
    const scopeKey = `${span.scope.name}\u0000${span.scope.version ?? ''}`;
    let scope = entry.scopes.get(scopeKey);
    if (!scope) entry.scopes.set(scopeKey, (scope = { scope: span.scope, spans: [] }));
    scope.spans.push(span);
  }
  return {
    resourceSpans: [...resources.values()].map(({ resource, scopes }) => ({
      resource: { attributes: keyValues(resource) },
      scopeSpans: [...scopes.values()].map(({ scope, spans: scoped }) => ({
        scope: { name: scope.name, ...(scope.version ? { version: scope.version } : {}) },
        spans: scoped.map(spanJson),
      })),
    })),
  };
}

/**
 * The spans as OTLP JSON lines: one export request per trace, traces in the order they first arrived. No spans give one
 * empty request, so the file still reads back (as zero spans) rather than as an empty file.
 */
export function otlpJsonLines(spans: readonly ReceivedSpan[]): string {
  const traces = new Map<string, ReceivedSpan[]>();
  for (const span of spans) {
    const list = traces.get(span.traceId);
    if (list) list.push(span);
    else traces.set(span.traceId, [span]);
  }
  if (traces.size === 0) return `${JSON.stringify({ resourceSpans: [] })}\n`;
  return [...traces.values()].map((trace) => `${JSON.stringify(exportRequestOf(trace))}\n`).join('');
}
