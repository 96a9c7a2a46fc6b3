/**
 * The one span model of the receiver. OTLP/HTTP protobuf, OTLP/HTTP JSON and OTLP/gRPC all decode into `ReceivedSpan`,
 * so checks and the `receive` command never see the wire format.
 */

export type SpanKindName = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type SpanStatusCode = 'unset' | 'ok' | 'error';
export type ReceivedVia = 'http/protobuf' | 'http/json' | 'grpc';

/**
 * An attribute value as sent. Integers that fit a JS number are numbers; larger int64 values are kept exactly as decimal
 * strings. Bytes values are base64 strings. A kvlist becomes a nested record.
 */
export type AttributeScalar = string | number | boolean | null;
export type AttributeValue = AttributeScalar | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface SpanEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState?: string;
  attributes: Attributes;
}

export interface SpanStatus {
  code: SpanStatusCode;
  message?: string;
}

export interface InstrumentationScopeInfo {
  name: string;
  version?: string;
}

export interface ReceivedSpan {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** 16 lowercase hex characters; absent on a root span. */
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind: SpanKindName;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  durationMs: number;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: SpanEvent[];
  links: SpanLink[];
  status: SpanStatus;
  /** Resource attributes; shared (same object) by every span of one resource in one request. */
  resource: Attributes;
  /** `service.name` of the resource, else `unknown_service`. */
  serviceName: string;
  scope: InstrumentationScopeInfo;
  receivedVia: ReceivedVia;
  /** Epoch milliseconds when the receiver accepted the request. */
  receivedAt: number;
}

/** The service name the OpenTelemetry SDKs use when none is configured is `unknown_service[:process]`; we use the bare one. */
export const UNKNOWN_SERVICE = 'unknown_service';

const SPAN_KINDS: readonly SpanKindName[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const SPAN_KIND_ENUM_NAMES: Record<string, SpanKindName> = {
  SPAN_KIND_UNSPECIFIED: 'unspecified',
  SPAN_KIND_INTERNAL: 'internal',
  SPAN_KIND_SERVER: 'server',
  SPAN_KIND_CLIENT: 'client',
  SPAN_KIND_PRODUCER: 'producer',
  SPAN_KIND_CONSUMER: 'consumer',
};
const STATUS_CODES: readonly SpanStatusCode[] = ['unset', 'ok', 'error'];
const STATUS_CODE_ENUM_NAMES: Record<string, SpanStatusCode> = {
  STATUS_CODE_UNSET: 'unset',
  STATUS_CODE_OK: 'ok',
  STATUS_CODE_ERROR: 'error',
};

/** OTLP `Span.SpanKind` (an integer, or its enum name in JSON) to our name; unknown values are `unspecified`. */
export function spanKindFromOtlp(value: unknown): SpanKindName {
  if (typeof value === 'number') return SPAN_KINDS[value] ?? 'unspecified';
  if (typeof value === 'string') return SPAN_KIND_ENUM_NAMES[value] ?? 'unspecified';
  return 'unspecified';
}

/** OTLP `Status.StatusCode` (an integer, or its enum name in JSON) to our name; unknown values are `unset`. */
export function statusCodeFromOtlp(value: unknown): SpanStatusCode {
  if (typeof value === 'number') return STATUS_CODES[value] ?? 'unset';
  if (typeof value === 'string') return STATUS_CODE_ENUM_NAMES[value] ?? 'unset';
  return 'unset';
}

export function serviceNameOf(resource: Attributes): string {
  const name = resource['service.name'];
  return typeof name === 'string' && name.length > 0 ? name : UNKNOWN_SERVICE;
}

export function durationMsBetween(startTimeUnixNano: bigint, endTimeUnixNano: bigint): number {
  return Number(endTimeUnixNano - startTimeUnixNano) / 1e6;
}

const TRACE_ID_HEX = /^[0-9a-f]{32}$/;
const SPAN_ID_HEX = /^[0-9a-f]{16}$/;
const ALL_ZERO = /^0+$/;

/** A valid trace id is 16 bytes (32 hex characters), not all zero (W3C Trace Context). */
export function isValidTraceId(hex: string): boolean {
  return TRACE_ID_HEX.test(hex) && !ALL_ZERO.test(hex);
}

/** A valid span id is 8 bytes (16 hex characters), not all zero. */
export function isValidSpanId(hex: string): boolean {
  return SPAN_ID_HEX.test(hex) && !ALL_ZERO.test(hex);
}

/** A JSON-safe copy of a span (bigints become decimal strings), for `--json` output. */
export function spanToJson(span: ReceivedSpan): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(span, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
  );
}
