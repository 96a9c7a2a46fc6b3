import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort, waitForPort } from './ports.js';

const servers: net.Server[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** Lets I/O callbacks run until `done()` holds (no timers: they are fake here). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

describe('waitForPort', () => {
  it('tries the port again the moment the process shows activity, not on its next poll', async () => {
    const port = await freePort();
    // The poll's sleep never ends by itself here: only the activity event can wake the wait.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let wake: (() => void) | undefined;
    let answer: string | undefined | null = null;
    void waitForPort(
      port,
      Date.now() + 60_000,
      () => false,
      (w) => {
        wake = w;
        return () => (wake = undefined);
      },
    ).then((host) => (answer = host));
    await until(() => vi.getTimerCount() === 1);
    const server = net.createServer((socket) => socket.destroy());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    wake?.();
    await until(() => answer !== null);
    expect(answer).toBe('127.0.0.1');
    // It unsubscribed once done.
    expect(wake).toBeUndefined();
  });

  it('gives up when the process has exited, without waiting for the deadline', async () => {
    const port = await freePort();
    let exited = false;
    let wake: (() => void) | undefined;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let answer: string | undefined | null = null;
    void waitForPort(
      port,
      Date.now() + 60_000,
      () => exited,
      (w) => {
        wake = w;
        return () => undefined;
      },
    ).then((host) => (answer = host));
    await until(() => vi.getTimerCount() === 1);
    exited = true;
    wake?.();
    await until(() => answer !== null);
    expect(answer).toBeUndefined();
  });
});
