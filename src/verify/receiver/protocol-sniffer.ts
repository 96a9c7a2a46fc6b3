/**
 * A TCP listener that looks at the first bytes of each connection and hands it to the right handler: HTTP/1.x, HTTP/2
 * (prior knowledge, as gRPC clients speak it), TLS, or something else. This is how each receiver port can both serve its
 * protocol and recognise — and report — the other one arriving by mistake.
 */
import net from 'node:net';

export type FirstBytesProtocol = 'http1' | 'http2' | 'tls' | 'unrecognized' | 'undecided';

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const MAX_METHOD_LENGTH = 20;
/** Past this many bytes without a decision, the connection is unrecognized. */
const MAX_SNIFF_BYTES = 64;

/** Classifies the first bytes a client sent; `undecided` means more bytes are needed. */
export function classifyFirstBytes(bytes: Uint8Array): FirstBytesProtocol {
  if (bytes.length === 0) return 'undecided';
  const first = bytes[0] as number;
  if (first === 0x16) {
    // TLS record type "handshake", followed by the major version 3.
    if (bytes.length < 2) return 'undecided';
    return bytes[1] === 0x03 ? 'tls' : 'unrecognized';
  }
  const prefaceLength = Math.min(bytes.length, HTTP2_PREFACE.length);
  if (Buffer.from(bytes.buffer, bytes.byteOffset, prefaceLength).equals(HTTP2_PREFACE.subarray(0, prefaceLength))) {
    return bytes.length >= HTTP2_PREFACE.length ? 'http2' : 'undecided';
  }
  // HTTP/1.x starts with a method token of capital letters and a space: "POST /v1/traces HTTP/1.1".
  for (let i = 0; i < bytes.length && i <= MAX_METHOD_LENGTH; i++) {
    const byte = bytes[i] as number;
    if (byte === 0x20) return i > 0 ? 'http1' : 'unrecognized';
    if (byte < 0x41 || byte > 0x5a) return 'unrecognized';
  }
  return bytes.length > MAX_METHOD_LENGTH ? 'unrecognized' : 'undecided';
}

export interface SniffedConnectionHandlers {
  http1(socket: net.Socket): void;
  http2(socket: net.Socket): void;
  tls(socket: net.Socket): void;
  unrecognized(socket: net.Socket, firstBytes: Buffer): void;
}

export interface SniffingListener {
  server: net.Server;
  /** Destroys every connection that is still open (sniffing or handed on). */
  destroyAllConnections(): void;
}

/**
 * Creates a (not yet listening) TCP server whose connections are classified and handed to `handlers`; the bytes read
 * to classify are put back on the socket first, so the handler sees the whole stream.
 */
export function createSniffingListener(handlers: SniffedConnectionHandlers, sniffTimeoutMs = 30_000): SniffingListener {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that resets the connection must never crash the receiver.
    socket.on('error', () => socket.destroy());
    socket.setNoDelay(true);
    let received: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), sniffTimeoutMs);
    timer.unref();
    const onData = (chunk: Buffer): void => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      let protocol = classifyFirstBytes(received);
      if (protocol === 'undecided' && received.length < MAX_SNIFF_BYTES) return;
      if (protocol === 'undecided') protocol = 'unrecognized';
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.pause();
      socket.unshift(received);
      try {
        if (protocol === 'http1') handlers.http1(socket);
        else if (protocol === 'http2') handlers.http2(socket);
        else if (protocol === 'tls') handlers.tls(socket);
        else handlers.unrecognized(socket, received);
      } catch {
        socket.destroy();
      }
    };
    socket.on('data', onData);
    socket.on('end', () => clearTimeout(timer));
  });
  return {
    server,
    destroyAllConnections() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
}
