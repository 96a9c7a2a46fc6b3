/**
 * Decodes a binary protobuf ExportTraceServiceRequest (OTLP/HTTP `application/x-protobuf` and OTLP/gRPC) into spans.
 *
 * This is the receiver's hot path, so it reads the wire format itself (protobuf-wire.ts) and builds `ReceivedSpan`s in
 * one pass, with no intermediate objects, taking field numbers from the reflection definitions in otlp-schema.ts:
 *
 * - Trace id, parent span id, name, kind and status are decoded at once (the store indexes by trace id). Trace ids and
 *   parent span ids repeat across neighbouring spans and are reused when their bytes match the previous span's; short
 *   ASCII strings go through an intern table; statuses without a message are shared objects.
 * - Span id, start and end times and duration are decoded together on first access of any of them, and attributes,
 *   events and links each on first access of `span.attributes` / `span.events` / `span.links`, from the span's byte
 *   range in the request body (attributes, events and links are checked for well-formedness at once, so a malformed
 *   request is still refused as a whole). A span keeps a reference to the body until all of that is decoded: callers
 *   must not modify the body after decoding (the HTTP and gRPC receivers never do). A kept span so costs one object
 *   until it is read, which is what keeps the receiver fast and its garbage small at high rates.
 * - The resource and the scope are decoded once per ResourceSpans / ScopeSpans and shared by their spans.
 *
 * Fields it does not know are skipped; a field with an unexpected wire type is skipped too. The result is the same as
 * walking protobufjs's decoded message through `buildSpansFromExportRequest` (the JSON path does that).
 */
import { OtlpDecodeError, RejectionTally, type DecodedExport } from './otlp-decode-result.js';
import { fieldNumbersOf } from './otlp-schema.js';
import { MAX_ATTRIBUTE_NESTING, setAttribute, SpanRejection } from './otlp-span-builder.js';
import {
  allZero,
  expectEnd,
  FIXED64,
  fixed64BigIntAt,
  fixed64DifferenceAt,
  hexAt,
  LENGTH_DELIMITED,
  messageEnd,
  readDouble,
  readFixed64BigInt,
  readInt64Attribute,
  readString,
  readTag,
  readVarint32,
  sameBytes,
  skipField,
  skipFixed64,
  stringAt,
  VARINT,
  WireCursor,
} from './protobuf-wire.js';
import {
  durationMsBetween,
  serviceNameOf,
  spanKindFromOtlp,
  statusCodeFromOtlp,
  type AttributeValue,
  type Attributes,
  type InstrumentationScopeInfo,
  type ReceivedSpan,
  type ReceivedVia,
  type SpanEvent,
  type SpanKindName,
  type SpanLink,
  type SpanStatus,
} from './span.js';

const REQUEST = fieldNumbersOf('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest', ['resourceSpans']);
const RESOURCE_SPANS = fieldNumbersOf('opentelemetry.proto.trace.v1.ResourceSpans', ['resource', 'scopeSpans']);
const RESOURCE = fieldNumbersOf('opentelemetry.proto.resource.v1.Resource', ['attributes']);
const SCOPE_SPANS = fieldNumbersOf('opentelemetry.proto.trace.v1.ScopeSpans', ['scope', 'spans']);
const SCOPE = fieldNumbersOf('opentelemetry.proto.common.v1.InstrumentationScope', ['name', 'version']);
const SPAN = fieldNumbersOf('opentelemetry.proto.trace.v1.Span', [
  'traceId',
  'spanId',
  'traceState',
  'parentSpanId',
  'name',
  'kind',
  'startTimeUnixNano',
  'endTimeUnixNano',
  'attributes',
  'droppedAttributesCount',
  'events',
  'links',
  'status',
]);
const EVENT = fieldNumbersOf('opentelemetry.proto.trace.v1.Span.Event', ['timeUnixNano', 'name', 'attributes']);
const LINK = fieldNumbersOf('opentelemetry.proto.trace.v1.Span.Link', [
  'traceId',
  'spanId',
  'traceState',
  'attributes',
]);
const STATUS = fieldNumbersOf('opentelemetry.proto.trace.v1.Status', ['message', 'code']);
const KEY_VALUE = fieldNumbersOf('opentelemetry.proto.common.v1.KeyValue', ['key', 'value']);
const ANY_VALUE = fieldNumbersOf('opentelemetry.proto.common.v1.AnyValue', [
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
]);
const ARRAY_VALUE = fieldNumbersOf('opentelemetry.proto.common.v1.ArrayValue', ['values']);
const KEY_VALUE_LIST = fieldNumbersOf('opentelemetry.proto.common.v1.KeyValueList', ['values']);

