import { describe, expect, it } from 'vitest';
import { encodeExportRequest, exportRequestObject, wireSpan } from '../../../test/receiver/helpers.js';
import { decodeProtobufExportRequest, heldWireBytes } from './otlp-protobuf-decoder.js';
import { HELD_SPAN_OVERHEAD, TRUNCATION_MARKER, wireBytesNeedNoBounding, DEFAULT_SPAN_LIMITS } from './span-limits.js';
import { SpanStore } from './span-store.js';

const kv = (key: string, value: Record<string, unknown>) => ({ key, value });

function request(spanCount: number, attribute: (i: number) => Record<string, unknown>[]): Buffer {
  return encodeExportRequest(
    exportRequestObject(
      'orders',
      Array.from({ length: spanCount }, (_, i) =>
        wireSpan({
          spanId: Buffer.from((i + 1).toString(16).padStart(16, '0'), 'hex'),
          name: `span ${i}`,
          attributes: attribute(i),
        }),
      ),
    ),
  );
}

describe('spans kept as their protobuf bytes', () => {
  it('keeps small protobuf spans undecoded and lets go of the request body (their bytes move into the store)', () => {
    const body = request(3, (i) => [kv('order.id', { stringValue: `ord-${i}` }), kv('n', { intValue: i })]);
    const { spans } = decodeProtobufExportRequest(body, 'http/protobuf');
    const store = new SpanStore();
    store.add(spans);
    // The body is the HTTP server's to reuse once the request is answered: scribbling over it must change nothing kept.
    body.fill(0);
    const kept = store.spans();
    expect(kept.map((span) => span.attributes)).toEqual([
      { 'order.id': 'ord-0', n: 0 },
      { 'order.id': 'ord-1', n: 1 },
      { 'order.id': 'ord-2', n: 2 },
    ]);
    expect(kept.map((span) => span.spanId)).toEqual(['0000000000000001', '0000000000000002', '0000000000000003']);
    expect(kept[0]?.durationMs).toBe(12.5);
  });

  it('estimates a held span as its wire bytes plus a fixed overhead, without decoding its attributes', () => {
    const { spans } = decodeProtobufExportRequest(
      request(4, (i) => [kv('k', { stringValue: `v${i}` })]),
      'http/protobuf',
    );
    const wire = spans.map((span) => heldWireBytes(span));
    expect(wire.every((bytes) => bytes > 0)).toBe(true);
    const store = new SpanStore();
    store.add(spans);
    const resourceBytes = store.retainedBytes - wire.reduce((sum, bytes) => sum + bytes + HELD_SPAN_OVERHEAD, 0);
    // What is left is the shared resource's estimate (one small attribute), not any decoded attribute objects.
    expect(resourceBytes).toBeGreaterThan(0);
    expect(resourceBytes).toBeLessThan(300);
  });

  it('still cuts an oversized value of a protobuf span (too big to be kept undecoded)', () => {
    const long = 'q'.repeat(DEFAULT_SPAN_LIMITS.maxValueChars + 10);
    const { spans } = decodeProtobufExportRequest(
      request(1, () => [kv('db.query.text', { stringValue: long })]),
      'http/protobuf',
    );
    const store = new SpanStore();
    store.add(spans);
    const value = store.spans()[0]?.attributes['db.query.text'] as string;
    expect(value.startsWith('q'.repeat(DEFAULT_SPAN_LIMITS.maxValueChars))).toBe(true);
    expect(value).toContain(TRUNCATION_MARKER);
    expect(store.truncatedValueCount).toBe(1);
  });

  it('drops the oldest held spans at the byte cap', () => {
    const store = new SpanStore({ maxBytes: 3 * (HELD_SPAN_OVERHEAD + 200) });
    for (let i = 0; i < 10; i++)
      store.add(
        decodeProtobufExportRequest(
          request(1, () => [kv('i', { intValue: i })]),
          'http/protobuf',
        ).spans,
      );
    expect(store.spanCount).toBeLessThan(10);
    expect(store.limitsReport().droppedAtByteCap).toBe(10 - store.spanCount);
    expect(store.retainedBytes).toBeLessThanOrEqual(store.maxBytes);
    expect(store.spans().at(-1)?.attributes).toEqual({ i: 9 });
  });
});

describe('wireBytesNeedNoBounding', () => {
  it('holds only where no string, base64 bytes value or list could exceed the limits', () => {
    const limits = { maxValueChars: 16_384, maxItems: 1_000 };
    expect(wireBytesNeedNoBounding(2_000, limits)).toBe(true);
    expect(wireBytesNeedNoBounding(2_001, limits)).toBe(false);
    // 12,289 bytes of a bytes value become 16,388 base64 characters.
    expect(wireBytesNeedNoBounding(12_289, { maxValueChars: 16_384, maxItems: 100_000 })).toBe(false);
    expect(wireBytesNeedNoBounding(12_288, { maxValueChars: 16_384, maxItems: 100_000 })).toBe(true);
  });
});
