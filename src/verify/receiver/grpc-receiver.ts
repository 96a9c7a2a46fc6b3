/**
 * The OTLP/gRPC side of the receiver: the unary method `opentelemetry.proto.collector.trace.v1.TraceService/Export`,
 * served by @grpc/grpc-js on connections handed to it (the port itself is owned by the protocol sniffer, so that an
 * HTTP/1.1 request at this port can be recognised and reported). Undecodable payloads get INVALID_ARGUMENT; messages
 * over the size limit get RESOURCE_EXHAUSTED from grpc-js itself. An HTTP/1.1 request here is answered with a 400 that
 * says which port OTLP/HTTP belongs to.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { OtlpDecodeError, type DecodedExport } from './otlp-decode-result.js';
import { decodeProtobufExportRequest } from './otlp-protobuf-decoder.js';
import { encodeExportResponse, encodeRpcStatus, RpcCode } from './otlp-responses.js';
import { TRACE_SERVICE_EXPORT_PATH } from './otlp-schema.js';
import type { SpanStore } from './span-store.js';
import { http1AtGrpcPort, type ReceiverPorts } from './wrong-protocol.js';

const passThrough = (buffer: Buffer): Buffer => buffer;

/** The trace service with raw bytes in and out: decoding happens in the handler, so a bad payload is ours to answer. */
const traceServiceDefinition: grpc.ServiceDefinition = {
  Export: {
    path: TRACE_SERVICE_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
    originalName: 'export',
  },
};

export interface OtlpGrpcReceiver {
  /** Serves gRPC on a connection whose first bytes were the HTTP/2 preface. */
  injectConnection(connection: Duplex): void;
  close(): void;
}

export function createOtlpGrpcReceiver(store: SpanStore, maxMessageBytes: number): OtlpGrpcReceiver {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': maxMessageBytes,
  });
  const exportTraces: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    let decoded: DecodedExport;
    try {
      decoded = decodeProtobufExportRequest(call.request, 'grpc');
    } catch (error) {
      const message =
        error instanceof OtlpDecodeError ? error.message : `the receiver failed: ${(error as Error).message}`;
      const code = error instanceof OtlpDecodeError ? grpc.status.INVALID_ARGUMENT : grpc.status.INTERNAL;
      store.recordRefusedRequest({ via: 'grpc', answeredWith: grpc.status[code] ?? String(code), reason: message });
      callback({ code, details: message });
      return;
    }
    store.add(decoded.spans);
    store.recordRejectedSpans(decoded.rejectedSpans, decoded.rejectionReasons);
    callback(null, encodeExportResponse('protobuf', decoded));
  };
  server.addService(traceServiceDefinition, { Export: exportTraces });
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  return {
    injectConnection: (connection) => injector.injectConnection(connection),
    close() {
      injector.destroy();
      server.forceShutdown();
    },
  };
}

/** A (not listening) HTTP/1.1 server for requests that arrive at the gRPC port: records them and says where to go. */
export function createMisdirectedHttp1Server(store: SpanStore, ports: ReceiverPorts): http.Server {
  const server = http.createServer((request, response) => {
    request.resume();
    const arrival = http1AtGrpcPort(ports, {
      method: request.method,
      path: (request.url ?? '/').split('?')[0],
      contentType: request.headers['content-type'],
      remoteAddress: request.socket.remoteAddress,
    });
    store.recordWrongProtocol(arrival);
    const body = encodeRpcStatus('json', RpcCode.INVALID_ARGUMENT, `${arrival.summary} ${arrival.hint}`);
    response.writeHead(400, {
      'Content-Type': 'application/json',
      'Content-Length': String(body.length),
      Connection: 'close',
    });
    response.end(body);
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  return server;
}
