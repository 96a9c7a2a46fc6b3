/**
 * Decodes a binary protobuf ExportTraceServiceRequest (OTLP/HTTP `application/x-protobuf` and OTLP/gRPC) into spans.
 *
 * It streams over the bytes with protobufjs's Reader, taking field numbers from the reflection definitions in
 * otlp-schema.ts, and builds plain objects directly: attribute values are converted as they are read, timestamps become
 * bigints without an intermediate Long, and no message instances are created. (Decoding through the reflection types,
 * `Type.decode`, gives the same result but is several times slower: it builds a message object per KeyValue and AnyValue.)
 * Fields it does not know are skipped; a field with an unexpected wire type is skipped too.
 */
import protobuf from 'protobufjs';
import { OtlpDecodeError, type DecodedExport } from './otlp-decode-result.js';
import { fieldNumbersOf } from './otlp-schema.js';
import {
  buildSpansFromExportRequest,
  MAX_ATTRIBUTE_NESTING,
  setAttribute,
  type OtlpValueCodec,
} from './otlp-span-builder.js';
import type { AttributeValue, Attributes, ReceivedVia } from './span.js';

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
const LINK = fieldNumbersOf('opentelemetry.proto.trace.v1.Span.Link', ['traceId', 'spanId', 'traceState', 'attributes']);
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

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const TWO_POW_32 = 4294967296;

type Reader = protobuf.Reader;

/** Plain objects in the shape `buildSpansFromExportRequest` walks, with values already converted. */
interface WireSpan {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: bigint;
  endTimeUnixNano?: bigint;
  attributes?: Attributes;
  droppedAttributesCount?: number;
  events?: WireEvent[];
  links?: WireLink[];
  status?: { message?: string; code?: number };
}
interface WireEvent {
  timeUnixNano?: bigint;
  name?: string;
  attributes?: Attributes;
}
interface WireLink {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  attributes?: Attributes;
}

/** The end offset of the length-delimited field that starts at the reader's position. */
function messageEnd(reader: Reader): number {
  const length = reader.uint32();
  const end = reader.pos + length;
  if (end > reader.len) {
    throw new RangeError(`a field of ${length} bytes at offset ${reader.pos} runs past the end (${reader.len} bytes)`);
  }
  return end;
}

/** Checks that a message ended exactly where its length said. */
function expectEnd(reader: Reader, end: number): void {
  if (reader.pos !== end) throw new RangeError(`a message overruns its length at offset ${reader.pos}`);
}

/** Reads a field tag; throws on field number 0, which no valid message has. */
function readTag(reader: Reader): number {
  const tag = reader.uint32();
  if (tag >>> 3 === 0) throw new RangeError(`field number 0 at offset ${reader.pos}`);
  return tag;
}

function readFixed64AsBigInt(reader: Reader): bigint {
  const low = reader.fixed32();
  const high = reader.fixed32();
  return (BigInt(high) << 32n) | BigInt(low);
}

/** A signed int64 varint as a number when exact, else as its decimal string. */
function readInt64Attribute(reader: Reader): number | string {
  const long = reader.int64();
  const approx = long.high * TWO_POW_32 + (long.low >>> 0);
  return Number.isSafeInteger(approx) ? approx : long.toString();
}

/**
 * One decoding pass over one body. Ids are read straight from the body as hex, without a Buffer view per id; the loops
 * are written out per message (no callbacks) because this is the receiver's hot path.
 */
class ExportRequestReader {
  private readonly reader: Reader;

  constructor(private readonly body: Buffer) {
    this.reader = protobuf.Reader.create(body);
  }

  private hex(): string {
    const end = messageEnd(this.reader);
    const start = this.reader.pos;
    this.reader.pos = end;
    return this.body.toString('hex', start, end);
  }

  readExportRequest(): unknown {
    const reader = this.reader;
    const resourceSpansList: unknown[] = [];
    while (reader.pos < reader.len) {
      const tag = readTag(reader);
      if (tag >>> 3 === REQUEST.resourceSpans && (tag & 7) === LENGTH_DELIMITED) {
        resourceSpansList.push(this.readResourceSpans(messageEnd(reader)));
      } else reader.skipType(tag & 7);
    }
    return { resourceSpans: resourceSpansList };
  }

  private readResourceSpans(end: number): unknown {
    const reader = this.reader;
    const resourceSpans: { resource?: { attributes?: Attributes }; scopeSpans: unknown[] } = { scopeSpans: [] };
    while (reader.pos < end) {
      const tag = readTag(reader);
      const field = tag >>> 3;
      if ((tag & 7) !== LENGTH_DELIMITED) reader.skipType(tag & 7);
      else if (field === RESOURCE_SPANS.scopeSpans) resourceSpans.scopeSpans.push(this.readScopeSpans(messageEnd(reader)));
      else if (field === RESOURCE_SPANS.resource) resourceSpans.resource = this.readResource(messageEnd(reader));
      else reader.skipType(LENGTH_DELIMITED);
    }
    expectEnd(reader, end);
    return resourceSpans;
  }

