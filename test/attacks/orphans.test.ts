/**
 * Attack (issue 15 item 12, orphans): Ctrl-C or SIGTERM to `trace-guide check` while it has services running must stop
 * them — port free, every process of the service gone — and the CLI exits 130 / 143 after the cleanup. The service here
 * has no tracing, so the check waits for spans that never come: the interrupt lands while the service is listening.
 * One variant ignores SIGTERM, so only the SIGKILL after the grace period can stop it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/verify/runtime/ports.js';
import { liveProcessGroupIds, stopAllProcessGroups } from '../../src/core/process-groups.js';
import { ServiceProcess } from '../../src/verify/runtime/service-process.js';
import { assertBuilt, BIN, PROJECT_ROOT } from '../helpers/cli.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

function serviceSource(port: number, ignoreSigterm: boolean): string {
  return `'use strict';
const fs = require('node:fs');
const http = require('node:http');
const PORT = Number(process.env.PORT || ${port});
${ignoreSigterm ? "process.on('SIGTERM', () => console.log('SIGTERM ignored'));" : ''}
http.createServer((req, res) => res.end('ok')).listen(PORT, '127.0.0.1', () => {
  fs.writeFileSync('service.pid', String(process.pid));
  console.log('listening on ' + PORT);
});
`;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

const leftovers: { pid?: number; root?: string; cli?: ChildProcess }[] = [];
afterEach(async () => {
  for (const left of leftovers.splice(0)) {
    if (left.pid !== undefined && alive(left.pid)) process.kill(left.pid, 'SIGKILL');
    if (left.cli && left.cli.exitCode === null && left.cli.signalCode === null) left.cli.kill('SIGKILL');
    if (left.root) await removeSampleRepo(left.root);
  }
});

beforeAll(() => assertBuilt());

describe.each([
  { signal: 'SIGINT' as const, code: 130, ignoreSigterm: false },
  { signal: 'SIGTERM' as const, code: 143, ignoreSigterm: true },
])('$signal to `trace-guide check` while a service runs', { timeout: 60_000 }, ({ signal, code, ignoreSigterm }) => {
  it(`stops the service (port free, pid gone) and exits ${code}`, async () => {
    const port = await freePort();
    const root = await makeSampleRepo(
      {
        'svc/package.json': JSON.stringify(
          { name: 'svc', version: '1.0.0', private: true, main: 'server.js', scripts: { start: 'node server.js' } },
          null,
          2,
        ),
        'svc/server.js': serviceSource(port, ignoreSigterm),
      },
      { prefix: 'tg-orphans-' },
    );
    const entry: { pid?: number; root?: string; cli?: ChildProcess } = { root };
    leftovers.push(entry);

    const cli = spawn(process.execPath, [BIN, 'check', root, '--step', '2', '--json'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    entry.cli = cli;
    let stderr = '';
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      cli.once('exit', (c, s) => resolve({ code: c, signal: s })),
    );

    const pidFile = path.join(root, 'svc', 'service.pid');
    expect(
      await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 40_000),
      `the service never listened: ${stderr}`,
    ).toBe(true);
    const servicePid = Number(readFileSync(pidFile, 'utf8'));
    entry.pid = servicePid;
    expect(await canConnect(port)).toBe(true);

    cli.kill(signal);
    const outcome = await exited;
    expect(outcome, stderr).toEqual({ code, signal: null });
    expect(stderr).toContain(`${signal} received: stopping`);
    // Within a few seconds of the interrupt: nothing listens on the port and the service process is gone.
    expect(await until(async () => !alive(servicePid) && !(await canConnect(port)), 3_000)).toBe(true);
  });
});

describe('the registry of started process groups', () => {
  it('holds a group while it lives, handles the signals only then, and stops every group on a way out that is not a signal', async () => {
    const baseline = process.listenerCount('SIGINT');
    // A group of a shell and a child that ignores SIGTERM: only the SIGKILL after the grace ends it.
    const proc = new ServiceProcess('sleeper', "trap '' TERM; sleep 30 & wait", PROJECT_ROOT, process.env);
    const pgid = proc.pid!;
    expect(liveProcessGroupIds()).toContain(pgid);
    expect(process.listenerCount('SIGINT')).toBe(baseline + 1);
    expect(process.listenerCount('SIGTERM')).toBeGreaterThan(0);
    await stopAllProcessGroups(300);
    expect(liveProcessGroupIds()).not.toContain(pgid);
    expect(
      await until(() => {
        try {
          process.kill(-pgid, 0);
          return false;
        } catch {
          return true;
        }
      }, 3_000),
    ).toBe(true);
    expect(process.listenerCount('SIGINT')).toBe(baseline);
  });
});
