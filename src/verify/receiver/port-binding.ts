/**
 * Listening on a loopback port, with an optional fallback to a free port when the wanted one is taken, and errors that
 * name the port and what to do about it.
 */
import type net from 'node:net';
import { inputError, usageError } from '../../core/errors.js';

export interface PortFallback {
  wanted: number;
  got: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** The receiver is for local verification: it refuses to listen on anything but loopback. */
export function assertLoopbackHost(host: string): void {
  if (!LOOPBACK_HOSTS.has(host)) {
    throw usageError(
      `The trace-guide receiver listens on loopback only, not on "${host}".`,
      'Use 127.0.0.1; for services in containers, run a collector or Jaeger instead of the built-in receiver.',
    );
  }
}

function listenOnce(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.removeListener('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.removeListener('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

/**
 * Listens on `host:port`. When the port is in use and `allowFallback` is true, listens on a free port instead and
 * reports it; otherwise throws an error that names the port and the way out.
 */
export async function listenWithFallback(
  server: net.Server,
  options: { host: string; port: number; allowFallback: boolean; role: string },
): Promise<{ port: number; fallback?: PortFallback }> {
  const { host, port, allowFallback, role } = options;
  try {
    return { port: await listenOnce(server, host, port) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') {
      throw inputError(
        `The ${role} receiver could not listen on ${host}:${port}: ${(error as Error).message}`,
        undefined,
        error,
      );
    }
    if (allowFallback && port !== 0) {
      const got = await listenOnce(server, host, 0);
      return { port: got, fallback: { wanted: port, got } };
    }
    const why = code === 'EADDRINUSE' ? 'is already in use' : 'needs privileges this process does not have';
    throw inputError(
      `Port ${port} on ${host} ${why}, so the ${role} receiver cannot listen there.`,
      `Stop the program holding it (\`lsof -iTCP:${port} -sTCP:LISTEN\` shows it; a running Jaeger, Tempo or ` +
        `OpenTelemetry Collector often does), choose another ${role} port, or allow falling back to a free port.`,
      error,
    );
  }
}