  private readResource(end: number): { attributes?: Attributes } {
    const reader = this.reader;
    const resource: { attributes?: Attributes } = {};
    while (reader.pos < end) {
      const tag = readTag(reader);
      if (tag >>> 3 === RESOURCE.attributes && (tag & 7) === LENGTH_DELIMITED) {
        resource.attributes ??= {};
        this.readKeyValueInto(messageEnd(reader), resource.attributes, 0);
      } else reader.skipType(tag & 7);
    }
    expectEnd(reader, end);
    return resource;
  }

  private readScopeSpans(end: number): unknown {
    const reader = this.reader;
    const scopeSpans: { scope?: { name?: string; version?: string }; spans: WireSpan[] } = { spans: [] };
    while (reader.pos < end) {
      const tag = readTag(reader);
      const field = tag >>> 3;
      if ((tag & 7) !== LENGTH_DELIMITED) reader.skipType(tag & 7);
      else if (field === SCOPE_SPANS.spans) scopeSpans.spans.push(this.readSpan(messageEnd(reader)));
      else if (field === SCOPE_SPANS.scope) scopeSpans.scope = this.readScope(messageEnd(reader));
      else reader.skipType(LENGTH_DELIMITED);
    }
    expectEnd(reader, end);
    return scopeSpans;
  }

  private readScope(end: number): { name?: string; version?: string } {
    const reader = this.reader;
    const scope: { name?: string; version?: string } = {};
    while (reader.pos < end) {
      const tag = readTag(reader);
      const field = tag >>> 3;
      if ((tag & 7) !== LENGTH_DELIMITED) reader.skipType(tag & 7);
      else if (field === SCOPE.name) scope.name = reader.string();
      else if (field === SCOPE.version) scope.version = reader.string();
      else reader.skipType(LENGTH_DELIMITED);
    }
    expectEnd(reader, end);
    return scope;
  }

  private readSpan(end: number): WireSpan {
    const reader = this.reader;
    const span: WireSpan = {};
    while (reader.pos < end) {
      const tag = readTag(reader);
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (wireType === LENGTH_DELIMITED) {
        if (field === SPAN.attributes) this.readKeyValueInto(messageEnd(reader), (span.attributes ??= {}), 0);
        else if (field === SPAN.traceId) span.traceId = this.hex();
        else if (field === SPAN.spanId) span.spanId = this.hex();
        else if (field === SPAN.parentSpanId) span.parentSpanId = this.hex();
        else if (field === SPAN.name) span.name = reader.string();
        else if (field === SPAN.traceState) span.traceState = reader.string();
        else if (field === SPAN.events) (span.events ??= []).push(this.readEvent(messageEnd(reader)));
        else if (field === SPAN.links) (span.links ??= []).push(this.readLink(messageEnd(reader)));
        else if (field === SPAN.status) span.status = this.readStatus(messageEnd(reader));
        else reader.skipType(wireType);
      } else if (wireType === FIXED64 && field === SPAN.startTimeUnixNano) span.startTimeUnixNano = readFixed64AsBigInt(reader);
      else if (wireType === FIXED64 && field === SPAN.endTimeUnixNano) span.endTimeUnixNano = readFixed64AsBigInt(reader);
      else if (wireType === VARINT && field === SPAN.kind) span.kind = reader.int32();
      else if (wireType === VARINT && field === SPAN.droppedAttributesCount) span.droppedAttributesCount = reader.uint32();
      else reader.skipType(wireType);
    }
    expectEnd(reader, end);
    return span;
  }

