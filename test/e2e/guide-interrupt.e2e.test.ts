/**
 * Ctrl-C in the interactive guide while an install runs: the install's whole process group is stopped, the guide exits
 * 130 within about a second, and the session on disk stays usable. The install is a stand-in `npm` on PATH that starts a
 * worker of its own and waits (as a real install waits on its downloads and build scripts), so it never ends by itself.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, runCli } from '../helpers/cli.js';
import { useFakeTools } from '../helpers/fake-tool.js';
import { plantStepOnePlan } from '../helpers/planted-step.js';
import { TmuxTerminal } from '../helpers/tmux.js';

let root: string;
let terminal: TmuxTerminal | undefined;
let tools: Awaited<ReturnType<typeof useFakeTools>> | undefined;

/** A process that still runs: a killed one may linger a moment as a zombie until init reaps it, which is not running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

beforeAll(() => assertBuilt());
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tg-interrupt-'));
  await mkdir(join(root, 'api'));
  await writeFile(
    join(root, 'api', 'package.json'),
    JSON.stringify({ name: 'api', scripts: { start: 'node index.js' }, dependencies: { express: '^4.21.0' } }),
  );
  await writeFile(
    join(root, 'api', 'index.js'),
    "const express = require('express');\nconst app = express();\napp.listen(4000);\n",
  );
});
afterEach(async () => {
  terminal?.close();
  terminal = undefined;
  await tools?.restore();
  tools = undefined;
  await rm(root, { recursive: true, force: true });
});

describe('Ctrl-C in the guide (tmux, 80x24)', () => {
  it('during an install: stops the install and its workers, exits 130 within about a second, and leaves the session usable', async () => {
    const pids = join(root, 'install-pids');
    // The stand-in install: its own pid, then a worker's, then it waits on the worker (five minutes).
    tools = await useFakeTools({
      npm: `echo $$ >> '${pids}'\nsleep 300 &\necho $! >> '${pids}'\necho "fetching packages"\nwait`,
    });
    await plantStepOnePlan(root, [
      {
        id: 'install',
        title: 'Install express',
        change: { kind: 'command', command: 'npm install express', cwd: 'api', touches: [] },
      },
    ]);

    terminal = new TmuxTerminal(`node ${BIN} resume ${root}`, { cwd: root, env: { PATH: process.env.PATH ?? '' } });
    await terminal.waitFor('a apply accepted');
    await terminal.ready();
    terminal.send('a');
    await terminal.waitFor('fetching packages');
    const started = (await readFile(pids, 'utf8')).trim().split('\n').map(Number);
    expect(started).toHaveLength(2);
    expect(started.every(alive)).toBe(true);

    const pressed = Date.now();
    terminal.send('C-c');
    await terminal.waitFor('[exit 130]', 5_000);
    const tookMs = Date.now() - pressed;
    expect(tookMs).toBeLessThan(2_000);
    // The install's whole group is gone: the stand-in and the worker it started.
    expect(started.filter(alive)).toEqual([]);

    // The session is the last one saved (step 1 in its apply, which the next start accounts for), its lock released.
    const status = await runCli(['status', root, '--json']);
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, session: { current: { number: 1, phase: 'apply' } } });
  });
});
