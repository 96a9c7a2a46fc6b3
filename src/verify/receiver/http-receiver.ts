/**
 * The OTLP/HTTP side of the receiver: `POST /v1/traces` with `application/x-protobuf` or `application/json`, optionally
 * gzip-compressed. Answers as the OTLP/HTTP specification says: 200 with an ExportTraceServiceResponse in the request's
 * encoding, 400 (undecodable), 413 (too large), 415 (unsupported type or encoding), 404 (other paths), 405 (other methods),
 * with a google.rpc.Status body. Also answers HTTP/2 (a gRPC exporter pointed at this port) with a clear gRPC error.
 */
import http from 'node:http';
import http2 from 'node:http2';
import zlib from 'node:zlib';
import { OtlpDecodeError, type DecodedExport } from './otlp-decode-result.js';
import { decodeJsonExportRequest } from './otlp-json-decoder.js';
import { decodeProtobufExportRequest } from './otlp-protobuf-decoder.js';
import {
  encodeExportResponse,
  encodeRpcStatus,
  RpcCode,
  type OtlpEncoding,
  type RpcCodeValue,
} from './otlp-responses.js';
import type { SpanStore } from './span-store.js';
import { grpcAtHttpPort, http2AtHttpPort, wrongPathAtHttpPort, type ReceiverPorts } from './wrong-protocol.js';

export const TRACES_PATH = '/v1/traces';
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface OtlpHttpReceiverOptions {
  store: SpanStore;
  /** Read when a hint needs the ports, so it may be filled in after listening. */
  ports: ReceiverPorts;
  /** Largest body accepted, compressed and after decompression. */
  maxBodyBytes: number;
}

const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

const EMPTY_SUCCESS_HEADERS: Record<OtlpEncoding, http.OutgoingHttpHeaders> = {
  protobuf: { 'Content-Type': CONTENT_TYPES.protobuf, 'Content-Length': '0' },
  json: { 'Content-Type': CONTENT_TYPES.json, 'Content-Length': '0' },
};

/** `application/x-protobuf` (and the `application/protobuf` some clients send) or `application/json`; else undefined. */
export function otlpEncodingOf(contentTypeHeader: string | undefined): OtlpEncoding | undefined {
  const mediaType = (contentTypeHeader ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

class BodyTooLargeError extends Error {}

/**
 * Collects the body. A body in one chunk is used as is. When a longer body's length is declared (as exporters do), its
 * chunks are copied into one Buffer of that size as they arrive (allocated with the first chunk), so each can be let go
 * at once and nothing is copied twice; otherwise the chunks are joined at the end.
 */
function readBody(request: http.IncomingMessage, maxBytes: number, declaredLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const expected = Number.isSafeInteger(declaredLength) && declaredLength > 0 ? declaredLength : 0;
    let target: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      const offset = size;
      size += chunk.length;
      if (size > maxBytes) {
        request.removeAllListeners('data');
        request.pause();
        reject(new BodyTooLargeError());
        return;
      }
      if (offset === 0 && expected > chunk.length) target = Buffer.allocUnsafe(expected);
      if (target !== undefined) {
        if (size <= target.length) {
          chunk.copy(target, offset);
          return;
        }
        // More than declared (the HTTP parser does not let it happen): join what came instead.
        chunks = [target.subarray(0, offset)];
        target = undefined;
      }
      (chunks ??= []).push(chunk);
    });
    request.on('end', () => {
      if (target !== undefined) resolve(size === target.length ? target : target.subarray(0, size));
      else if (chunks === undefined) resolve(Buffer.alloc(0));
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    request.on('error', reject);
  });
}

