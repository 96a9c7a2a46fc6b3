/**
 * The receiver as a whole over loopback: gRPC status codes for bad payloads, wrong protocols at each port recorded with a
 * useful hint, ports in use (fallback reported, or a clear error), loopback only, and close() that never hangs.
 */
import net from 'node:net';
import tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeExportRequest, exportRequestObject, wireSpan } from '../../../test/receiver/helpers.js';
import { TraceGuideError } from '../../core/errors.js';
import { TRACE_SERVICE_EXPORT_PATH } from './otlp-schema.js';
import { startReceiver, type RunningReceiver } from './receiver.js';
import type { WrongProtocolKind } from './wrong-protocol.js';

function grpcExport(address: string, message: Buffer): Promise<{ error: grpc.ServiceError | null; response?: Buffer }> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      TRACE_SERVICE_EXPORT_PATH,
      (buffer: Buffer) => buffer,
      (buffer: Buffer) => buffer,
      message,
      (error, response) => {
        client.close();
        resolve({ error, ...(response === undefined ? {} : { response }) });
      },
    );
  });
}

async function exportOneSpan(exporter: SpanExporter): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'misconfigured' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  provider.getTracer('t').startSpan('lost').end();
  await provider.forceFlush().catch(() => undefined);
  await provider.shutdown().catch(() => undefined);
}

