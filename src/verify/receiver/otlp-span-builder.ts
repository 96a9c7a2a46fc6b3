/**
 * Walks an OTLP ExportTraceServiceRequest (resource_spans → scope_spans → spans) and builds `ReceivedSpan`s. The walk is
 * the same for protobuf and JSON; what differs (ids as bytes or hex, int64 as Long or string, AnyValue shapes) is behind
 * an `OtlpValueCodec`. Spans with invalid ids are rejected one by one and counted; the rest of the request is kept.
 */
import { OtlpDecodeError, RejectionTally, type DecodedExport } from './otlp-decode-result.js';
import {
  durationMsBetween,
  serviceNameOf,
  spanKindFromOtlp,
  statusCodeFromOtlp,
  type Attributes,
  type ReceivedSpan,
  type ReceivedVia,
  type SpanEvent,
  type SpanLink,
  type SpanStatus,
} from './span.js';

export interface OtlpValueCodec {
  readonly via: ReceivedVia;
  /**
   * An id field as lowercase hex (only 0-9a-f; the builder relies on it and checks length only); '' when absent or
   * empty. Throws SpanRejection when it is not hex or bytes at all.
   */
  idToHex(value: unknown, field: string): string;
  /** A fixed64 nanosecond timestamp. Throws SpanRejection when it is not a number. */
  nanos(value: unknown, field: string): bigint;
  /** A repeated KeyValue field as attributes. */
  attributes(value: unknown): Attributes;
}

/** One span cannot be used; the reason says what was wrong in words a developer can act on. */
export class SpanRejection extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpanRejection';
  }
}

type Fields = Record<string, unknown>;

const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

function asObject(value: unknown, where: string): Fields | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new OtlpDecodeError(`${where} must be an object, got ${describeType(value)}`);
  }
  return value as Fields;
}

function asArray(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError(`${where} must be an array, got ${describeType(value)}`);
  return value;
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function buildSpansFromExportRequest(
  request: unknown,
  codec: OtlpValueCodec,
  receivedAt: number,
): DecodedExport {
  const top = asObject(request, 'the ExportTraceServiceRequest');
  if (top === undefined)
    throw new OtlpDecodeError('the request body is empty JSON (null); send an ExportTraceServiceRequest');
  const spans: ReceivedSpan[] = [];
  const tally = new RejectionTally();
  const resourceSpansList = asArray(top.resourceSpans, 'resourceSpans');
  for (let r = 0; r < resourceSpansList.length; r++) {
    const resourceSpans = asObject(resourceSpansList[r], `resourceSpans[${r}]`);
    if (resourceSpans === undefined) continue;
    const resourceMessage = asObject(resourceSpans.resource, `resourceSpans[${r}].resource`);
    const resource = codec.attributes(resourceMessage?.attributes);
    const serviceName = serviceNameOf(resource);
    const scopeSpansList = asArray(resourceSpans.scopeSpans, `resourceSpans[${r}].scopeSpans`);
    for (let s = 0; s < scopeSpansList.length; s++) {
      const scopeSpans = asObject(scopeSpansList[s], `resourceSpans[${r}].scopeSpans[${s}]`);
      if (scopeSpans === undefined) continue;
      const scopeMessage = asObject(scopeSpans.scope, `resourceSpans[${r}].scopeSpans[${s}].scope`);
      const scopeVersion = optionalString(scopeMessage?.version);
      const scope = {
        name: typeof scopeMessage?.name === 'string' ? scopeMessage.name : '',
        ...(scopeVersion === undefined ? {} : { version: scopeVersion }),
      };
      const spanList = asArray(scopeSpans.spans, `resourceSpans[${r}].scopeSpans[${s}].spans`);
      for (const rawSpan of spanList) {
        try {
          const span = buildSpan(rawSpan, codec);
          span.resource = resource;
          span.serviceName = serviceName;
          span.scope = scope;
          span.receivedAt = receivedAt;
          spans.push(span);
        } catch (error) {
          if (error instanceof SpanRejection) tally.reject(`${serviceName}: ${error.message}`);
          else throw error;
        }
      }
    }
  }
  return { spans, rejectedSpans: tally.count, rejectionReasons: tally.reasons };
}

function buildSpan(raw: unknown, codec: OtlpValueCodec): ReceivedSpan {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SpanRejection(`a span must be an object, got ${describeType(raw)}`);
  }
  const fields = raw as Fields;
  const name = typeof fields.name === 'string' ? fields.name : '';
  const label = name === '' ? 'a span without a name' : `span "${name}"`;
  const traceId = codec.idToHex(fields.traceId, 'traceId');
  if (traceId.length !== 32 || traceId === ZERO_TRACE_ID) {
    throw new SpanRejection(`${label} has an invalid trace id "${traceId}" (a trace id is 16 bytes, not all zero)`);
  }
  const spanId = codec.idToHex(fields.spanId, 'spanId');
  if (spanId.length !== 16 || spanId === ZERO_SPAN_ID) {
    throw new SpanRejection(`${label} has an invalid span id "${spanId}" (a span id is 8 bytes, not all zero)`);
  }
  const parentHex = codec.idToHex(fields.parentSpanId, 'parentSpanId');
  let parentSpanId: string | undefined;
  if (parentHex !== '' && parentHex !== ZERO_SPAN_ID) {
    if (parentHex.length !== 16) {
      throw new SpanRejection(`${label} has an invalid parent span id "${parentHex}" (a span id is 8 bytes)`);
    }
    parentSpanId = parentHex;
  }
  const startTimeUnixNano = codec.nanos(fields.startTimeUnixNano, 'startTimeUnixNano');
  const endTimeUnixNano = codec.nanos(fields.endTimeUnixNano, 'endTimeUnixNano');
  const span: ReceivedSpan = {
    traceId,
    spanId,
    name,
    kind: spanKindFromOtlp(fields.kind),
    startTimeUnixNano,
    endTimeUnixNano,
    durationMs: durationMsBetween(startTimeUnixNano, endTimeUnixNano),
    attributes: codec.attributes(fields.attributes),
    droppedAttributesCount: typeof fields.droppedAttributesCount === 'number' ? fields.droppedAttributesCount : 0,
    events: buildEvents(fields.events, codec),
    links: buildLinks(fields.links, codec),
    status: buildStatus(fields.status),
    resource: {},
    serviceName: '',
    scope: { name: '' },
    receivedVia: codec.via,
    receivedAt: 0,
  };
  if (parentSpanId !== undefined) span.parentSpanId = parentSpanId;
  const traceState = optionalString(fields.traceState);
  if (traceState !== undefined) span.traceState = traceState;
  return span;
}

