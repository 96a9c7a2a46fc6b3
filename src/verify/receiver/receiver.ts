/**
 * The built-in OTLP receiver: OTLP/HTTP and OTLP/gRPC on 127.0.0.1, spans into one SpanStore. Each port is owned by a
 * protocol sniffer, so the wrong protocol arriving at either port is answered clearly and recorded for diagnosis.
 */
import type net from 'node:net';
import { createMisdirectedHttp1Server, createOtlpGrpcReceiver } from './grpc-receiver.js';
import { createMisdirectedHttp2Server, createOtlpHttpServer, DEFAULT_MAX_BODY_BYTES } from './http-receiver.js';
import { assertLoopbackHost, listenWithFallback, type PortFallback } from './port-binding.js';
import { createSniffingListener, type SniffingListener } from './protocol-sniffer.js';
import { SpanStore } from './span-store.js';
import { tlsAtPlaintextPort, unrecognizedBytes, type ReceiverPorts, type ReceiverPortRole } from './wrong-protocol.js';

export interface ReceiverOptions {
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
  /** Default 4318; 0 takes a free port. */
  httpPort?: number;
  /** Default 4317; 0 takes a free port. */
  grpcPort?: number;
  /** When a wanted port is in use, take a free one and report it (default true); when false, fail with a clear error. */
  fallbackToFreePorts?: boolean;
  /** Spans kept in memory (default 100,000); the oldest are dropped past it. Ignored when `store` is given. */
  maxSpans?: number;
  /** Estimated bytes the kept spans may hold (default 32 MiB); the oldest are dropped past it. Ignored when `store` is given. */
  maxBytes?: number;
  /** Largest request accepted, compressed and decompressed, HTTP and gRPC (default 16 MiB). */
  maxBodyBytes?: number;
  /** A store to fill (e.g. one shared by several receivers); a new one by default. */
  store?: SpanStore;
}

export interface RunningReceiver {
  host: string;
  httpPort: number;
  grpcPort: number;
  /** For OTEL_EXPORTER_OTLP_ENDPOINT with http/protobuf or http/json (the SDK appends /v1/traces). */
  httpEndpoint: string;
  /** For OTEL_EXPORTER_OTLP_ENDPOINT with grpc. */
  grpcEndpoint: string;
  /** Set for each port that was taken, with the port used instead. */
  usedFallback: { http?: PortFallback; grpc?: PortFallback };
  store: SpanStore;
  /** Stops both ports and drops open connections. Resolves within a couple of seconds whatever the clients do. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 2_000;

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}

/**
 * Node's HTTP/1 server reads the socket's handle directly and would miss the bytes the sniffer put back; resuming the
 * socket makes them flow (on the next tick, before any further network read) through the server's data listener.
 */
function handToHttp1Server(server: net.Server, socket: net.Socket): void {
  server.emit('connection', socket);
  socket.resume();
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<RunningReceiver> {
  const host = options.host ?? '127.0.0.1';
  assertLoopbackHost(host);
  const allowFallback = options.fallbackToFreePorts ?? true;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const store =
    options.store ??
    new SpanStore({
      ...(options.maxSpans === undefined ? {} : { maxSpans: options.maxSpans }),
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    });
  // Filled in once both ports are known; the hints in wrong-protocol records read it.
  const ports: ReceiverPorts = { host, httpPort: options.httpPort ?? 4318, grpcPort: options.grpcPort ?? 4317 };

  const rejectTlsAndUnknown = (role: ReceiverPortRole) => ({
    tls(socket: net.Socket) {
      store.recordWrongProtocol(tlsAtPlaintextPort(ports, role, socket.remoteAddress));
      socket.destroy();
    },
    unrecognized(socket: net.Socket, firstBytes: Buffer) {
      store.recordWrongProtocol(unrecognizedBytes(ports, role, firstBytes, socket.remoteAddress));
      socket.destroy();
    },
  });

  const otlpHttpServer = createOtlpHttpServer({ store, ports, maxBodyBytes });
  const misdirectedHttp2Server = createMisdirectedHttp2Server(store, ports);
  const httpListener = createSniffingListener({
    http1: (socket) => handToHttp1Server(otlpHttpServer, socket),
    http2: (socket) => misdirectedHttp2Server.emit('connection', socket),
    ...rejectTlsAndUnknown('otlp-http'),
  });

  const grpcReceiver = createOtlpGrpcReceiver(store, maxBodyBytes);
  const misdirectedHttp1Server = createMisdirectedHttp1Server(store, ports);
  const grpcListener = createSniffingListener({
    http1: (socket) => handToHttp1Server(misdirectedHttp1Server, socket),
    http2: (socket) => grpcReceiver.injectConnection(socket),
    ...rejectTlsAndUnknown('otlp-grpc'),
  });

  const listeners: SniffingListener[] = [httpListener, grpcListener];
  const shutDown = async (): Promise<void> => {
    for (const listener of listeners) listener.destroyAllConnections();
    grpcReceiver.close();
    misdirectedHttp2Server.close();
    const closed = Promise.all(listeners.map((listener) => closeServer(listener.server)));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
      timer.unref();
    });
    await Promise.race([closed, grace]);
    clearTimeout(timer);
  };

  const usedFallback: RunningReceiver['usedFallback'] = {};
  try {
    const http = await listenWithFallback(httpListener.server, {
      host,
      port: ports.httpPort,
      allowFallback,
      role: 'OTLP/HTTP',
    });
    ports.httpPort = http.port;
    if (http.fallback) usedFallback.http = http.fallback;
    const grpc = await listenWithFallback(grpcListener.server, {
      host,
      port: ports.grpcPort,
      allowFallback,
      role: 'OTLP/gRPC',
    });
    ports.grpcPort = grpc.port;
    if (grpc.fallback) usedFallback.grpc = grpc.fallback;
  } catch (error) {
    await shutDown();
    throw error;
  }

  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    host,
    httpPort: ports.httpPort,
    grpcPort: ports.grpcPort,
    httpEndpoint: `http://${urlHost}:${ports.httpPort}`,
    grpcEndpoint: `http://${urlHost}:${ports.grpcPort}`,
    usedFallback,
    store,
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}