// The span fields, as plain constants for the hot loop.
const F_TRACE_ID = SPAN.traceId;
const F_SPAN_ID = SPAN.spanId;
const F_TRACE_STATE = SPAN.traceState;
const F_PARENT_SPAN_ID = SPAN.parentSpanId;
const F_NAME = SPAN.name;
const F_KIND = SPAN.kind;
const F_START = SPAN.startTimeUnixNano;
const F_END = SPAN.endTimeUnixNano;
const F_ATTRIBUTES = SPAN.attributes;
const F_DROPPED_ATTRIBUTES = SPAN.droppedAttributesCount;
const F_EVENTS = SPAN.events;
const F_LINKS = SPAN.links;
const F_STATUS = SPAN.status;

const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;

/** Bits of `ProtobufSpan`'s lazily decoded fields that are present in its bytes. */
const LAZY_ATTRIBUTES = 1;
const LAZY_EVENTS = 2;
const LAZY_LINKS = 4;
/** The span id, the start and end times and the duration (always present: a span always has a span id). */
const LAZY_CORE = 8;

// ---------------------------------------------------------------------------------------------------------------------
// Checking attributes, events and links without building them.

function checkKeyValue(c: WireCursor, end: number, depth: number): void {
  while (c.pos < end) {
    const tag = readTag(c);
    if ((tag & 7) !== LENGTH_DELIMITED) skipField(c, tag & 7);
    else if (tag >>> 3 === KEY_VALUE.value) checkAnyValue(c, messageEnd(c), depth);
    else c.pos = messageEnd(c);
  }
  expectEnd(c, end);
}

function checkAnyValue(c: WireCursor, end: number, depth: number): void {
  while (c.pos < end) {
    const tag = readTag(c);
    const field = tag >>> 3;
    if ((tag & 7) !== LENGTH_DELIMITED) skipField(c, tag & 7);
    else if (field === ANY_VALUE.arrayValue) checkArrayValue(c, messageEnd(c), depth + 1);
    else if (field === ANY_VALUE.kvlistValue) checkKeyValueList(c, messageEnd(c), depth + 1);
    else c.pos = messageEnd(c);
  }
  expectEnd(c, end);
}

function checkArrayValue(c: WireCursor, end: number, depth: number): void {
  if (depth > MAX_ATTRIBUTE_NESTING) {
    c.pos = end;
    return;
  }
  while (c.pos < end) {
    const tag = readTag(c);
    if (tag >>> 3 === ARRAY_VALUE.values && (tag & 7) === LENGTH_DELIMITED) checkAnyValue(c, messageEnd(c), depth);
    else skipField(c, tag & 7);
  }
  expectEnd(c, end);
}

function checkKeyValueList(c: WireCursor, end: number, depth: number): void {
  if (depth > MAX_ATTRIBUTE_NESTING) {
    c.pos = end;
    return;
  }
  while (c.pos < end) {
    const tag = readTag(c);
    if (tag >>> 3 === KEY_VALUE_LIST.values && (tag & 7) === LENGTH_DELIMITED) checkKeyValue(c, messageEnd(c), depth);
    else skipField(c, tag & 7);
  }
  expectEnd(c, end);
}

function checkEvent(c: WireCursor, end: number): void {
  while (c.pos < end) {
    const tag = readTag(c);
    const wireType = tag & 7;
    if (tag >>> 3 === EVENT.attributes && wireType === LENGTH_DELIMITED) checkKeyValue(c, messageEnd(c), 0);
    else skipField(c, wireType);
  }
  expectEnd(c, end);
}

function checkLink(c: WireCursor, end: number): void {
  while (c.pos < end) {
    const tag = readTag(c);
    const wireType = tag & 7;
    if (tag >>> 3 === LINK.attributes && wireType === LENGTH_DELIMITED) checkKeyValue(c, messageEnd(c), 0);
    else skipField(c, wireType);
  }
  expectEnd(c, end);
}

// ---------------------------------------------------------------------------------------------------------------------
// Building attributes, events and links (for the resource at once; for spans on first access).

