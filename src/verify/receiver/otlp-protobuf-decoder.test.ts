import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { encodeExportRequest, exportRequestObject, wireSpan } from '../../../test/receiver/helpers.js';
import { OtlpDecodeError } from './otlp-decode-result.js';
import { decodeProtobufExportRequest } from './otlp-protobuf-decoder.js';
import { ExportTraceServiceRequestType } from './otlp-schema.js';

const kv = (key: string, value: Record<string, unknown>) => ({ key, value });

describe('decodeProtobufExportRequest', () => {
  const request = exportRequestObject('catalog', [
    wireSpan({
      parentSpanId: Buffer.from('00f067aa0ba902b7', 'hex'),
      traceState: 'vendor=1',
      kind: 5,
      attributes: [
        kv('s', { stringValue: 'héllo' }),
        kv('b', { boolValue: false }),
        kv('i', { intValue: -42 }),
        kv('huge', { intValue: '9223372036854775807' }),
        kv('d', { doubleValue: 1.5 }),
        kv('bytes', { bytesValue: Buffer.from([1, 2, 3]) }),
        kv('arr', { arrayValue: { values: [{ stringValue: 'x' }, { intValue: 2 }, { boolValue: true }] } }),
        kv('map', { kvlistValue: { values: [kv('inner', { doubleValue: 2.5 })] } }),
        kv('__proto__', { stringValue: 'not a prototype' }),
        kv('empty', {}),
      ],
      events: [
        { timeUnixNano: '1700000000005000000', name: 'cache.miss', attributes: [kv('key', { stringValue: 'sku-1' })] },
      ],
      links: [
        {
          traceId: Buffer.alloc(16, 0xab),
          spanId: Buffer.alloc(8, 0xcd),
          traceState: 'a=b',
          attributes: [kv('why', { stringValue: 'batch' })],
        },
      ],
      status: { code: 1 },
    }),
  ]);

  it('reads every field and attribute kind the way the reflection types define them', () => {
    const body = encodeExportRequest(request);
    const { spans, rejectedSpans } = decodeProtobufExportRequest(body, 'grpc', 1234);
    expect(rejectedSpans).toBe(0);
    expect(spans).toHaveLength(1);
    const span = spans[0];
    expect(span).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      parentSpanId: '00f067aa0ba902b7',
      traceState: 'vendor=1',
      name: 'GET /orders',
      kind: 'consumer',
      startTimeUnixNano: 1_700_000_000_000_000_000n,
      endTimeUnixNano: 1_700_000_000_012_500_000n,
      durationMs: 12.5,
      status: { code: 'ok' },
      serviceName: 'catalog',
      scope: { name: 'hand-made', version: '0.1.0' },
      receivedVia: 'grpc',
      receivedAt: 1234,
      events: [{ name: 'cache.miss', timeUnixNano: 1_700_000_000_005_000_000n, attributes: { key: 'sku-1' } }],
      links: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceState: 'a=b', attributes: { why: 'batch' } }],
    });
    expect(span?.attributes).toEqual({
      s: 'héllo',
      b: false,
      i: -42,
      huge: '9223372036854775807',
      d: 1.5,
      bytes: 'AQID',
      arr: ['x', 2, true],
      map: { inner: 2.5 },
      ['__proto__']: 'not a prototype',
      empty: null,
    });
    expect(Object.getPrototypeOf(span?.attributes)).toBe(Object.prototype);
    // The same bytes through protobufjs's reflection decoder name the same span.
    const reflected = ExportTraceServiceRequestType.toObject(ExportTraceServiceRequestType.decode(body), {
      bytes: String,
      longs: String,
    });
    expect(Buffer.from(reflected.resourceSpans[0].scopeSpans[0].spans[0].spanId, 'base64').toString('hex')).toBe(
      span?.spanId,
    );
  });

  it('skips unknown fields and fields with an unexpected wire type', () => {
    const spanType = ExportTraceServiceRequestType.lookupType('opentelemetry.proto.trace.v1.Span');
    const spanBytes = spanType.encode(spanType.fromObject(wireSpan({ name: 'kept' }))).finish();
    const extras = protobuf.Writer.create();
    extras.uint32((99 << 3) | 0).uint32(7); // an unknown varint field 99
    extras.uint32((5 << 3) | 0).uint32(1); // Span.name (field 5) with the varint wire type: skipped, not misread
    const span = Buffer.concat([spanBytes, extras.finish()]);
    const scopeSpans = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(span)
      .finish();
    const resourceSpans = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(scopeSpans)
      .finish();
    const body = Buffer.from(
      protobuf.Writer.create()
        .uint32((1 << 3) | 2)
        .bytes(resourceSpans)
        .finish(),
    );
    const result = decodeProtobufExportRequest(body, 'http/protobuf');
    expect(result.spans[0]?.name).toBe('kept');
    expect(result.spans[0]?.serviceName).toBe('unknown_service');
  });

  it('cuts off attribute values nested deeper than the limit instead of recursing without end', () => {
    let value: Record<string, unknown> = { stringValue: 'bottom' };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    const { spans } = decodeProtobufExportRequest(
      encodeExportRequest(exportRequestObject('x', [wireSpan({ attributes: [kv('deep', value)] })])),
      'http/protobuf',
    );
    expect(JSON.stringify(spans[0]?.attributes.deep)).toContain('null');
  });

  it('throws OtlpDecodeError for truncated and garbage input', () => {
    const body = encodeExportRequest(request);
    for (let cut = 1; cut < body.length; cut += 7) {
      expect(() => decodeProtobufExportRequest(body.subarray(0, cut), 'http/protobuf')).toThrow(OtlpDecodeError);
    }
    expect(() => decodeProtobufExportRequest(Buffer.from('GET / HTTP/1.1\r\n\r\n'), 'http/protobuf')).toThrow(
      OtlpDecodeError,
    );
  });

  it('decodes an empty body as an empty request', () => {
    expect(decodeProtobufExportRequest(Buffer.alloc(0), 'http/protobuf')).toEqual({
      spans: [],
      rejectedSpans: 0,
      rejectionReasons: [],
    });
  });
});