  private readEvent(end: number): WireEvent {
    const reader = this.reader;
    const event: WireEvent = {};
    while (reader.pos < end) {
      const tag = readTag(reader);
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === EVENT.timeUnixNano && wireType === FIXED64) event.timeUnixNano = readFixed64AsBigInt(reader);
      else if (field === EVENT.name && wireType === LENGTH_DELIMITED) event.name = reader.string();
      else if (field === EVENT.attributes && wireType === LENGTH_DELIMITED) {
        this.readKeyValueInto(messageEnd(reader), (event.attributes ??= {}), 0);
      } else reader.skipType(wireType);
    }
    expectEnd(reader, end);
    return event;
  }

  private readLink(end: number): WireLink {
    const reader = this.reader;
    const link: WireLink = {};
    while (reader.pos < end) {
      const tag = readTag(reader);
      const field = tag >>> 3;
      if ((tag & 7) !== LENGTH_DELIMITED) reader.skipType(tag & 7);
      else if (field === LINK.traceId) link.traceId = this.hex();
      else if (field === LINK.spanId) link.spanId = this.hex();
      else if (field === LINK.traceState) link.traceState = reader.string();
      else if (field === LINK.attributes) this.readKeyValueInto(messageEnd(reader), (link.attributes ??= {}), 0);
      else reader.skipType(LENGTH_DELIMITED);
    }
    expectEnd(reader, end);
    return link;
  }

  private readStatus(end: number): { message?: string; code?: number } {
    const reader = this.reader;
    const status: { message?: string; code?: number } = {};
    while (reader.pos < end) {
      const tag = readTag(reader);
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === STATUS.code && wireType === VARINT) status.code = reader.int32();
      else if (field === STATUS.message && wireType === LENGTH_DELIMITED) status.message = reader.string();
      else reader.skipType(wireType);
    }
    expectEnd(reader, end);
    return status;
  }

  /** Reads one KeyValue message into `attributes`. */
  private readKeyValueInto(end: number, attributes: Attributes, depth: number): void {
    const reader = this.reader;
    let key = '';
    let value: AttributeValue = null;
    while (reader.pos < end) {
      const tag = readTag(reader);
      const field = tag >>> 3;
      if ((tag & 7) !== LENGTH_DELIMITED) reader.skipType(tag & 7);
      else if (field === KEY_VALUE.key) key = reader.string();
      else if (field === KEY_VALUE.value) value = this.readAnyValue(messageEnd(reader), depth);
      else reader.skipType(LENGTH_DELIMITED);
    }
    expectEnd(reader, end);
    setAttribute(attributes, key, value);
  }

  private readAnyValue(end: number, depth: number): AttributeValue {
    const reader = this.reader;
    let value: AttributeValue = null;
    while (reader.pos < end) {
      const tag = readTag(reader);
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === ANY_VALUE.stringValue && wireType === LENGTH_DELIMITED) value = reader.string();
      else if (field === ANY_VALUE.intValue && wireType === VARINT) value = readInt64Attribute(reader);
      else if (field === ANY_VALUE.boolValue && wireType === VARINT) value = reader.bool();
      else if (field === ANY_VALUE.doubleValue && wireType === FIXED64) value = reader.double();
      else if (field === ANY_VALUE.bytesValue && wireType === LENGTH_DELIMITED) {
        value = Buffer.from(reader.bytes()).toString('base64');
      } else if (field === ANY_VALUE.arrayValue && wireType === LENGTH_DELIMITED) {
        value = this.readArrayValue(messageEnd(reader), depth + 1);
      } else if (field === ANY_VALUE.kvlistValue && wireType === LENGTH_DELIMITED) {
        value = this.readKeyValueList(messageEnd(reader), depth + 1);
      } else reader.skipType(wireType);
    }
    expectEnd(reader, end);
    return value;
  }

  /** Past MAX_ATTRIBUTE_NESTING levels the value is cut off (null), which also bounds the recursion. */
  private readArrayValue(end: number, depth: number): AttributeValue {
    const reader = this.reader;
    if (depth > MAX_ATTRIBUTE_NESTING) {
      reader.pos = end;
      return null;
    }
    const items: AttributeValue[] = [];
    while (reader.pos < end) {
      const tag = readTag(reader);
      if (tag >>> 3 === ARRAY_VALUE.values && (tag & 7) === LENGTH_DELIMITED) {
        items.push(this.readAnyValue(messageEnd(reader), depth));
      } else reader.skipType(tag & 7);
    }
    expectEnd(reader, end);
    return items;
  }

  private readKeyValueList(end: number, depth: number): AttributeValue {
    const reader = this.reader;
    if (depth > MAX_ATTRIBUTE_NESTING) {
      reader.pos = end;
      return null;
    }
    const entries: Attributes = {};
    while (reader.pos < end) {
      const tag = readTag(reader);
      if (tag >>> 3 === KEY_VALUE_LIST.values && (tag & 7) === LENGTH_DELIMITED) {
        this.readKeyValueInto(messageEnd(reader), entries, depth);
      } else reader.skipType(tag & 7);
    }
    expectEnd(reader, end);
    return entries;
  }
}

function protobufCodec(via: ReceivedVia): OtlpValueCodec {
  return {
    via,
    idToHex(value) {
      // Ids were read from the bytes as hex already.
      return typeof value === 'string' ? value : '';
    },
    nanos(value) {
      return typeof value === 'bigint' ? value : 0n;
    },
    attributes(value) {
      return (value as Attributes | undefined) ?? {};
    },
  };
}

const httpCodec = protobufCodec('http/protobuf');
const grpcCodec = protobufCodec('grpc');

/**
 * Decodes the bytes of an ExportTraceServiceRequest. Throws OtlpDecodeError when the bytes are not a valid protobuf
 * message (garbage, truncated, another message).
 */
export function decodeProtobufExportRequest(
  body: Uint8Array,
  via: 'http/protobuf' | 'grpc',
  receivedAt = Date.now(),
): DecodedExport {
  let request: unknown;
  try {
    const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    request = new ExportRequestReader(buffer).readExportRequest();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError(
      `the body is not a valid protobuf ExportTraceServiceRequest (${reason}); ` +
        'it may be truncated, compressed without a Content-Encoding header, or another format',
      { cause: error },
    );
  }
  return buildSpansFromExportRequest(request, via === 'grpc' ? grpcCodec : httpCodec, receivedAt);
}
