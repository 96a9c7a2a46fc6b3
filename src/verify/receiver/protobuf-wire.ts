/**
 * Low-level protobuf wire reading for the OTLP decoder: a cursor over one Buffer with varint, fixed and length-delimited
 * reads (bounds-checked against the whole buffer, as protobufjs's Reader does; a nested message that overruns its own
 * length is caught by `expectEnd`), field skipping by wire type, and string reading with a small intern table for the
 * short ASCII strings that repeat across spans (attribute keys, span names, common values).
 */

export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH_DELIMITED = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const FIXED32 = 5;

/** A read position in `buf`; `len` is where the readable bytes end. */
export class WireCursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly len: number,
  ) {}
}

function pastEnd(cursor: WireCursor, wanted: number): RangeError {
  return new RangeError(`reading ${wanted} byte(s) at offset ${cursor.pos} runs past the end (${cursor.len} bytes)`);
}

/** An unsigned varint's low 32 bits (as protobufjs's `uint32()`); varints of up to 10 bytes are accepted. */
export function readVarint32(cursor: WireCursor): number {
  const buf = cursor.buf;
  const len = cursor.len;
  let pos = cursor.pos;
  if (pos >= len) throw pastEnd(cursor, 1);
  let byte = buf[pos++] as number;
  if (byte < 0x80) {
    cursor.pos = pos;
    return byte;
  }
  let value = byte & 0x7f;
  let shift = 7;
  for (;;) {
    if (pos >= len) {
      cursor.pos = pos;
      throw pastEnd(cursor, 1);
    }
    byte = buf[pos++] as number;
    if (shift < 32) value |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      cursor.pos = pos;
      return value >>> 0;
    }
    shift += 7;
    if (shift >= 70) {
      cursor.pos = pos;
      throw new RangeError(`a varint longer than 10 bytes at offset ${pos}`);
    }
  }
}

/** Reads a field tag; throws on field number 0, which no valid message has. */
export function readTag(cursor: WireCursor): number {
  const buf = cursor.buf;
  const pos = cursor.pos;
  let tag: number;
  if (pos < cursor.len && (buf[pos] as number) < 0x80) {
    tag = buf[pos] as number;
    cursor.pos = pos + 1;
  } else tag = readVarint32(cursor);
  if (tag >>> 3 === 0) throw new RangeError(`field number 0 at offset ${cursor.pos}`);
  return tag;
}

/** The end offset of the length-delimited field that starts at the cursor (its length is consumed). */
export function messageEnd(cursor: WireCursor): number {
  const length = readVarint32(cursor);
  const end = cursor.pos + length;
  if (end > cursor.len) {
    throw new RangeError(`a field of ${length} bytes at offset ${cursor.pos} runs past the end (${cursor.len} bytes)`);
  }
  return end;
}

/** Checks that a message ended exactly where its length said. */
export function expectEnd(cursor: WireCursor, end: number): void {
  if (cursor.pos !== end) throw new RangeError(`a message overruns its length at offset ${cursor.pos}`);
}

function skipBytes(cursor: WireCursor, count: number): void {
  if (cursor.pos + count > cursor.len) throw pastEnd(cursor, count);
  cursor.pos += count;
}

/** Skips one field's value by its wire type (as protobufjs's `skipType`, groups included). */
export function skipField(cursor: WireCursor, wireType: number): void {
  switch (wireType) {
    case VARINT: {
      const buf = cursor.buf;
      let pos = cursor.pos;
      for (let i = 0; ; i++) {
        if (pos >= cursor.len) {
          cursor.pos = pos;
          throw pastEnd(cursor, 1);
        }
        if (i === 10) throw new RangeError(`a varint longer than 10 bytes at offset ${pos}`);
        if ((buf[pos++] as number) < 0x80) break;
      }
      cursor.pos = pos;
      return;
    }
    case FIXED64:
      skipBytes(cursor, 8);
      return;
    case LENGTH_DELIMITED:
      cursor.pos = messageEnd(cursor);
      return;
    case START_GROUP:
      for (;;) {
        const nested = readVarint32(cursor) & 7;
        if (nested === END_GROUP) return;
        skipField(cursor, nested);
      }
    case FIXED32:
      skipBytes(cursor, 4);
      return;
    default:
      throw new RangeError(`invalid wire type ${wireType} at offset ${cursor.pos}`);
  }
}

/** Little-endian fixed32 at `pos` (the caller has checked the bounds). */
function fixed32At(buf: Buffer, pos: number): number {
  return (
    ((buf[pos] as number) | ((buf[pos + 1] as number) << 8) | ((buf[pos + 2] as number) << 16)) +
    (buf[pos + 3] as number) * 0x1000000
  );
}

/** The two 32-bit halves of a fixed64 field; the cursor moves past it. Returns the offset of the low half. */
export function skipFixed64(cursor: WireCursor): number {
  const pos = cursor.pos;
  skipBytes(cursor, 8);
  return pos;
}

let cachedHigh = -1;
let cachedHighShifted = 0n;