function buildEvents(value: unknown, codec: OtlpValueCodec): SpanEvent[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new SpanRejection(`events must be an array, got ${describeType(value)}`);
  const events: SpanEvent[] = [];
  for (const raw of value) {
    if (raw === null || typeof raw !== 'object') continue;
    const fields = raw as Fields;
    events.push({
      name: typeof fields.name === 'string' ? fields.name : '',
      timeUnixNano: codec.nanos(fields.timeUnixNano, 'event timeUnixNano'),
      attributes: codec.attributes(fields.attributes),
    });
  }
  return events;
}

function buildLinks(value: unknown, codec: OtlpValueCodec): SpanLink[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new SpanRejection(`links must be an array, got ${describeType(value)}`);
  const links: SpanLink[] = [];
  for (const raw of value) {
    if (raw === null || typeof raw !== 'object') continue;
    const fields = raw as Fields;
    const link: SpanLink = {
      traceId: codec.idToHex(fields.traceId, 'link traceId'),
      spanId: codec.idToHex(fields.spanId, 'link spanId'),
      attributes: codec.attributes(fields.attributes),
    };
    const traceState = optionalString(fields.traceState);
    if (traceState !== undefined) link.traceState = traceState;
    links.push(link);
  }
  return links;
}

function buildStatus(value: unknown): SpanStatus {
  if (value === null || typeof value !== 'object') return { code: 'unset' };
  const fields = value as Fields;
  const status: SpanStatus = { code: statusCodeFromOtlp(fields.code) };
  const message = optionalString(fields.message);
  if (message !== undefined) status.message = message;
  return status;
}

/** Sets an attribute without letting a key such as `__proto__` reach the object's prototype. */
export function setAttribute(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** How deep arrays and kvlists may nest inside one attribute value before the rest is cut off. */
export const MAX_ATTRIBUTE_NESTING = 16;