/** Reads one KeyValue message into `attributes`. */
function readKeyValueInto(c: WireCursor, end: number, attributes: Attributes, depth: number): void {
  let key = '';
  let value: AttributeValue = null;
  while (c.pos < end) {
    const tag = readTag(c);
    const field = tag >>> 3;
    if ((tag & 7) !== LENGTH_DELIMITED) skipField(c, tag & 7);
    else if (field === KEY_VALUE.key) key = readString(c);
    else if (field === KEY_VALUE.value) value = readAnyValue(c, messageEnd(c), depth);
    else c.pos = messageEnd(c);
  }
  expectEnd(c, end);
  setAttribute(attributes, key, value);
}

function readAnyValue(c: WireCursor, end: number, depth: number): AttributeValue {
  let value: AttributeValue = null;
  while (c.pos < end) {
    const tag = readTag(c);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === ANY_VALUE.stringValue && wireType === LENGTH_DELIMITED) value = readString(c);
    else if (field === ANY_VALUE.intValue && wireType === VARINT) value = readInt64Attribute(c);
    else if (field === ANY_VALUE.boolValue && wireType === VARINT) value = readVarint32(c) !== 0;
    else if (field === ANY_VALUE.doubleValue && wireType === FIXED64) value = readDouble(c);
    else if (field === ANY_VALUE.bytesValue && wireType === LENGTH_DELIMITED) {
      const bytesEnd = messageEnd(c);
      value = c.buf.toString('base64', c.pos, bytesEnd);
      c.pos = bytesEnd;
    } else if (field === ANY_VALUE.arrayValue && wireType === LENGTH_DELIMITED) {
      value = readArrayValue(c, messageEnd(c), depth + 1);
    } else if (field === ANY_VALUE.kvlistValue && wireType === LENGTH_DELIMITED) {
      value = readKeyValueList(c, messageEnd(c), depth + 1);
    } else skipField(c, wireType);
  }
  expectEnd(c, end);
  return value;
}

/** Past MAX_ATTRIBUTE_NESTING levels the value is cut off (null), which also bounds the recursion. */
function readArrayValue(c: WireCursor, end: number, depth: number): AttributeValue {
  if (depth > MAX_ATTRIBUTE_NESTING) {
    c.pos = end;
    return null;
  }
  const items: AttributeValue[] = [];
  while (c.pos < end) {
    const tag = readTag(c);
    if (tag >>> 3 === ARRAY_VALUE.values && (tag & 7) === LENGTH_DELIMITED)
      items.push(readAnyValue(c, messageEnd(c), depth));
    else skipField(c, tag & 7);
  }
  expectEnd(c, end);
  return items;
}

function readKeyValueList(c: WireCursor, end: number, depth: number): AttributeValue {
  if (depth > MAX_ATTRIBUTE_NESTING) {
    c.pos = end;
    return null;
  }
  const entries: Attributes = {};
  while (c.pos < end) {
    const tag = readTag(c);
    if (tag >>> 3 === KEY_VALUE_LIST.values && (tag & 7) === LENGTH_DELIMITED)
      readKeyValueInto(c, messageEnd(c), entries, depth);
    else skipField(c, tag & 7);
  }
  expectEnd(c, end);
  return entries;
}

function readHex(c: WireCursor): string {
  const end = messageEnd(c);
  const hex = hexAt(c.buf, c.pos, end);
  c.pos = end;
  return hex;
}

function readEvent(c: WireCursor, end: number): SpanEvent {
  let name = '';
  let timeUnixNano = 0n;
  let attributes: Attributes | undefined;
  while (c.pos < end) {
    const tag = readTag(c);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === EVENT.timeUnixNano && wireType === FIXED64) timeUnixNano = readFixed64BigInt(c);
    else if (field === EVENT.name && wireType === LENGTH_DELIMITED) name = readString(c);
    else if (field === EVENT.attributes && wireType === LENGTH_DELIMITED)
      readKeyValueInto(c, messageEnd(c), (attributes ??= {}), 0);
    else skipField(c, wireType);
  }
  expectEnd(c, end);
  return { name, timeUnixNano, attributes: attributes ?? {} };
}

function readLink(c: WireCursor, end: number): SpanLink {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  let attributes: Attributes | undefined;
  while (c.pos < end) {
    const tag = readTag(c);
    const field = tag >>> 3;
    if ((tag & 7) !== LENGTH_DELIMITED) skipField(c, tag & 7);
    else if (field === LINK.traceId) traceId = readHex(c);
    else if (field === LINK.spanId) spanId = readHex(c);
    else if (field === LINK.traceState) traceState = readString(c);
    else if (field === LINK.attributes) readKeyValueInto(c, messageEnd(c), (attributes ??= {}), 0);
    else c.pos = messageEnd(c);
  }
  expectEnd(c, end);
  const link: SpanLink = { traceId, spanId, attributes: attributes ?? {} };
  if (traceState !== '') link.traceState = traceState;
  return link;
}