/** A fixed64 (at an offset `skipFixed64` returned) as a bigint; the high half's shifted bigint is cached, as it rarely changes. */
export function fixed64BigIntAt(buf: Buffer, pos: number): bigint {
  const low = fixed32At(buf, pos);
  const high = fixed32At(buf, pos + 4);
  if (high !== cachedHigh) {
    cachedHighShifted = BigInt(high) << 32n;
    cachedHigh = high;
  }
  return low === 0 ? cachedHighShifted : cachedHighShifted + BigInt(low);
}

/** `Number(b - a)` for two fixed64 values at the given offsets, without making bigints. */
export function fixed64DifferenceAt(buf: Buffer, a: number, b: number): number {
  return (fixed32At(buf, b + 4) - fixed32At(buf, a + 4)) * 4294967296 + (fixed32At(buf, b) - fixed32At(buf, a));
}

export function readFixed64BigInt(cursor: WireCursor): bigint {
  return fixed64BigIntAt(cursor.buf, skipFixed64(cursor));
}

export function readDouble(cursor: WireCursor): number {
  const pos = cursor.pos;
  skipBytes(cursor, 8);
  return cursor.buf.readDoubleLE(pos);
}

const TWO_POW_32 = 4294967296;

/** A signed int64 varint as a number when exact, else as its decimal string. */
export function readInt64Attribute(cursor: WireCursor): number | string {
  const buf = cursor.buf;
  const len = cursor.len;
  let pos = cursor.pos;
  let low = 0;
  let high = 0;
  let byte = 0;
  let i = 0;
  for (; i < 10; i++) {
    if (pos >= len) {
      cursor.pos = pos;
      throw pastEnd(cursor, 1);
    }
    byte = buf[pos++] as number;
    const bits = byte & 0x7f;
    if (i < 4) low |= bits << (7 * i);
    else if (i === 4) {
      low |= bits << 28;
      high |= bits >> 4;
    } else high |= bits << (7 * i - 32);
    if (byte < 0x80) break;
  }
  cursor.pos = pos;
  if (i === 10) throw new RangeError(`a varint longer than 10 bytes at offset ${pos}`);
  const approx = (high | 0) * TWO_POW_32 + (low >>> 0);
  if (Number.isSafeInteger(approx)) return approx;
  return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0)).toString();
}

const INTERN_SLOTS = 4096;
const MAX_INTERNED_LENGTH = 64;
const interned: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);

/**
 * The UTF-8 string in `buf[start, end)`. Short ASCII strings go through a fixed-size intern table (a hash of the bytes
 * picks a slot; a hit is confirmed byte by byte), so repeated keys and values share one string and skip the decode.
 */
export function stringAt(buf: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length === 0) return '';
  if (length > MAX_INTERNED_LENGTH) return buf.toString('utf8', start, end);
  let hash = length;
  for (let i = start; i < end; i++) {
    const byte = buf[i] as number;
    if (byte >= 0x80) return buf.toString('utf8', start, end);
    hash = Math.imul(hash ^ byte, 0x01000193);
  }
  const slot = (hash ^ (hash >>> 15)) & (INTERN_SLOTS - 1);
  const cached = interned[slot];
  if (cached !== undefined && cached.length === length) {
    let i = 0;
    while (i < length && cached.charCodeAt(i) === buf[start + i]) i++;
    if (i === length) return cached;
  }
  const value = latin1At(buf, start, end);
  interned[slot] = value;
  return value;
}

/** Reads a length-delimited string field. */
export function readString(cursor: WireCursor): string {
  const end = messageEnd(cursor);
  const start = cursor.pos;
  cursor.pos = end;
  return stringAt(cursor.buf, start, end);
}

interface NodeBufferSlices {
  hexSlice?: (start: number, end: number) => string;
  latin1Slice?: (start: number, end: number) => string;
}
const bufferSlices = Buffer.prototype as unknown as NodeBufferSlices;
const hasHexSlice = typeof bufferSlices.hexSlice === 'function';
const hasLatin1Slice = typeof bufferSlices.latin1Slice === 'function';

/**
 * `buf.toString('hex', start, end)` without its argument handling: Node's Buffer has had `hexSlice` for ever; the
 * public call is the fallback. The caller keeps `start <= end <= buf.length`.
 */
export function hexAt(buf: Buffer, start: number, end: number): string {
  return hasHexSlice
    ? (buf as unknown as Required<NodeBufferSlices>).hexSlice(start, end)
    : buf.toString('hex', start, end);
}

function latin1At(buf: Buffer, start: number, end: number): string {
  return hasLatin1Slice
    ? (buf as unknown as Required<NodeBufferSlices>).latin1Slice(start, end)
    : buf.toString('latin1', start, end);
}

/** Whether `buf[a, a+length)` and `buf[b, b+length)` hold the same bytes. */
export function sameBytes(buf: Buffer, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}

/** Whether `buf[start, end)` is all zero bytes. */
export function allZero(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}
