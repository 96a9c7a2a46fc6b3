/** Loopback port helpers for the runtime run: is a port free, a free port, wait until a port accepts connections. */
import net from 'node:net';

function canConnect(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** True when nothing listens on the port (on 127.0.0.1 or ::1) and it can be bound on 127.0.0.1. */
export async function isPortFree(port: number): Promise<boolean> {
  if ((await canConnect('127.0.0.1', port)) || (await canConnect('::1', port))) return false;
  return canBind('127.0.0.1', port);
}

/** A port the OS says is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resolves with the host that accepted a connection on the port ('127.0.0.1' or '::1'), or undefined when `stop()`
 * turns true or the deadline passes first.
 */
export async function waitForPort(port: number, deadline: number, stop: () => boolean): Promise<string | undefined> {
  while (Date.now() < deadline && !stop()) {
    if (await canConnect('127.0.0.1', port, 300)) return '127.0.0.1';
    if (await canConnect('::1', port, 300)) return '::1';
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}