describe('OTLP/gRPC', () => {
  let receiver: RunningReceiver;
  const address = () => `127.0.0.1:${receiver.grpcPort}`;
  beforeAll(async () => {
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0, maxBodyBytes: 4096 });
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('accepts a valid Export and answers with an empty response', async () => {
    const result = await grpcExport(address(), encodeExportRequest(exportRequestObject('grpc-raw', [wireSpan()])));
    expect(result.error).toBeNull();
    expect(result.response?.length).toBe(0);
    expect(receiver.store.services()).toContain('grpc-raw');
    expect(receiver.store.spans().at(-1)?.receivedVia).toBe('grpc');
  });

  it('answers garbage with INVALID_ARGUMENT and keeps serving', async () => {
    const result = await grpcExport(address(), Buffer.from('definitely not protobuf'));
    expect(result.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(result.error?.details).toMatch(/not a valid protobuf ExportTraceServiceRequest/);
    const again = await grpcExport(address(), encodeExportRequest(exportRequestObject('grpc-raw', [wireSpan()])));
    expect(again.error).toBeNull();
  });

  it('answers a truncated message with INVALID_ARGUMENT', async () => {
    const truncated = encodeExportRequest(exportRequestObject('grpc-raw', [wireSpan()])).subarray(0, 30);
    const result = await grpcExport(address(), truncated);
    expect(result.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('answers a message over the limit with RESOURCE_EXHAUSTED', async () => {
    const big = encodeExportRequest(exportRequestObject('grpc-raw', [wireSpan({ name: 'x'.repeat(8000) })]));
    const result = await grpcExport(address(), big);
    expect(result.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    const again = await grpcExport(address(), encodeExportRequest(exportRequestObject('grpc-raw', [wireSpan()])));
    expect(again.error).toBeNull();
  });
});

describe('wrong protocol at each port', () => {
  let receiver: RunningReceiver;
  beforeAll(async () => {
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  });
  afterAll(async () => {
    await receiver.close();
  });
  const arrivalOf = async (kind: WrongProtocolKind) => {
    await receiver.store.waitFor(
      (store) => store.wrongProtocolArrivals().some((arrival) => arrival.kind === kind),
      5_000,
      `a ${kind} arrival`,
    );
    return receiver.store.wrongProtocolArrivals().find((arrival) => arrival.kind === kind);
  };

  it('records an OTLP/HTTP exporter sending to the gRPC port', async () => {
    await exportOneSpan(new ProtoExporter({ url: `${receiver.grpcEndpoint}/v1/traces` }));
    const arrival = await arrivalOf('http1-at-grpc-port');
    expect(arrival).toMatchObject({
      port: receiver.grpcPort,
      portRole: 'otlp-grpc',
      method: 'POST',
      path: '/v1/traces',
    });
    expect(arrival?.contentType).toBe('application/x-protobuf');
    expect(arrival?.hint).toContain(`http://127.0.0.1:${receiver.httpPort}`);
  });

  it('records a gRPC exporter sending to the HTTP port, and tells the client which port is gRPC', async () => {
    await exportOneSpan(new GrpcExporter({ url: receiver.httpEndpoint }));
    const arrival = await arrivalOf('grpc-at-http-port');
    expect(arrival).toMatchObject({ port: receiver.httpPort, portRole: 'otlp-http', path: TRACE_SERVICE_EXPORT_PATH });
    const raw = await grpcExport(`127.0.0.1:${receiver.httpPort}`, Buffer.alloc(0));
    expect(raw.error?.code).toBe(grpc.status.UNIMPLEMENTED);
    expect(raw.error?.details).toContain(`http://127.0.0.1:${receiver.grpcPort}`);
  });

  it('records /v1/traces twice in the path with the endpoint variable explained', async () => {
    await exportOneSpan(new ProtoExporter({ url: `${receiver.httpEndpoint}/v1/traces/v1/traces` }));
    const arrival = await arrivalOf('wrong-path');
    expect(arrival?.path).toBe('/v1/traces/v1/traces');
    expect(arrival?.summary).toContain('/v1/traces twice');
    expect(arrival?.hint).toContain('OTEL_EXPORTER_OTLP_ENDPOINT is the base URL');
  });

  it('records a TLS handshake at a plaintext port', async () => {
    await new Promise<void>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port: receiver.httpPort, rejectUnauthorized: false });
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
    });
    const arrival = await arrivalOf('tls-at-plaintext-port');
    expect(arrival?.hint).toContain('https://');
  });

  it('says what arrived where when a wait times out', async () => {
    await expect(
      receiver.store.waitFor((store) => store.receivedCount > 0, 50, 'spans from "misconfigured"'),
    ).rejects.toThrow(
      /Timed out after 50 ms waiting for spans from "misconfigured"\. No spans have arrived\. \d+ arrival\(s\) used the wrong protocol or path/,
    );
  });
});

describe('ports', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  async function occupyPort(): Promise<number> {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(() => resolve())));
    return (blocker.address() as net.AddressInfo).port;
  }

  it('falls back to a free port and says which it wanted and which it got', async () => {
    const taken = await occupyPort();
    const receiver = await startReceiver({ httpPort: taken, grpcPort: 0 });
    cleanups.push(() => receiver.close());
    expect(receiver.usedFallback.http?.wanted).toBe(taken);
    expect(receiver.usedFallback.http?.got).toBe(receiver.httpPort);
    expect(receiver.httpPort).not.toBe(taken);
    expect(receiver.usedFallback.grpc).toBeUndefined();
    const response = await fetch(`${receiver.httpEndpoint}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
  });

  it('fails with an error naming the port when fallback is not allowed, and leaves no port open', async () => {
    const taken = await occupyPort();
    const free = await occupyPort();
    await cleanups.pop()?.();
    const attempt = startReceiver({ httpPort: free, grpcPort: taken, fallbackToFreePorts: false });
    await expect(attempt).rejects.toBeInstanceOf(TraceGuideError);
    await expect(attempt).rejects.toThrow(
      `Port ${taken} on 127.0.0.1 is already in use, so the OTLP/gRPC receiver cannot listen there.`,
    );
    await attempt.catch((error: TraceGuideError) => expect(error.hint).toContain(`lsof -iTCP:${taken}`));
    // The HTTP port it had already opened was released.
    const again = await startReceiver({ httpPort: free, grpcPort: 0, fallbackToFreePorts: false });
    await again.close();
  });

  it('refuses to listen on a non-loopback address', async () => {
    await expect(startReceiver({ host: '0.0.0.0', httpPort: 0, grpcPort: 0 })).rejects.toThrow(/loopback only/);
  });

  it('closes promptly even with a client connection left open', async () => {
    const receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
    const idle = net.connect(receiver.grpcPort, '127.0.0.1');
    await new Promise((resolve) => idle.once('connect', resolve));
    const keepAlive = net.connect(receiver.httpPort, '127.0.0.1');
    await new Promise((resolve) => keepAlive.once('connect', resolve));
    keepAlive.write(
      'POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );
    const started = Date.now();
    await receiver.close();
    expect(Date.now() - started).toBeLessThan(1_500);
    await receiver.close();
    idle.destroy();
    keepAlive.destroy();
  });
});