function gunzip(body: Buffer, maxOutputLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zlib.gunzip(body, { maxOutputLength }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export function createOtlpHttpRequestHandler(options: OtlpHttpReceiverOptions): http.RequestListener {
  const { store, ports, maxBodyBytes } = options;

  const send = (
    response: http.ServerResponse,
    statusCode: number,
    encoding: OtlpEncoding,
    body: Buffer,
    headers: Record<string, string> = {},
  ): void => {
    if (response.headersSent) return;
    response.writeHead(statusCode, {
      'Content-Type': CONTENT_TYPES[encoding],
      'Content-Length': String(body.length),
      ...headers,
    });
    response.end(body);
  };

  /** 200 with an empty ExportTraceServiceResponse (the common answer): shared headers, and no body to write for protobuf. */
  const sendSuccess = (response: http.ServerResponse, encoding: OtlpEncoding, body: Buffer): void => {
    if (response.headersSent) return;
    if (body.length === 0) {
      response.writeHead(200, EMPTY_SUCCESS_HEADERS[encoding]);
      response.end();
    } else send(response, 200, encoding, body);
  };

  const refuse = (
    response: http.ServerResponse,
    statusCode: number,
    encoding: OtlpEncoding,
    code: RpcCodeValue,
    message: string,
    headers: Record<string, string> = {},
  ): void => {
    store.recordRefusedRequest({
      via: encoding === 'json' ? 'http/json' : 'http/protobuf',
      answeredWith: `HTTP ${statusCode}`,
      reason: message,
    });
    send(response, statusCode, encoding, encodeRpcStatus(encoding, code, message), headers);
  };

  const tooLarge = (response: http.ServerResponse, encoding: OtlpEncoding, what: string): void => {
    refuse(
      response,
      413,
      encoding,
      RpcCode.RESOURCE_EXHAUSTED,
      `${what} is larger than the receiver's limit of ${maxBodyBytes} bytes; export smaller batches ` +
        '(OTEL_BSP_MAX_EXPORT_BATCH_SIZE) or start the receiver with a larger body limit',
      { Connection: 'close' },
    );
  };

  const handle = async (request: http.IncomingMessage, response: http.ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const method = request.method ?? 'GET';
    const contentTypeHeader = request.headers['content-type'];
    const details = {
      method,
      path,
      contentType: contentTypeHeader,
      remoteAddress: request.socket.remoteAddress,
    };
    if (contentTypeHeader?.toLowerCase().startsWith('application/grpc')) {
      const arrival = grpcAtHttpPort(ports, details);
      store.recordWrongProtocol(arrival);
      request.resume();
      send(
        response,
        415,
        'json',
        encodeRpcStatus('json', RpcCode.INVALID_ARGUMENT, `${arrival.summary} ${arrival.hint}`),
      );
      return;
    }
    if (path !== TRACES_PATH) {
      request.resume();
      if (method === 'POST') {
        const arrival = wrongPathAtHttpPort(ports, { ...details, path });
        store.recordWrongProtocol(arrival);
        send(response, 404, 'json', encodeRpcStatus('json', RpcCode.NOT_FOUND, `${arrival.summary} ${arrival.hint}`));
      } else {
        send(
          response,
          404,
          'json',
          encodeRpcStatus(
            'json',
            RpcCode.NOT_FOUND,
            `Nothing at ${path}: this is an OTLP receiver; traces are sent with POST ${TRACES_PATH}.`,
          ),
        );
      }
      return;
    }
    if (method !== 'POST') {
      request.resume();
      send(
        response,
        405,
        'json',
        encodeRpcStatus(
          'json',
          RpcCode.UNIMPLEMENTED,
          `${method} is not allowed on ${TRACES_PATH}; exporters send spans with POST.`,
        ),
        { Allow: 'POST' },
      );
      return;
    }
    const encoding = otlpEncodingOf(contentTypeHeader);
    if (encoding === undefined) {
      request.resume();
      refuse(
        response,
        415,
        'json',
        RpcCode.INVALID_ARGUMENT,
        `Content-Type ${contentTypeHeader === undefined ? '(none)' : `"${contentTypeHeader}"`} is not an OTLP type; ` +
          'send application/x-protobuf or application/json',
      );
      return;
    }
    const contentEncoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    const gzipped = contentEncoding === 'gzip' || contentEncoding === 'x-gzip';
    if (!gzipped && contentEncoding !== 'identity' && contentEncoding !== '') {
      request.resume();
      refuse(
        response,
        415,
        encoding,
        RpcCode.INVALID_ARGUMENT,
        `Content-Encoding "${contentEncoding}" is not supported; send the body uncompressed or with gzip`,
      );
      return;
    }
    const declaredLength = Number(request.headers['content-length']);
    if (Number.isFinite(declaredLength) && declaredLength > maxBodyBytes) {
      tooLarge(response, encoding, `The request body (${declaredLength} bytes)`);
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(request, maxBodyBytes, declaredLength);
    } catch (error) {
      if (error instanceof BodyTooLargeError) tooLarge(response, encoding, 'The request body');
      else request.destroy();
      return;
    }
    if (gzipped) {
      try {
        body = await gunzip(body, maxBodyBytes);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
          tooLarge(response, encoding, 'The decompressed request body');
        } else {
          refuse(
            response,
            400,
            encoding,
            RpcCode.INVALID_ARGUMENT,
            `the body is not valid gzip (${(error as Error).message}); send Content-Encoding: gzip only with a gzip body`,
          );
        }
        return;
      }
    }
    let decoded: DecodedExport;
    try {
      decoded =
        encoding === 'json' ? decodeJsonExportRequest(body) : decodeProtobufExportRequest(body, 'http/protobuf');
    } catch (error) {
      if (!(error instanceof OtlpDecodeError)) throw error;
      refuse(response, 400, encoding, RpcCode.INVALID_ARGUMENT, error.message);
      return;
    }
    store.add(decoded.spans);
    store.recordRejectedSpans(decoded.rejectedSpans, decoded.rejectionReasons);
    sendSuccess(response, encoding, encodeExportResponse(encoding, decoded));
  };

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      // Never crash on a request: answer 500 with what went wrong.
      const message = `the receiver failed on this request: ${error instanceof Error ? error.message : String(error)}`;
      send(response, 500, 'json', encodeRpcStatus('json', RpcCode.INTERNAL, message));
    });
  };
}