/** Decodes one of a span's repeated fields (attributes, events or links) from the span's bytes. */
function decodeSpanAttributes(body: Buffer, start: number, end: number): Attributes {
  const c = new WireCursor(body, start, body.length);
  const attributes: Attributes = {};
  while (c.pos < end) {
    const tag = readTag(c);
    if (tag >>> 3 === F_ATTRIBUTES && (tag & 7) === LENGTH_DELIMITED) readKeyValueInto(c, messageEnd(c), attributes, 0);
    else skipField(c, tag & 7);
  }
  return attributes;
}

function decodeSpanEvents(body: Buffer, start: number, end: number): SpanEvent[] {
  const c = new WireCursor(body, start, body.length);
  const events: SpanEvent[] = [];
  while (c.pos < end) {
    const tag = readTag(c);
    if (tag >>> 3 === F_EVENTS && (tag & 7) === LENGTH_DELIMITED) events.push(readEvent(c, messageEnd(c)));
    else skipField(c, tag & 7);
  }
  return events;
}

function decodeSpanLinks(body: Buffer, start: number, end: number): SpanLink[] {
  const c = new WireCursor(body, start, body.length);
  const links: SpanLink[] = [];
  while (c.pos < end) {
    const tag = readTag(c);
    if (tag >>> 3 === F_LINKS && (tag & 7) === LENGTH_DELIMITED) links.push(readLink(c, messageEnd(c)));
    else skipField(c, tag & 7);
  }
  return links;
}

// ---------------------------------------------------------------------------------------------------------------------
// The span.

/** The fields a ScopeSpans' spans share; one object per ScopeSpans, so a span is smaller and cheaper to keep. */
interface SpanBatch {
  readonly resource: Attributes;
  readonly serviceName: string;
  readonly scope: InstrumentationScopeInfo;
  readonly receivedVia: ReceivedVia;
  readonly receivedAt: number;
}

/**
 * A span decoded from protobuf. The span's own fields (ids, name, kind, times, status) are plain own properties. The
 * fields shared by its ScopeSpans (resource, serviceName, scope, receivedVia, receivedAt) are accessors over one shared
 * object, and attributes, events and links are accessors that decode from the request bytes on first access; all can
 * be assigned (for this span only). `toJSON` gives the plain object, so JSON output is the same as for any other
 * `ReceivedSpan`.
 */
class ProtobufSpan implements ReceivedSpan {
  declare parentSpanId?: string;
  declare traceState?: string;
  /** What the span shares with the others of its ScopeSpans: resource, service, scope, how and when it came. */
  #batch: SpanBatch;
  #body: Buffer | undefined;
  #start: number;
  #end: number;
  /** LAZY_* bits of the fields present in the bytes and not decoded yet; the body is let go when it reaches 0. */
  #pending: number;
  #attributes: Attributes | undefined = undefined;
  #events: SpanEvent[] | undefined = undefined;
  #links: SpanLink[] | undefined = undefined;
  /** Offsets of the span id and of the start and end times in the body (-1 for a time that is absent). */
  #spanIdAt: number;
  #startAt: number;
  #endAt: number;
  #spanId = '';
  #startTimeUnixNano = 0n;
  #endTimeUnixNano = 0n;
  #durationMs = 0;

  constructor(
    public traceId: string,
    public name: string,
    public kind: SpanKindName,
    public droppedAttributesCount: number,
    public status: SpanStatus,
    batch: SpanBatch,
    body: Buffer,
    start: number,
    end: number,
    pending: number,
    spanIdAt: number,
    startAt: number,
    endAt: number,
  ) {
    this.#spanIdAt = spanIdAt;
    this.#startAt = startAt;
    this.#endAt = endAt;
    this.#batch = batch;
    this.#body = pending === 0 ? undefined : body;
    this.#start = start;
    this.#end = end;
    this.#pending = pending;
  }

  get resource(): Attributes {
    return this.#batch.resource;
  }

  set resource(value: Attributes) {
    this.#batch = { ...this.#batch, resource: value };
  }

  get serviceName(): string {
    return this.#batch.serviceName;
  }

  set serviceName(value: string) {
    this.#batch = { ...this.#batch, serviceName: value };
  }

