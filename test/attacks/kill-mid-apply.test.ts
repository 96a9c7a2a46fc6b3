/**
 * Attack (issue 15 item 9): kill -9 in the middle of `apply`. A file edited twice in one apply lost its first journal
 * entry on recovery, so `undo` exited 0 leaving the intermediate version; a kill loop over 400 files left 62–75 files
 * modified. Recovery follows each path's chain of writes (the oldest pre-image is the original), `status` mentions a
 * pending journal, and `--only` is honoured after an interrupted apply.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyProposals } from '../../src/edit/apply.js';
import { undoWrites } from '../../src/edit/undo.js';
import { ProposalSchema } from '../../src/types/proposal.js';
import { assertBuilt, BIN, runCli } from '../helpers/cli.js';
import { editOf, plantStepOnePlan } from '../helpers/planted-step.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const FILE_COUNT = 100;
const original = (i: number) => `// module ${i}\nexport const value${i} = ${i};\n`;
/** Every file is edited twice in one apply: `a` then `b` (which needs `a`). */
const proposals = () =>
  Array.from({ length: FILE_COUNT }, (_, i) => [
    editOf(`e${i}a`, `src/m${i}.js`, `= ${i};`, `= ${i}; // first`),
    editOf(`e${i}b`, `src/m${i}.js`, '// first', '// first, then second', [`e${i}a`]),
  ]).flat();

const JOURNAL = '.trace-guide/apply-journal.json';
let roots: string[] = [];

beforeAll(() => assertBuilt());
afterEach(async () => {
  for (const root of roots) await removeSampleRepo(root);
  roots = [];
});

async function freshRepo(): Promise<string> {
  const files: Record<string, string> = { 'package.json': '{"name":"many","version":"1.0.0"}\n' };
  for (let i = 0; i < FILE_COUNT; i++) files[`src/m${i}.js`] = original(i);
  const root = await makeSampleRepo(files);
  roots.push(root);
  await plantStepOnePlan(root, proposals());
  return root;
}

/** Every file has its original bytes, and nothing else (no temp file) was left in src/. */
async function expectOriginal(root: string, label: string): Promise<void> {
  const names = (await readdir(path.join(root, 'src'))).sort();
  expect(names, label).toEqual(Array.from({ length: FILE_COUNT }, (_, i) => `m${i}.js`).sort());
  const changed: string[] = [];
  for (let i = 0; i < FILE_COUNT; i++)
    if ((await readFile(path.join(root, `src/m${i}.js`), 'utf8')) !== original(i)) changed.push(`m${i}.js`);
  expect(changed, label).toEqual([]);
}

/** Starts `apply`, SIGKILLs it after `delayMs` (or once `when` holds), resolves when it is gone. */
async function applyKilled(root: string, kill: { delayMs: number } | { when: () => boolean }): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'apply', root, '--step', '1', '--yes', '--json'], { stdio: 'ignore' });
  const closed = new Promise((resolve) => child.on('close', resolve));
  if ('delayMs' in kill) {
    await new Promise((r) => setTimeout(r, kill.delayMs));
  } else {
    const started = Date.now();
    while (!kill.when() && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 2));
  }
  child.kill('SIGKILL');
  await closed;
}