/** A (not listening) HTTP/1.1 server that serves OTLP/HTTP on connections handed to it. */
export function createOtlpHttpServer(options: OtlpHttpReceiverOptions): http.Server {
  const server = http.createServer({ keepAliveTimeout: 30_000 }, createOtlpHttpRequestHandler(options));
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

/** The grpc-message header: UTF-8, with bytes outside printable ASCII and '%' percent-encoded (gRPC over HTTP/2 spec). */
export function percentEncodeGrpcMessage(message: string): string {
  let encoded = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    encoded +=
      byte < 0x20 || byte > 0x7e || byte === 0x25
        ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
        : String.fromCharCode(byte);
  }
  return encoded;
}

/**
 * A (not listening) HTTP/2 server for connections that arrive at the OTLP/HTTP port speaking HTTP/2: it records the
 * arrival and answers gRPC calls with UNIMPLEMENTED and a message that names the gRPC port.
 */
export function createMisdirectedHttp2Server(store: SpanStore, ports: ReceiverPorts): http2.Http2Server {
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    stream.on('error', () => stream.destroy());
    const contentType = headers['content-type'];
    const details = {
      method: headers[':method'],
      path: headers[':path'],
      contentType,
      remoteAddress: stream.session?.socket?.remoteAddress,
    };
    if (contentType?.startsWith('application/grpc')) {
      const arrival = grpcAtHttpPort(ports, details);
      store.recordWrongProtocol(arrival);
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': String(RpcCode.UNIMPLEMENTED),
          'grpc-message': percentEncodeGrpcMessage(`${arrival.summary} ${arrival.hint}`),
        },
        { endStream: true },
      );
    } else {
      const arrival = http2AtHttpPort(ports, details);
      store.recordWrongProtocol(arrival);
      stream.respond({ ':status': 505, 'content-type': 'text/plain; charset=utf-8' });
      stream.end(`${arrival.summary} ${arrival.hint}\n`);
    }
  });
  server.on('sessionError', () => undefined);
  return server;
}
