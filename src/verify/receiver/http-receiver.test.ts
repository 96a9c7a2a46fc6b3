/**
 * OTLP/HTTP answers over a real loopback socket: success bodies, and 400/413/415/404/405 for what a broken or
 * misconfigured exporter sends; after each, the receiver still accepts a valid export.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeExportRequest, exportRequestObject, wireSpan } from '../../../test/receiver/helpers.js';
import { ExportTraceServiceResponseType, RpcStatusType } from './otlp-schema.js';
import { startReceiver, type RunningReceiver } from './receiver.js';

let receiver: RunningReceiver;
const MAX_BODY_BYTES = 64 * 1024;

beforeAll(async () => {
  receiver = await startReceiver({ httpPort: 0, grpcPort: 0, maxBodyBytes: MAX_BODY_BYTES });
});
afterAll(async () => {
  await receiver.close();
});

function post(body: Uint8Array | string, headers: Record<string, string>, path = '/v1/traces', method = 'POST') {
  return fetch(`${receiver.httpEndpoint}${path}`, { method, headers, body: method === 'GET' ? undefined : body });
}

const validProtobuf = () => encodeExportRequest(exportRequestObject('orders', [wireSpan()]));
const validJson = (traceId = '5b8efff798038103d269b633813fc60c') =>
  JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'web' } }] },
        scopeSpans: [
          {
            scope: { name: 'manual' },
            spans: [
              {
                traceId,
                spanId: 'eee19b7ec3c1b174',
                parentSpanId: 'eee19b7ec3c1b173',
                name: 'render',
                kind: 1,
                startTimeUnixNano: '1544712660000000000',
                endTimeUnixNano: 1544712661000000000,
                attributes: [
                  { key: 'big', value: { intValue: '9007199254740993' } },
                  { key: 'n', value: { intValue: 7 } },
                  { key: 'ratio', value: { doubleValue: 0.25 } },
                ],
                status: { code: 2, message: 'boom' },
              },
            ],
          },
        ],
      },
    ],
  });

async function expectStillReceiving(): Promise<void> {
  const before = receiver.store.receivedCount;
  const response = await post(validProtobuf(), { 'content-type': 'application/x-protobuf' });
  expect(response.status).toBe(200);
  expect(receiver.store.receivedCount).toBe(before + 1);
}

describe('OTLP/HTTP success', () => {
  it('answers a protobuf export with an empty protobuf ExportTraceServiceResponse', async () => {
    const response = await post(validProtobuf(), { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const body = new Uint8Array(await response.arrayBuffer());
    expect(ExportTraceServiceResponseType.toObject(ExportTraceServiceResponseType.decode(body))).toEqual({});
  });

  it('answers a JSON export with JSON, decoding hex ids, int64 strings beyond 2^53, and status', async () => {
    const response = await post(validJson(), { 'content-type': 'application/json; charset=utf-8' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({});
    const [span] = receiver.store.spansOfTrace('5b8efff798038103d269b633813fc60c');
    expect(span).toMatchObject({
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      kind: 'internal',
      serviceName: 'web',
      receivedVia: 'http/json',
      status: { code: 'error', message: 'boom' },
      attributes: { big: '9007199254740993', n: 7, ratio: 0.25 },
      durationMs: 1000,
    });
  });

  it('accepts a gzip body', async () => {
    const before = receiver.store.receivedCount;
    const response = await post(gzipSync(validProtobuf()), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    expect(response.status).toBe(200);
    expect(receiver.store.receivedCount).toBe(before + 1);
  });

  it('rejects spans with base64 ids in JSON as a partial success that says why', async () => {
    const response = await post(validJson('W47/95gDgQPSabYzgT/GDA=='), { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe('1');
    expect(body.partialSuccess.errorMessage).toMatch(/hex strings, not base64/);
    expect(receiver.store.rejectedCount).toBeGreaterThanOrEqual(1);
  });

  it('reports an all-zero trace id in protobuf as a partial success', async () => {
    const body = encodeExportRequest(
      exportRequestObject('orders', [wireSpan({ traceId: Buffer.alloc(16) }), wireSpan()]),
    );
    const response = await post(body, { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(200);
    const decoded = ExportTraceServiceResponseType.toObject(
      ExportTraceServiceResponseType.decode(new Uint8Array(await response.arrayBuffer())),
      { longs: Number },
    );
    expect(decoded.partialSuccess.rejectedSpans).toBe(1);
    expect(decoded.partialSuccess.errorMessage).toMatch(/invalid trace id/);
  });
});

describe('OTLP/HTTP refusals', () => {
  it.each([
    { what: 'garbage bytes', body: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]) },
    { what: 'a truncated protobuf', body: validProtobuf().subarray(0, 40) },
  ])('answers $what with 400 and a protobuf google.rpc.Status', async ({ body }) => {
    const response = await post(body, { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const status = RpcStatusType.toObject(RpcStatusType.decode(new Uint8Array(await response.arrayBuffer())));
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/not a valid protobuf ExportTraceServiceRequest/);
    await expectStillReceiving();
  });

  it('answers bad JSON with 400 and a JSON status', async () => {
    const response = await post('{"resourceSpans": [', { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 3, message: expect.stringMatching(/not valid JSON/) });
    await expectStillReceiving();
  });

  it('answers JSON of the wrong shape with 400', async () => {
    const response = await post('{"resourceSpans": {"spans": 1}}', { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ message: 'resourceSpans must be an array, got an object' });
  });

  it('answers a body that claims gzip but is not with 400', async () => {
    const response = await post(validProtobuf(), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    expect(response.status).toBe(400);
    await expectStillReceiving();
  });

  it('answers an unsupported content type with 415 naming the supported ones', async () => {
    const response = await post('hello', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({
      message: expect.stringMatching(/application\/x-protobuf or application\/json/),
    });
    await expectStillReceiving();
  });

  it('answers an unsupported content encoding with 415', async () => {
    const response = await post(validProtobuf(), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'br',
    });
    expect(response.status).toBe(415);
  });

  it('answers a body over the limit with 413', async () => {
    const response = await post(Buffer.alloc(MAX_BODY_BYTES + 1), { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/larger than the receiver's limit of 65536 bytes/);
    await expectStillReceiving();
  });

  it('answers a gzip body that inflates past the limit with 413', async () => {
    const bomb = gzipSync(Buffer.alloc(MAX_BODY_BYTES * 4));
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
    const response = await post(bomb, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    await expectStillReceiving();
  });

  it('answers other paths with 404 and other methods with 405', async () => {
    expect((await post('', {}, '/', 'GET')).status).toBe(404);
    expect((await post('', {}, '/v1/metrics', 'POST')).status).toBe(404);
    const get = await post('', {}, '/v1/traces', 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('keeps a record of refused requests for diagnosis', () => {
    const reasons = receiver.store.refusedRequests().map((refused) => `${refused.answeredWith} ${refused.reason}`);
    expect(reasons.some((reason) => reason.startsWith('HTTP 415'))).toBe(true);
    expect(reasons.some((reason) => reason.startsWith('HTTP 413'))).toBe(true);
    expect(receiver.store.describe()).toMatch(/request\(s\) were refused/);
  });
});
