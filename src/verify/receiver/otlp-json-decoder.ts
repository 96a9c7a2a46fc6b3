/**
 * Decodes an OTLP/JSON ExportTraceServiceRequest (`application/json`). OTLP/JSON is the protobuf JSON mapping with two
 * differences: trace and span ids are hex strings (not base64), and enums are integers (names are accepted too).
 * int64 values may be strings or numbers. Field names are lowerCamelCase; unknown fields are ignored.
 */
import { OtlpDecodeError, type DecodedExport } from './otlp-decode-result.js';
import {
  buildSpansFromExportRequest,
  MAX_ATTRIBUTE_NESTING,
  setAttribute,
  SpanRejection,
  type OtlpValueCodec,
} from './otlp-span-builder.js';
import type { AttributeValue, Attributes } from './span.js';

const HEX = /^[0-9a-fA-F]*$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const DECIMAL_INTEGER = /^-?\d+$/;

function idToHex(value: unknown, field: string): string {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value !== 'string') throw new SpanRejection(`${field} must be a hex string, got a ${typeof value}`);
  if (HEX.test(value)) return value.toLowerCase();
  if (BASE64.test(value)) {
    throw new SpanRejection(
      `${field} "${value}" looks like base64; OTLP/JSON encodes trace and span ids as hex strings, not base64`,
    );
  }
  throw new SpanRejection(`${field} "${value}" is not a hex string`);
}

function nanos(value: unknown, field: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'string' && DECIMAL_INTEGER.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  throw new SpanRejection(
    `${field} must be an integer (a string or a number) of nanoseconds, got ${JSON.stringify(value)}`,
  );
}

function int64ToAttribute(value: unknown): number | string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value === 'string' && DECIMAL_INTEGER.test(value)) {
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : BigInt(value).toString();
  }
  return null;
}

function doubleToAttribute(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function anyValueToAttribute(value: unknown, depth: number): AttributeValue {
  if (value === null || typeof value !== 'object') return null;
  const fields = value as Record<string, unknown>;
  if ('stringValue' in fields)
    return typeof fields.stringValue === 'string' ? fields.stringValue : String(fields.stringValue);
  if ('boolValue' in fields) return fields.boolValue === true;
  if ('intValue' in fields) return int64ToAttribute(fields.intValue);
  if ('doubleValue' in fields) return doubleToAttribute(fields.doubleValue);
  if ('bytesValue' in fields) return typeof fields.bytesValue === 'string' ? fields.bytesValue : null;
  if ('arrayValue' in fields) {
    if (depth >= MAX_ATTRIBUTE_NESTING) return null;
    const values = (fields.arrayValue as { values?: unknown } | null)?.values;
    return Array.isArray(values) ? values.map((item) => anyValueToAttribute(item, depth + 1)) : [];
  }
  if ('kvlistValue' in fields) {
    if (depth >= MAX_ATTRIBUTE_NESTING) return null;
    return keyValuesToAttributes((fields.kvlistValue as { values?: unknown } | null)?.values, depth + 1);
  }
  return null;
}

function keyValuesToAttributes(list: unknown, depth: number): Attributes {
  const attributes: Attributes = {};
  if (!Array.isArray(list)) return attributes;
  for (const item of list) {
    if (item === null || typeof item !== 'object') continue;
    const { key, value } = item as { key?: unknown; value?: unknown };
    if (typeof key !== 'string') continue;
    setAttribute(attributes, key, anyValueToAttribute(value, depth));
  }
  return attributes;
}

const jsonCodec: OtlpValueCodec = {
  via: 'http/json',
  idToHex,
  nanos,
  attributes: (value) => keyValuesToAttributes(value, 0),
};

/** Decodes an OTLP/JSON body. Throws OtlpDecodeError when it is not JSON or not shaped like an export request. */
export function decodeJsonExportRequest(body: Uint8Array, receivedAt = Date.now()): DecodedExport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    throw new OtlpDecodeError(`the body is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new OtlpDecodeError('the JSON body must be an object like {"resourceSpans": [...]}');
  }
  try {
    return buildSpansFromExportRequest(parsed, jsonCodec, receivedAt);
  } catch (error) {
    if (error instanceof OtlpDecodeError) throw error;
    throw new OtlpDecodeError(`the ExportTraceServiceRequest could not be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
