/**
 * Attack (issue 14 item 5, a stranger on the app's port): on a busy machine another process holds the port the service
 * should listen on. The runtime run must never probe that stranger as if it were the service: a port taken before the
 * start is reported with the holder's pid, and a stranger that takes the port after the pre-check (while the service is
 * still starting) is caught by checking that the listener belongs to the started process group.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/verify/runtime/ports.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';
import { fixtureContext } from '../checks/runtime/node-fixture.js';

/** A plain Node service; with `gate`, it writes `spawned` and waits for a `go` file before it listens (a slow start, as a first compile). */
function serviceSource(port: number, gate: boolean): string {
  return `'use strict';
const fs = require('node:fs');
const http = require('node:http');
const PORT = Number(process.env.PORT || ${port});
function listen() {
  const server = http.createServer((req, res) => res.end('service'));
  server.on('error', (error) => { console.error(error.message); process.exit(4); });
  server.listen(PORT, '127.0.0.1', () => console.log('listening on ' + PORT));
}
${
  gate
    ? `fs.writeFileSync('spawned', String(process.pid));
const timer = setInterval(() => { if (fs.existsSync('go')) { clearInterval(timer); listen(); } }, 20);`
    : 'listen();'
}
`;
}

async function makeRepo(port: number, gate: boolean): Promise<string> {
  return makeSampleRepo(
    {
      'svc/package.json': JSON.stringify(
        { name: 'svc', version: '1.0.0', private: true, main: 'server.js', scripts: { start: 'node server.js' } },
        null,
        2,
      ),
      'svc/server.js': serviceSource(port, gate),
    },
    { prefix: 'tg-stranger-' },
  );
}

/** The stranger: an HTTP server in this test process that counts the requests it gets. */
async function startStranger(port: number): Promise<{ server: http.Server; requests: () => number }> {
  let count = 0;
  const server = http.createServer((_req, res) => {
    count++;
    res.end('stranger');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, requests: () => count };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a stranger on the service port', { timeout: 60_000 }, () => {
  it('taken before the start: the service is not started, the holder is named, the stranger is never probed', async () => {
    const port = await freePort();
    const stranger = await startStranger(port);
    cleanups.push(() => new Promise((resolve) => stranger.server.close(() => resolve())));
    const root = await makeRepo(port, false);
    cleanups.push(() => removeSampleRepo(root));
    const fixture = await fixtureContext(root, {}, { spanTimeoutMs: 1_000 });
    cleanups.push(() => fixture.close());

    const run = await fixture.ctx.runtime();
    const svc = run.services[0]!;
    expect(svc.status).toBe('failed');
    expect(svc.reason).toContain(`port ${port} is taken by another process (pid ${process.pid}`);
    expect(svc.reason).toMatch(/stop it or give the service another port/);
    expect(run.probes).toEqual([]);
    expect(stranger.requests()).toBe(0);
  });

  it('taken after the pre-check, while the service starts: the listener is not the started group, so nothing is probed', async () => {
    const port = await freePort();
    const root = await makeRepo(port, true);
    cleanups.push(() => removeSampleRepo(root));
    const fixture = await fixtureContext(root, {}, { spanTimeoutMs: 1_000, startTimeoutMs: 20_000 });
    cleanups.push(() => fixture.close());

    const started = fixture.ctx.runtime();
    // The service has been spawned (so the pre-check is over) and is still starting: now the stranger takes the port.
    const deadline = Date.now() + 20_000;
    while (!existsSync(path.join(root, 'svc', 'spawned')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(path.join(root, 'svc', 'spawned'))).toBe(true);
    const stranger = await startStranger(port);
    cleanups.push(() => new Promise((resolve) => stranger.server.close(() => resolve())));

    const run = await started;
    const svc = run.services[0]!;
    expect(svc.status).toBe('failed');
    expect(svc.reason).toContain(`port ${port} is held by another process (pid ${process.pid}`);
    expect(svc.reason).toContain('not by the started service');
    expect(run.probes).toEqual([]);
    expect(stranger.requests()).toBe(0);
  });

  it('the started service itself is recognised as the listener and probed', async () => {
    const port = await freePort();
    const root = await makeRepo(port, false);
    cleanups.push(() => removeSampleRepo(root));
    const fixture = await fixtureContext(root, {}, { spanTimeoutMs: 500 });
    cleanups.push(() => fixture.close());
    const run = await fixture.ctx.runtime();
    expect(run.services[0]!.status, run.services[0]!.reason).toBe('running');
    expect(run.probes.length).toBeGreaterThan(0);
    expect(run.probes[0]!.status).toBe(200);
  });
});
