/**
 * Loopback port helpers for the runtime run: is a port free (and who holds it when not), a free port, wait until a port
 * accepts connections, and whether what listens is the started service.
 */
import net from 'node:net';
import { describeHolders, listenerOwnership, portHolders } from './port-holder.js';

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

/**
 * Why a service cannot be started on `port`, or undefined when it is free: "port 3000 is taken by another process (pid
 * 812, python3) — stop it or give the service another port". A listener on any address counts (Linux), not only loopback.
 */
export async function portTakenReason(port: number): Promise<string | undefined> {
  const holders = await portHolders(port);
  if ((holders === undefined || holders.length === 0) && (await isPortFree(port))) return undefined;
  const who = describeHolders(holders);
  return `port ${port} is taken by another process${who ? ` (${who})` : ''} — stop it or give the service another port`;
}

/**
 * After a service was started in process group `pgid` and its port answers: undefined when the listener is the service
 * (or when this machine cannot tell), else why the port is not the service's, so it is never probed.
 */
export async function strangerListenerReason(port: number, pgid: number): Promise<string | undefined> {
  const ownership = await listenerOwnership(port, pgid);
  if (ownership.owner !== 'other') return undefined;
  return `port ${port} is held by another process (${describeHolders(ownership.holders)}), not by the started service — stop it or give the service another port`;
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
 * turns true or the deadline passes first. `onActivity` (the process printing a line or exiting) wakes it at once:
 * the port is tried again the moment the service says something, and at the latest every 100 ms.
 */
export async function waitForPort(
  port: number,
  deadline: number,
  stop: () => boolean,
  onActivity?: (wake: () => void) => () => void,
): Promise<string | undefined> {
  let wake: (() => void) | undefined;
  let woken = false;
  const unsubscribe = onActivity?.(() => {
    woken = true;
    wake?.();
  });
  try {
    while (Date.now() < deadline && !stop()) {
      woken = false;
      if (await canConnect('127.0.0.1', port, 300)) return '127.0.0.1';
      if (await canConnect('::1', port, 300)) return '::1';
      if (woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
    return undefined;
  } finally {
    unsubscribe?.();
  }
}