  get scope(): InstrumentationScopeInfo {
    return this.#batch.scope;
  }

  set scope(value: InstrumentationScopeInfo) {
    this.#batch = { ...this.#batch, scope: value };
  }

  get receivedVia(): ReceivedVia {
    return this.#batch.receivedVia;
  }

  set receivedVia(value: ReceivedVia) {
    this.#batch = { ...this.#batch, receivedVia: value };
  }

  get receivedAt(): number {
    return this.#batch.receivedAt;
  }

  set receivedAt(value: number) {
    this.#batch = { ...this.#batch, receivedAt: value };
  }

  #settle(bit: number): void {
    this.#pending &= ~bit;
    if (this.#pending === 0) this.#body = undefined;
  }

  /** Decodes the span id, times and duration (together, on first access of any). */
  #decodeCore(): void {
    if ((this.#pending & LAZY_CORE) === 0) return;
    const body = this.#body as Buffer;
    const startAt = this.#startAt;
    const endAt = this.#endAt;
    this.#spanId = hexAt(body, this.#spanIdAt, this.#spanIdAt + SPAN_ID_BYTES);
    this.#startTimeUnixNano = startAt < 0 ? 0n : fixed64BigIntAt(body, startAt);
    this.#endTimeUnixNano = endAt < 0 ? 0n : fixed64BigIntAt(body, endAt);
    this.#durationMs =
      startAt < 0 || endAt < 0
        ? durationMsBetween(this.#startTimeUnixNano, this.#endTimeUnixNano)
        : fixed64DifferenceAt(body, startAt, endAt) / 1e6;
    this.#settle(LAZY_CORE);
  }

  get spanId(): string {
    this.#decodeCore();
    return this.#spanId;
  }

  set spanId(value: string) {
    this.#decodeCore();
    this.#spanId = value;
  }

  get startTimeUnixNano(): bigint {
    this.#decodeCore();
    return this.#startTimeUnixNano;
  }

  set startTimeUnixNano(value: bigint) {
    this.#decodeCore();
    this.#startTimeUnixNano = value;
  }

  get endTimeUnixNano(): bigint {
    this.#decodeCore();
    return this.#endTimeUnixNano;
  }

  set endTimeUnixNano(value: bigint) {
    this.#decodeCore();
    this.#endTimeUnixNano = value;
  }

  get durationMs(): number {
    this.#decodeCore();
    return this.#durationMs;
  }

  set durationMs(value: number) {
    this.#decodeCore();
    this.#durationMs = value;
  }

  get attributes(): Attributes {
    let attributes = this.#attributes;
    if (attributes === undefined) {
      attributes =
        (this.#pending & LAZY_ATTRIBUTES) === 0
          ? {}
          : decodeSpanAttributes(this.#body as Buffer, this.#start, this.#end);
      this.#attributes = attributes;
      this.#settle(LAZY_ATTRIBUTES);
    }
    return attributes;
  }

  set attributes(value: Attributes) {
    this.#attributes = value;
    this.#settle(LAZY_ATTRIBUTES);
  }

  get events(): SpanEvent[] {
    let events = this.#events;
    if (events === undefined) {
      events =
        (this.#pending & LAZY_EVENTS) === 0 ? [] : decodeSpanEvents(this.#body as Buffer, this.#start, this.#end);
      this.#events = events;
      this.#settle(LAZY_EVENTS);
    }
    return events;
  }

  set events(value: SpanEvent[]) {
    this.#events = value;
    this.#settle(LAZY_EVENTS);
  }

  get links(): SpanLink[] {
    let links = this.#links;
    if (links === undefined) {
      links = (this.#pending & LAZY_LINKS) === 0 ? [] : decodeSpanLinks(this.#body as Buffer, this.#start, this.#end);
      this.#links = links;
      this.#settle(LAZY_LINKS);
    }
    return links;
  }

  set links(value: SpanLink[]) {
    this.#links = value;
    this.#settle(LAZY_LINKS);
  }

  /** The plain span, with the same keys in the same order as `buildSpansFromExportRequest` makes them. */
  toJSON(): ReceivedSpan {
    const plain: ReceivedSpan = {
      traceId: this.traceId,
      spanId: this.spanId,
      name: this.name,
      kind: this.kind,
      startTimeUnixNano: this.startTimeUnixNano,
      endTimeUnixNano: this.endTimeUnixNano,
      durationMs: this.durationMs,
      attributes: this.attributes,
      droppedAttributesCount: this.droppedAttributesCount,
      events: this.events,
      links: this.links,
      status: this.status,
      resource: this.resource,
      serviceName: this.serviceName,
      scope: this.scope,
      receivedVia: this.receivedVia,
      receivedAt: this.receivedAt,
    };
    if (this.parentSpanId !== undefined) plain.parentSpanId = this.parentSpanId;
    if (this.traceState !== undefined) plain.traceState = this.traceState;
    return plain;
  }

  /** Bytes of the request still held for what is not decoded yet (the span's whole message); 0 once all is decoded. */
  heldWireBytes(): number {
    return this.#body === undefined ? 0 : this.#end - this.#start;
  }

  /** Copies the held bytes into `segment` at `at` and reads them from there from now on; returns where they end. */
  moveHeldBytes(segment: Buffer, at: number): number {
    const body = this.#body;
    if (body === undefined) return at;
    body.copy(segment, at, this.#start, this.#end);
    const shift = at - this.#start;
    this.#body = segment;
    this.#start += shift;
    this.#end += shift;
    this.#spanIdAt += shift;
    if (this.#startAt >= 0) this.#startAt += shift;
    if (this.#endAt >= 0) this.#endAt += shift;
    return this.#end;
  }

  /** util.inspect (console.log) shows the plain span, attributes included. */
  [Symbol.for('nodejs.util.inspect.custom')](): ReceivedSpan {
    return this.toJSON();
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// The request.

/** Statuses without a message are shared by all spans that have them. */
const SHARED_STATUSES: readonly SpanStatus[] = [{ code: 'unset' }, { code: 'ok' }, { code: 'error' }];
const STATUS_UNSET = SHARED_STATUSES[0] as SpanStatus;

function readStatus(c: WireCursor, end: number): SpanStatus {
  let code = 0;
  let message = '';
  while (c.pos < end) {
    const tag = readTag(c);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === STATUS.code && wireType === VARINT) code = readVarint32(c) | 0;
    else if (field === STATUS.message && wireType === LENGTH_DELIMITED) message = readString(c);
    else skipField(c, wireType);
  }
  expectEnd(c, end);
  if (message === '') return SHARED_STATUSES[code] ?? STATUS_UNSET;
  return { code: statusCodeFromOtlp(code), message };
}

function readScope(c: WireCursor, end: number): InstrumentationScopeInfo {
  let name = '';
  let version = '';
  while (c.pos < end) {
    const tag = readTag(c);
    const field = tag >>> 3;
    if ((tag & 7) !== LENGTH_DELIMITED) skipField(c, tag & 7);
    else if (field === SCOPE.name) name = readString(c);
    else if (field === SCOPE.version) version = readString(c);
    else c.pos = messageEnd(c);
  }
  expectEnd(c, end);
  return version === '' ? { name } : { name, version };
}

function readResource(c: WireCursor, end: number): Attributes {
  const attributes: Attributes = {};
  while (c.pos < end) {
    const tag = readTag(c);
    if (tag >>> 3 === RESOURCE.attributes && (tag & 7) === LENGTH_DELIMITED)
      readKeyValueInto(c, messageEnd(c), attributes, 0);
    else skipField(c, tag & 7);
  }
  expectEnd(c, end);
  return attributes;
}

/** One decoding pass over one body. */
class ExportRequestDecoder {
  readonly spans: ReceivedSpan[] = [];
  readonly tally = new RejectionTally();
  private readonly cursor: WireCursor;
  /** Where the previous span's trace id / parent span id bytes are, and their hex, to reuse the string when they repeat. */
  private lastTraceIdAt = -1;
  private lastTraceId = '';
  private lastParentIdAt = -1;
  private lastParentId = '';

  constructor(
    private readonly body: Buffer,
    private readonly via: ReceivedVia,
    private readonly receivedAt: number,
  ) {
    this.cursor = new WireCursor(body, 0, body.length);
  }

  readRequest(): void {
    const c = this.cursor;
    while (c.pos < c.len) {
      const tag = readTag(c);
      if (tag >>> 3 === REQUEST.resourceSpans && (tag & 7) === LENGTH_DELIMITED) this.readResourceSpans(messageEnd(c));
      else skipField(c, tag & 7);
    }
  }

  /** The resource may come after the scope spans in the bytes, so it is looked for first. */
  private readResourceSpans(end: number): void {
    const c = this.cursor;
    const start = c.pos;
    let resource: Attributes | undefined;
    while (c.pos < end) {
      const tag = readTag(c);
      if (tag >>> 3 === RESOURCE_SPANS.resource && (tag & 7) === LENGTH_DELIMITED)
        resource = readResource(c, messageEnd(c));
      else skipField(c, tag & 7);
    }
    expectEnd(c, end);
    resource ??= {};
    const serviceName = serviceNameOf(resource);
    c.pos = start;
    while (c.pos < end) {
      const tag = readTag(c);
      if (tag >>> 3 === RESOURCE_SPANS.scopeSpans && (tag & 7) === LENGTH_DELIMITED) {
        this.readScopeSpans(messageEnd(c), resource, serviceName);
      } else skipField(c, tag & 7);
    }
  }

  /** The scope may come after the spans in the bytes, so it is looked for first. */
  private readScopeSpans(end: number, resource: Attributes, serviceName: string): void {
    const c = this.cursor;
    const start = c.pos;
    let scope: InstrumentationScopeInfo = { name: '' };
    while (c.pos < end) {
      const tag = readTag(c);
      if (tag >>> 3 === SCOPE_SPANS.scope && (tag & 7) === LENGTH_DELIMITED) scope = readScope(c, messageEnd(c));
      else skipField(c, tag & 7);
    }
    expectEnd(c, end);
    const batch: SpanBatch = { resource, serviceName, scope, receivedVia: this.via, receivedAt: this.receivedAt };
    c.pos = start;
    while (c.pos < end) {
      const tag = readTag(c);
      if (tag >>> 3 === SCOPE_SPANS.spans && (tag & 7) === LENGTH_DELIMITED) {
        const spanEnd = messageEnd(c);
        try {
          this.spans.push(this.readSpan(spanEnd, batch));
        } catch (error) {
          if (!(error instanceof SpanRejection)) throw error;
          this.tally.reject(`${serviceName}: ${error.message}`);
        }
        c.pos = spanEnd;
      } else skipField(c, tag & 7);
    }
  }

  private readSpan(end: number, batch: SpanBatch): ProtobufSpan {
    const c = this.cursor;
    const buf = this.body;
    const spanStart = c.pos;
    let traceIdAt = -1;
    let traceIdLength = 0;
    let spanIdAt = -1;
    let spanIdLength = 0;
    let parentIdAt = -1;
    let parentIdLength = 0;
    let name = '';
    let traceState = '';
    let kind = 0;
    let startAt = -1;
    let endAt = -1;
    let droppedAttributesCount = 0;
    let status = STATUS_UNSET;
    let pending = 0;
    while (c.pos < end) {
      const tag = readTag(c);
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (wireType === LENGTH_DELIMITED) {
        const fieldEnd = messageEnd(c);
        if (field === F_ATTRIBUTES) {
          checkKeyValue(c, fieldEnd, 0);
          pending |= LAZY_ATTRIBUTES;
        } else if (field === F_TRACE_ID) {
          traceIdAt = c.pos;
          traceIdLength = fieldEnd - c.pos;
        } else if (field === F_SPAN_ID) {
          spanIdAt = c.pos;
          spanIdLength = fieldEnd - c.pos;
        } else if (field === F_PARENT_SPAN_ID) {
          parentIdAt = c.pos;
          parentIdLength = fieldEnd - c.pos;
        } else if (field === F_NAME) name = stringAt(buf, c.pos, fieldEnd);
        else if (field === F_STATUS) status = readStatus(c, fieldEnd);
        else if (field === F_EVENTS) {
          checkEvent(c, fieldEnd);
          pending |= LAZY_EVENTS;
        } else if (field === F_LINKS) {
          checkLink(c, fieldEnd);
          pending |= LAZY_LINKS;
        } else if (field === F_TRACE_STATE) traceState = stringAt(buf, c.pos, fieldEnd);
        c.pos = fieldEnd;
      } else if (wireType === FIXED64 && field === F_START) startAt = skipFixed64(c);
      else if (wireType === FIXED64 && field === F_END) endAt = skipFixed64(c);
      else if (wireType === VARINT && field === F_KIND) kind = readVarint32(c) | 0;
      else if (wireType === VARINT && field === F_DROPPED_ATTRIBUTES) droppedAttributesCount = readVarint32(c);
      else skipField(c, wireType);
    }
    expectEnd(c, end);

    // The same checks, in the same order and words, as buildSpansFromExportRequest.
    if (traceIdLength !== TRACE_ID_BYTES || allZero(buf, traceIdAt, traceIdAt + traceIdLength)) {
      throw new SpanRejection(
        `${labelOf(name)} has an invalid trace id "${hexOrEmpty(buf, traceIdAt, traceIdLength)}" (a trace id is 16 bytes, not all zero)`,
      );
    }
    if (spanIdLength !== SPAN_ID_BYTES || allZero(buf, spanIdAt, spanIdAt + spanIdLength)) {
      throw new SpanRejection(
        `${labelOf(name)} has an invalid span id "${hexOrEmpty(buf, spanIdAt, spanIdLength)}" (a span id is 8 bytes, not all zero)`,
      );
    }
    let parentSpanId: string | undefined;
    if (
      parentIdLength !== 0 &&
      !(parentIdLength === SPAN_ID_BYTES && allZero(buf, parentIdAt, parentIdAt + parentIdLength))
    ) {
      if (parentIdLength !== SPAN_ID_BYTES) {
        throw new SpanRejection(
          `${labelOf(name)} has an invalid parent span id "${hexOrEmpty(buf, parentIdAt, parentIdLength)}" (a span id is 8 bytes)`,
        );
      }
      if (this.lastParentIdAt < 0 || !sameBytes(buf, parentIdAt, this.lastParentIdAt, SPAN_ID_BYTES)) {
        this.lastParentId = hexAt(buf, parentIdAt, parentIdAt + SPAN_ID_BYTES);
        this.lastParentIdAt = parentIdAt;
      }
      parentSpanId = this.lastParentId;
    }
    if (this.lastTraceIdAt < 0 || !sameBytes(buf, traceIdAt, this.lastTraceIdAt, TRACE_ID_BYTES)) {
      this.lastTraceId = hexAt(buf, traceIdAt, traceIdAt + TRACE_ID_BYTES);
      this.lastTraceIdAt = traceIdAt;
    }
    const span = new ProtobufSpan(
      this.lastTraceId,
      name,
      spanKindFromOtlp(kind),
      droppedAttributesCount,
      status,
      batch,
      buf,
      spanStart,
      end,
      pending | LAZY_CORE,
      spanIdAt,
      startAt,
      endAt,
    );
    if (parentSpanId !== undefined) span.parentSpanId = parentSpanId;
    if (traceState !== '') span.traceState = traceState;
    return span;
  }
}

/**
 * How many bytes of its request `span` still holds for lazy decoding: its protobuf Span message, when it came from this
 * decoder and is not fully decoded yet; 0 for any other span.
 */
export function heldWireBytes(span: ReceivedSpan): number {
  return span instanceof ProtobufSpan ? span.heldWireBytes() : 0;
}

/**
 * Moves the bytes the given spans still hold (see `heldWireBytes`) into one new buffer of exactly their size, so the
 * request bodies they came from can be freed: a kept span then costs its own message's bytes and nothing of its
 * request's. Returns the size of that buffer (0 when none held anything).
 */
export function compactHeldWireBytes(spans: readonly ReceivedSpan[]): number {
  let total = 0;
  for (const span of spans) total += heldWireBytes(span);
  if (total === 0) return 0;
  const segment = Buffer.allocUnsafeSlow(total);
  let at = 0;
  for (const span of spans) if (span instanceof ProtobufSpan) at = span.moveHeldBytes(segment, at);
  return total;
}

function labelOf(name: string): string {
  return name === '' ? 'a span without a name' : `span "${name}"`;
}

function hexOrEmpty(buf: Buffer, at: number, length: number): string {
  return at < 0 ? '' : hexAt(buf, at, at + length);
}

/**
 * Decodes the bytes of an ExportTraceServiceRequest. Throws OtlpDecodeError when the bytes are not a valid protobuf
 * message (garbage, truncated, another message). The spans read their attributes, events and links from `body` on first
 * access: do not modify it afterwards.
 */
export function decodeProtobufExportRequest(
  body: Uint8Array,
  via: 'http/protobuf' | 'grpc',
  receivedAt = Date.now(),
): DecodedExport {
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const decoder = new ExportRequestDecoder(buffer, via, receivedAt);
  try {
    decoder.readRequest();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError(
      `the body is not a valid protobuf ExportTraceServiceRequest (${reason}); ` +
        'it may be truncated, compressed without a Content-Encoding header, or another format',
      { cause: error },
    );
  }
  return { spans: decoder.spans, rejectedSpans: decoder.tally.count, rejectionReasons: decoder.tally.reasons };
}
