/**
 * What one received span may hold in memory, and roughly how much it holds. Before a span is kept, oversized strings
 * (attribute values, names, status messages) are cut to `maxValueChars` with a visible marker, lists and maps longer
 * than `maxItems` are cut (a marker element / key says how many went), and so are events and links. The walk also
 * estimates the retained bytes of what is kept (UTF-16 strings, object and array overheads), so the store can bound
 * itself in bytes and not only in spans.
 */
import type { AttributeValue, Attributes, ReceivedSpan, SpanEvent, SpanLink } from './span.js';

export interface SpanLimits {
  /** Longest string kept (characters); longer ones are cut and marked. */
  maxValueChars: number;
  /** Most items kept in one list or map, and events / links of one span. */
  maxItems: number;
}

export const DEFAULT_SPAN_LIMITS: SpanLimits = { maxValueChars: 16_384, maxItems: 1_000 };

/** Rough V8 costs: a string header, an object with a few fields, an array slot, a map entry. */
const STRING_OVERHEAD = 24;
const OBJECT_OVERHEAD = 64;
const ENTRY_OVERHEAD = 32;
const SPAN_OVERHEAD = 600;

/**
 * Heap bytes of one kept span that is still held as its protobuf bytes (the lazily decoding span object with its
 * decoded ids, name and kind, and its share of the per-trace index), beside those bytes themselves. Measured with
 * `node --expose-gc` over 100,000 kept spans of bench/receiver.mjs's shape.
 */
export const HELD_SPAN_OVERHEAD = 350;

/**
 * Whether a protobuf Span message of `wireBytes` bytes can hold nothing that bounding would cut, so it can be kept
 * undecoded: a string of n UTF-16 units takes at least n bytes in UTF-8, a bytes value of n bytes becomes 4n/3 base64
 * characters, and every list item, map entry, event or link takes at least 2 bytes (nesting is cut by the decoder).
 */
export function wireBytesNeedNoBounding(wireBytes: number, limits: SpanLimits): boolean {
  return wireBytes * 4 <= limits.maxValueChars * 3 && wireBytes <= limits.maxItems * 2;
}

export const TRUNCATION_MARKER = '…[truncated by trace-guide: ';

/** What bounding one value (or span) did. */
export interface Bounding {
  bytes: number;
  /** Strings cut, lists / maps / event lists shortened. */
  truncated: number;
}

function stringBytes(value: string): number {
  return STRING_OVERHEAD + value.length * 2;
}

/**
 * A fresh copy of the first `max` characters plus the marker: a plain slice would keep the whole original string alive
 * (V8 slices point into their parent), which is what the cut must free.
 */
function cutString(value: string, max: number): string {
  const head = Buffer.from(value.slice(0, max), 'utf16le').toString('utf16le');
  return `${head}${TRUNCATION_MARKER}${value.length} characters]`;
}

function boundString(value: string, limits: SpanLimits, acc: Bounding): string {
  if (value.length <= limits.maxValueChars) {
    acc.bytes += stringBytes(value);
    return value;
  }
  acc.truncated++;
  const cut = cutString(value, limits.maxValueChars);
  acc.bytes += stringBytes(cut);
  return cut;
}

function boundValue(value: AttributeValue, limits: SpanLimits, acc: Bounding, depth: number): AttributeValue {
  if (typeof value === 'string') return boundString(value, limits, acc);
  if (value === null || typeof value !== 'object') {
    acc.bytes += 16;
    return value;
  }
  if (depth > 16) {
    acc.truncated++;
    acc.bytes += 64;
    return `${TRUNCATION_MARKER}nested deeper than 16 levels]`;
  }
  if (Array.isArray(value)) {
    acc.bytes += OBJECT_OVERHEAD;
    const kept = value.slice(0, limits.maxItems).map((item) => {
      acc.bytes += 8;
      return boundValue(item, limits, acc, depth + 1);
    });
    if (value.length > limits.maxItems) {
      acc.truncated++;
      kept.push(`${TRUNCATION_MARKER}${value.length - limits.maxItems} more items]`);
    }
    return kept;
  }
  return boundAttributes(value, limits, acc, depth + 1);
}

