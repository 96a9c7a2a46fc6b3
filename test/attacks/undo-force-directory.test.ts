/**
 * Attack (issue 15 item 11): `undo --force` when a file trace-guide wrote has become a folder crashed with exit 3 and
 * left the session inconsistent (some files restored, the session still listing their writes). Now: a clear error for
 * that path, the other files restored, the session listing exactly the writes still on disk — so a later undo finishes.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../helpers/cli.js';
import { editOf, plantStepOnePlan } from '../helpers/planted-step.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const FILES = { 'a.js': 'const a = 1;\n', 'b.js': 'const b = 2;\n', 'c.js': 'const c = 3;\n' };
let root: string | undefined;

beforeAll(() => assertBuilt());
afterEach(async () => {
  if (root) await removeSampleRepo(root);
  root = undefined;
});

async function sessionWrites(dir: string): Promise<string[]> {
  const session = JSON.parse(await readFile(path.join(dir, '.trace-guide', 'session.json'), 'utf8'));
  return session.writes.map((w: { path: string }) => w.path);
}

describe('undo --force on a path that became a folder', () => {
  it('reports that path clearly (exit 1, not a crash), restores the others, and keeps the session consistent', async () => {
    root = await makeSampleRepo(FILES);
    await plantStepOnePlan(root, [
      editOf('a', 'a.js', '= 1;', '= 1; // traced'),
      editOf('b', 'b.js', '= 2;', '= 2; // traced'),
      editOf('c', 'c.js', '= 3;', '= 3; // traced'),
    ]);
    const apply = await runCli(['apply', root, '--step', '1', '--yes', '--json']);
    expect(apply.code, apply.stderr).toBe(0);

    await rm(path.join(root, 'b.js'));
    await mkdir(path.join(root, 'b.js'));
    await writeFile(path.join(root, 'b.js', 'keep.txt'), 'the user made this folder\n');

    const undo = await runCli(['undo', root, '--force', '--json']);
    expect(undo.code, undo.stderr).toBe(1);
    const json = JSON.parse(undo.stdout);
    expect(json.failed).toEqual([{ path: 'b.js', message: expect.stringMatching(/is now a folder/) }]);
    expect(json.restored.sort()).toEqual(['a.js', 'c.js']);
    expect(await readFile(path.join(root, 'a.js'), 'utf8')).toBe(FILES['a.js']);
    expect(await readFile(path.join(root, 'c.js'), 'utf8')).toBe(FILES['c.js']);
    // The folder and what is in it are untouched.
    expect(await readFile(path.join(root, 'b.js', 'keep.txt'), 'utf8')).toBe('the user made this folder\n');
    // The session still knows (only) the write it could not undo.
    expect(await sessionWrites(root)).toEqual(['b.js']);

    // Once the folder is gone, undo finishes the job.
    await rm(path.join(root, 'b.js'), { recursive: true });
    const again = await runCli(['undo', root, '--force', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(await readFile(path.join(root, 'b.js'), 'utf8')).toBe(FILES['b.js']);
    expect(await sessionWrites(root)).toEqual([]);
  });
});
