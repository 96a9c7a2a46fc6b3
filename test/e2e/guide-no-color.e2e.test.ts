/**
 * NO_COLOR (https://no-color.org) in a real terminal: the guide's screen carries no colour escapes at all, while the same
 * screen without NO_COLOR is coloured (so the check can tell the two apart).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, BIN } from '../helpers/cli.js';
import { TmuxTerminal } from '../helpers/tmux.js';

let root: string;
let terminal: TmuxTerminal | undefined;

/** SGR sequences that set a foreground or background colour (16, 256 or true colour). */
// eslint-disable-next-line no-control-regex
const COLOUR = /\u001B\[(?:[0-9;]*;)?(?:3[0-79]|4[0-79]|9[0-7]|10[0-7]|38;|48;)[0-9;]*m/;

beforeAll(() => assertBuilt());
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tg-nocolor-'));
  await mkdir(join(root, 'api'));
  await writeFile(
    join(root, 'api', 'package.json'),
    JSON.stringify({ name: 'api', scripts: { start: 'node index.js' }, dependencies: { express: '^4.21.0' } }),
  );
  await writeFile(join(root, 'api', 'index.js'), "const express = require('express');\nexpress().listen(4000);\n");
});
afterEach(async () => {
  terminal?.close();
  terminal = undefined;
  await rm(root, { recursive: true, force: true });
});

async function firstScreens(noColor: string): Promise<string[]> {
  // FORCE_COLOR=1 in both runs: colour is allowed (the helper's CI=0 alone makes chalk choose none), so NO_COLOR is the
  // only difference between them.
  terminal = new TmuxTerminal(`node ${BIN} ${root}`, {
    cwd: root,
    env: { NO_COLOR: noColor, FORCE_COLOR: '1', TERM: 'xterm-256color' },
  });
  await terminal.waitFor('Start the guide');
  const landing = terminal.screen({ escapes: true });
  // The step screen: the rail, the panel and a selected answer.
  await terminal.pressUntil('Enter', 'Where should traces go?');
  return [landing, terminal.screen({ escapes: true })];
}

describe('NO_COLOR in the guide (tmux)', () => {
  it('NO_COLOR=1: no colour escapes on the landing or the step screen', async () => {
    for (const screen of await firstScreens('1')) expect(screen).not.toMatch(COLOUR);
  });

  it('without NO_COLOR the same screens are coloured', async () => {
    const [landing] = await firstScreens('');
    expect(landing).toMatch(COLOUR);
  });
});
