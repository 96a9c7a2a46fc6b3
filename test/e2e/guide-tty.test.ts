import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, BIN } from '../helpers/cli.js';
import { TmuxTerminal } from '../helpers/tmux.js';

let root: string;
let terminal: TmuxTerminal | undefined;

function guide(args: string): TmuxTerminal {
  terminal = new TmuxTerminal(`node ${BIN} ${args}`, { cwd: root });
  return terminal;
}

beforeAll(() => assertBuilt());
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tg-tty-'));
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
  await rm(root, { recursive: true, force: true });
});

describe('the interactive guide in a real terminal (tmux, 80x24)', () => {
  it('starts a session, quits with it saved, offers to resume it, and resumes without asking', async () => {
    const first = guide(root);
    const landing = await first.waitFor('Start the guide');
    expect(landing).toContain('1 service(s)');
    expect(landing).toMatch(/api .*node · express/);
    await first.pressUntil('Enter', '(plan)');
    await first.pressUntil('q', '[exit 0]');
    first.close();

    const saved = JSON.parse(await readFile(join(root, '.trace-guide', 'session.json'), 'utf8')) as {
      current: number;
      scan: { services: unknown[] };
    };
    expect(saved.current).toBe(0);
    expect(saved.scan.services).toHaveLength(1);

    const second = guide(root);
    const offer = await second.waitFor('Resume where it stopped');
    expect(offer).toMatch(/stopped at step 1/);
    await second.pressUntil('Enter', '(plan)');
    await second.pressUntil('q', '[exit 0]');
    second.close();

    const third = guide(`resume ${root}`);
    const resumed = await third.waitFor('(plan)');
    expect(resumed).not.toContain('Resume where it stopped');
    await third.pressUntil('C-c', /\[exit \d+\]/);
    // Ctrl-C leaves the saved session intact.
    const after = JSON.parse(await readFile(join(root, '.trace-guide', 'session.json'), 'utf8')) as { id: string };
    expect(after).toMatchObject({ current: 0 });
  });

  it('offers a fresh start when the session file is corrupt, keeping it as a backup', async () => {
    await mkdir(join(root, '.trace-guide'));
    await writeFile(join(root, '.trace-guide', 'session.json'), '{"version":1,');
    const t = guide(root);
    await t.waitFor('is not valid JSON');
    await t.pressUntil('Enter', 'previous session file was kept as');
    await t.pressUntil('q', '[exit 0]');
    const backups = (await import('node:fs'))
      .readdirSync(join(root, '.trace-guide'))
      .filter((name) => name.endsWith('.bak.json'));
    expect(backups).toHaveLength(1);
    expect(await readFile(join(root, '.trace-guide', backups[0]!), 'utf8')).toBe('{"version":1,');
  });
});
