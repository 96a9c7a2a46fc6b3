import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, BIN } from '../helpers/cli.js';
import { TmuxTerminal } from '../helpers/tmux.js';

/*
 * The real guide in a real terminal (tmux, 80x24) on a small Express app written here: step 1 with the built-in
 * receiver, planned, applied and proven by the real checks (the receiver really starts on 127.0.0.1). Nothing is faked.
 */

let root: string;
let terminal: TmuxTerminal | undefined;

beforeAll(() => assertBuilt());
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tg-flow-'));
  await writeFile(
    join(root, 'package.json'),
    JSON.stringify(
      { name: 'shop', version: '1.0.0', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0' } },
      null,
      2,
    ),
  );
  await writeFile(
    join(root, 'server.js'),
    "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
  );
});
afterEach(async () => {
  terminal?.close();
  terminal = undefined;
  await rm(root, { recursive: true, force: true });
});

interface SavedStep {
  id: string;
  phase: string;
  outcome: string | null;
  checks: { itemId: string; status: string }[];
  applied: { proposalId: string; ok: boolean }[];
  decisions: Record<string, string>;
}

describe('the guide step flow in a real terminal', () => {
  it('plans, applies and proves step 1 with the built-in receiver, and records it in the session', async () => {
    const t = (terminal = new TmuxTerminal(`node ${BIN} ${root}`, { cwd: root }));
    await t.waitFor('Start the guide');
    await t.pressUntil('Enter', 'Where should traces go?');

    // The backend choice: the default (Jaeger) is preselected; the built-in receiver is the fifth option.
    await t.pressUntil('Down', /❯ Grafana Tempo/);
    for (let i = 0; i < 3; i++) t.send('Down');
    await t.waitFor("❯ trace-guide's built-in receiver");
    await t.pressUntil('Enter', 'Which OTLP protocol');
    await t.pressUntil('Enter', 'Plan this step');
    const review = await t.pressUntil('Enter', '(review)');
    expect(review).toContain("[x] Use trace-guide's built-in receiver");

    // The proposal's text, then back to the list.
    const diff = await t.pressUntil('Enter', 'esc closes');
    expect(diff).toContain('127.0.0.1:4318');
    await t.pressUntil('Escape', 'a apply accepted');

    const applied = await t.pressUntil('a', 'c run the checks');
    // A note is never ✓ (issue 14 item 2): this one is advice, nothing was changed.
    expect(applied).toContain("· Use trace-guide's built-in receiver — advice");
    expect(applied).toContain('(verify)');

    const proven = await t.pressUntil('c', '✓ step proven', 30_000);
    expect(proven).toMatch(/✓ Backend accepts OTLP .*:/);
    // At 80x24 the rail is the compact line of marks: step 1 done, the five others pending; the panel says (done).
    expect(proven).toMatch(/(?:^|\n)✓·····(?=\s|$)/);
    expect(proven).toMatch(/1\. Set up a trace backend \(done\)/);
    expect(proven).toContain('n next step');
    // The screen stays within 24 lines: the title line is still on it.
    expect(proven).toContain(`trace-guide · ${root}`);

    await t.pressUntil('q', '[exit 0]');

    const saved = JSON.parse(await readFile(join(root, '.trace-guide', 'session.json'), 'utf8')) as {
      inputs: Record<string, unknown>;
      steps: SavedStep[];
    };
    expect(saved.inputs).toMatchObject({ backend: 'local', 'otlp-protocol': 'http-protobuf' });
    const step1 = saved.steps[0]!;
    expect(step1).toMatchObject({ id: 'backend', phase: 'done', outcome: 'verified' });
    expect(step1.decisions).toEqual({ 'local-receiver': 'accepted' });
    expect(step1.applied).toEqual([expect.objectContaining({ proposalId: 'local-receiver', ok: true })]);
    expect(step1.checks).toContainEqual(expect.objectContaining({ itemId: 'backend-accepts-otlp', status: 'pass' }));
  }, 60_000);
});
