/**
 * The probe span: one real span, encoded as an OTLP ExportTraceServiceRequest (protobuf, with the receiver's own message
 * definitions), sent over OTLP/HTTP to `<base>/v1/traces`, or over OTLP/gRPC with node:http2. Headers given for a
 * vendor are sent but never returned or printed.
 */
import { randomBytes } from 'node:crypto';
import http2 from 'node:http2';
import { ExportTraceServiceRequestType } from '../../receiver/otlp-schema.js';
import { joinUrl, request, snippet, type HttpOutcome } from './http.js';

export const PROBE_SERVICE_NAME = 'trace-guide-probe';

export interface ProbeSpan {
  traceId: string;
  spanId: string;
  name: string;
  serviceName: string;
  /**
   * Sent with status ERROR, so a tail-sampling Collector in the path keeps it (its status_code policy) instead of
   * possibly dropping it with the probabilistic one.
   */
  markedError?: boolean;
}

function nonZeroHex(bytes: number): string {
  for (;;) {
    const hex = randomBytes(bytes).toString('hex');
    if (!/^0+$/.test(hex)) return hex;
  }
}

export function newProbeSpan(options: { markedError?: boolean } = {}): ProbeSpan {
  const traceId = nonZeroHex(16);
  return {
    traceId,
    spanId: nonZeroHex(8),
    name: `trace-guide probe ${traceId.slice(0, 8)}`,
    serviceName: PROBE_SERVICE_NAME,
    ...(options.markedError ? { markedError: true } : {}),
  };
}

/** The span as an ExportTraceServiceRequest in protobuf; `empty` gives a request with no spans. */
export function encodeProbeRequest(probe: ProbeSpan | undefined): Uint8Array {
  if (!probe) return ExportTraceServiceRequestType.encode(ExportTraceServiceRequestType.fromObject({})).finish();
  const end = BigInt(Date.now()) * 1_000_000n;
  const start = end - 1_000_000n;
  const message = ExportTraceServiceRequestType.fromObject({
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: probe.serviceName } },
            { key: 'telemetry.sdk.name', value: { stringValue: 'trace-guide' } },
          ],
        },
        scopeSpans: [
          {
            scope: { name: 'trace-guide/backend-check' },
            spans: [
              {
                traceId: Buffer.from(probe.traceId, 'hex'),
                spanId: Buffer.from(probe.spanId, 'hex'),
                name: probe.name,
                kind: 1,
                startTimeUnixNano: start.toString(),
                endTimeUnixNano: end.toString(),
                attributes: [{ key: 'trace_guide.probe', value: { boolValue: true } }],
                ...(probe.markedError
                  ? { status: { code: 2, message: 'trace-guide probe: marked as error so tail sampling keeps it' } }
                  : {}),
              },
            ],
          },
        ],
      },
    ],
  });
  return ExportTraceServiceRequestType.encode(message).finish();
}

/** The traces URL for an OTLP/HTTP base endpoint (the SDKs append /v1/traces to the base variable too). */
export function tracesUrl(base: string): string {
  return /\/v1\/traces\/?$/.test(base) ? base.replace(/\/$/, '') : joinUrl(base, '/v1/traces');
}

export async function postProbeOverHttp(
  base: string,
  probe: ProbeSpan | undefined,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpOutcome> {
  return request(tracesUrl(base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-protobuf', ...(options.headers ?? {}) },
    body: encodeProbeRequest(probe),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}

export type GrpcOutcome =
  | { kind: 'answered'; target: string; grpcStatus: number; message: string }
  | { kind: 'down'; target: string; reason: string }
  | { kind: 'error'; target: string; reason: string };

/** One unary TraceService/Export call over HTTP/2 (h2c for http://, TLS for https://); metadata from `headers`. */
export function exportOverGrpc(
  base: string,
  probe: ProbeSpan | undefined,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<GrpcOutcome> {
  const target = base.replace(/\/+$/, '');
  const payload = encodeProbeRequest(probe);
  const frame = Buffer.alloc(5 + payload.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(payload.length, 1);
  Buffer.from(payload).copy(frame, 5);
  return new Promise((resolve) => {
    let settled = false;
    let session: http2.ClientHttp2Session | undefined;
    const finish = (outcome: GrpcOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session?.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ kind: 'error', target, reason: `no gRPC answer within ${options.timeoutMs ?? 5000} ms` }),
      options.timeoutMs ?? 5000,
    );
    try {
      session = http2.connect(target);
    } catch (error) {
      finish({ kind: 'error', target, reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    session.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND')
        finish({ kind: 'down', target, reason: `${error.code}: nothing answers at ${target}` });
      else finish({ kind: 'error', target, reason: `${error.code ?? ''} ${error.message}`.trim() });
    });
    const metadata: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.headers ?? {})) metadata[key.toLowerCase()] = value;
    const stream = session.request({
      ':method': 'POST',
      ':path': '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      'content-type': 'application/grpc',
      te: 'trailers',
      ...metadata,
    });
    let status: number | undefined;
    let message = '';
    let httpStatus: number | undefined;
    const take = (headers: http2.IncomingHttpHeaders): void => {
      if (headers[':status'] !== undefined) httpStatus = Number(headers[':status']);
      if (headers['grpc-status'] !== undefined) status = Number(headers['grpc-status']);
      if (typeof headers['grpc-message'] === 'string') message = decodeURIComponent(headers['grpc-message']);
    };
    stream.on('response', take);
    stream.on('trailers', take);
    stream.on('data', () => undefined);
    stream.on('error', (error) => finish({ kind: 'error', target, reason: error.message }));
    stream.on('close', () => {
      if (status !== undefined) finish({ kind: 'answered', target, grpcStatus: status, message });
      else
        finish({
          kind: 'error',
          target,
          reason: `no grpc-status in the answer (HTTP ${httpStatus ?? '?'}): not a gRPC server`,
        });
    });
    stream.end(frame);
  });
}

/** "4318 answered 404: …" without ever echoing request headers. */
export function describeHttpAnswer(outcome: Extract<HttpOutcome, { kind: 'answered' }>): string {
  return `POST ${outcome.url} answered HTTP ${outcome.status}${outcome.contentType ? ` (${outcome.contentType.split(';')[0]})` : ''}: ${snippet(outcome.body)}`;
}

/** OTEL_EXPORTER_OTLP_HEADERS (`k=v,k2=v2`, values URL-encoded) as a header map. */
export function parseOtlpHeaders(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (value ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    let raw = part.slice(eq + 1).trim();
    try {
      raw = decodeURIComponent(raw);
    } catch {
      // keep it as written
    }
    if (key) out[key] = raw;
  }
  return out;
}