describe('kill -9 mid-apply', () => {
  it('a file written twice in one apply, then a crash before the session recorded it: undo restores the original', async () => {
    const root = await makeSampleRepo({ 'app.js': original(7) });
    roots.push(root);
    const twice = [
      editOf('first', 'app.js', '= 7;', '= 7; // first'),
      editOf('second', 'app.js', '// first', '// first, then second', ['first']),
    ].map((p) => ProposalSchema.parse({ step: 'backend', source: 'recipe', why: 'attack test', ...p }));
    // Applied as a run does, but "killed" before the session recorded the writes: only the journal knows them.
    const { writes } = await applyProposals(root, twice);
    expect(writes).toHaveLength(2);
    expect(existsSync(path.join(root, JOURNAL))).toBe(true);

    const status = await runCli(['status', root, '--json']);
    expect(JSON.parse(status.stdout).pendingJournal).toEqual({ writes: 2 });
    const undo = await runCli(['undo', root, '--json']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await readFile(path.join(root, 'app.js'), 'utf8')).toBe(original(7));
  });

  it('an undo stopped midway (some files already back) finishes on the next undo, without --force', async () => {
    const root = await makeSampleRepo({ 'a.js': original(1), 'b.js': original(2) });
    roots.push(root);
    const both = [editOf('a', 'a.js', '= 1;', '= 1; // x'), editOf('b', 'b.js', '= 2;', '= 2; // x')].map((p) =>
      ProposalSchema.parse({ step: 'backend', source: 'recipe', why: 'attack test', ...p }),
    );
    const { writes } = await applyProposals(root, both);
    // The stopped undo had restored a.js only.
    await writeFile(path.join(root, 'a.js'), original(1));
    const outcome = await undoWrites(root, writes);
    expect(outcome.failed).toEqual([]);
    expect(outcome.undone).toHaveLength(2);
    expect(await readFile(path.join(root, 'b.js'), 'utf8')).toBe(original(2));
  });

  it('a SIGKILL loop at random points: after each, undo gives back every file byte for byte', async () => {
    // Calibrate: how long one whole apply takes here, so the kills land across its whole run.
    const timing = await freshRepo();
    const t0 = Date.now();
    const full = await runCli(['apply', timing, '--step', '1', '--yes', '--json'], { timeoutMs: 60_000 });
    const fullMs = Date.now() - t0;
    expect(full.code, full.stderr).toBe(0);

    // Up to 20 kills, within a time budget (the machine may be slow and shared).
    const ITERATIONS = 20;
    const BUDGET_MS = 90_000;
    const loopStart = Date.now();
    let interruptedWithJournal = 0;
    let iterations = 0;
    for (let n = 0; n < ITERATIONS && Date.now() - loopStart < BUDGET_MS; n++) {
      iterations++;
      const root = await freshRepo();
      // The first kill lands surely mid-apply (its journal exists); the others at random points of a whole run.
      const journal = path.join(root, JOURNAL);
      await applyKilled(
        root,
        n === 0 ? { when: () => existsSync(journal) } : { delayMs: Math.floor(Math.random() * fullMs) },
      );
      if (existsSync(path.join(root, JOURNAL)) && interruptedWithJournal++ === 0) {
        const status = await runCli(['status', root]);
        expect(status.stdout).toMatch(/An apply was interrupted: \d+ file write\(s\) are in its journal/);
      }
      const undo = await runCli(['undo', root, '--json'], { timeoutMs: 60_000 });
      expect(undo.code, `iteration ${n}: ${undo.stderr}`).toBe(0);
      await expectOriginal(root, `iteration ${n}`);
      await removeSampleRepo(root);
      roots = roots.filter((r) => r !== root);
    }
    // The loop is only a test if some kills landed mid-apply.
    expect(interruptedWithJournal).toBeGreaterThan(0);
    expect(iterations).toBeGreaterThanOrEqual(3);
  }, 300_000);

  it('--only is honoured after an interrupted apply: exactly the one proposal asked for is applied', async () => {
    const root = await freshRepo();
    await applyKilled(root, { when: () => existsSync(path.join(root, JOURNAL)) });
    const again = await runCli(['apply', root, '--step', '1', '--yes', '--json', '--only', `e${FILE_COUNT - 1}a`], {
      timeoutMs: 60_000,
    });
    const json = JSON.parse(again.stdout);
    expect(json.results.map((r: { proposalId: string }) => r.proposalId)).toEqual([`e${FILE_COUNT - 1}a`]);
    const undo = await runCli(['undo', root, '--json'], { timeoutMs: 60_000 });
    expect(undo.code, undo.stderr).toBe(0);
    await expectOriginal(root, 'after --only');
  }, 60_000);
});