export function boundAttributes(attributes: Attributes, limits: SpanLimits, acc: Bounding, depth = 0): Attributes {
  acc.bytes += OBJECT_OVERHEAD;
  const keys = Object.keys(attributes);
  let changed = false;
  const out: Attributes = {};
  for (const key of keys.slice(0, limits.maxItems)) {
    const original = attributes[key] as AttributeValue;
    const boundKey = key.length > limits.maxValueChars ? cutString(key, limits.maxValueChars) : key;
    if (boundKey !== key) acc.truncated++;
    acc.bytes += ENTRY_OVERHEAD + stringBytes(boundKey);
    const bounded = boundValue(original, limits, acc, depth);
    if (bounded !== original || boundKey !== key) changed = true;
    out[boundKey] = bounded;
  }
  if (keys.length > limits.maxItems) {
    acc.truncated++;
    changed = true;
    out[`${TRUNCATION_MARKER}${keys.length - limits.maxItems} more attributes]`] = null;
  }
  return changed ? out : attributes;
}

/**
 * The estimated bytes of a value when nothing in it needs cutting, or -1 when something does: the common case is read
 * without allocating anything.
 */
function measureValue(value: AttributeValue, limits: SpanLimits, depth: number): number {
  if (typeof value === 'string') return value.length > limits.maxValueChars ? -1 : stringBytes(value);
  if (value === null || typeof value !== 'object') return 16;
  if (depth > 16) return -1;
  if (Array.isArray(value)) {
    if (value.length > limits.maxItems) return -1;
    let bytes = OBJECT_OVERHEAD;
    for (const item of value) {
      const b = measureValue(item, limits, depth + 1);
      if (b < 0) return -1;
      bytes += 8 + b;
    }
    return bytes;
  }
  return measureAttributes(value, limits, depth + 1);
}

function measureAttributes(attributes: Attributes, limits: SpanLimits, depth = 0): number {
  let bytes = OBJECT_OVERHEAD;
  let count = 0;
  for (const key in attributes) {
    if (++count > limits.maxItems || key.length > limits.maxValueChars) return -1;
    const b = measureValue(attributes[key] as AttributeValue, limits, depth);
    if (b < 0) return -1;
    bytes += ENTRY_OVERHEAD + stringBytes(key) + b;
  }
  return bytes;
}

/** `attributes` bounded: the same object when nothing needed cutting. */
export function keepOrBoundAttributes(attributes: Attributes, limits: SpanLimits, acc: Bounding): Attributes {
  const bytes = measureAttributes(attributes, limits);
  if (bytes >= 0) {
    acc.bytes += bytes;
    return attributes;
  }
  return boundAttributes(attributes, limits, acc);
}

function boundList<T>(list: readonly T[], limits: SpanLimits, acc: Bounding, each: (item: T) => T): T[] {
  if (list.length > limits.maxItems) acc.truncated++;
  return list.slice(0, limits.maxItems).map(each);
}

/**
 * The span as it will be kept, and its estimated bytes. `resource` is the already bounded resource (shared by the spans
 * of one request) and `resourceBytes` the share of its size this span carries.
 */
export function boundSpan(
  span: ReceivedSpan,
  limits: SpanLimits,
  resource: Attributes,
  resourceBytes: number,
): { span: ReceivedSpan; bounding: Bounding } {
  const acc: Bounding = { bytes: SPAN_OVERHEAD + resourceBytes, truncated: 0 };
  const name = boundString(span.name, limits, acc);
  const attributes = keepOrBoundAttributes(span.attributes, limits, acc);
  const events =
    span.events.length === 0
      ? span.events
      : boundList<SpanEvent>(span.events, limits, acc, (event) => {
          const eventName = boundString(event.name, limits, acc);
          const eventAttributes = keepOrBoundAttributes(event.attributes, limits, acc);
          return eventName === event.name && eventAttributes === event.attributes
            ? event
            : { ...event, name: eventName, attributes: eventAttributes };
        });
  const links =
    span.links.length === 0
      ? span.links
      : boundList<SpanLink>(span.links, limits, acc, (link) => {
          const linkAttributes = keepOrBoundAttributes(link.attributes, limits, acc);
          return linkAttributes === link.attributes ? link : { ...link, attributes: linkAttributes };
        });
  const message = span.status.message === undefined ? undefined : boundString(span.status.message, limits, acc);
  const scopeName = boundString(span.scope.name, limits, acc);
  // service.name comes from the resource: cut the same way, so it still equals the kept resource value.
  const serviceName =
    span.serviceName.length > limits.maxValueChars
      ? cutString(span.serviceName, limits.maxValueChars)
      : span.serviceName;
  if (span.traceState) acc.bytes += stringBytes(span.traceState);
  if (acc.truncated === 0 && resource === span.resource) return { span, bounding: acc };
  return {
    span: {
      ...span,
      name,
      attributes,
      events,
      links,
      status: { ...span.status, ...(message === undefined ? {} : { message }) },
      resource,
      serviceName,
      scope: { ...span.scope, name: scopeName },
    },
    bounding: acc,
  };
}
