/**
 * Attack (issue 15 item 16): honest exit codes. `--commit` outside git (or refused by a hook) exited 3 after files were
 * written and staged, with no `written` in the JSON; `--only ""` was accepted; a refused edit exited 2 as if the command
 * line were wrong. Now: --commit outside git is refused before anything is written (exit 2); a refused commit reports
 * the written files and git's reason (exit 1); an empty --only is a usage error (exit 2); a proposal that did not apply
 * exits 1 ("the work was not done"), documented in --help.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../helpers/cli.js';
import { editOf, plantStepOnePlan } from '../helpers/planted-step.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const FILES = { 'app.js': 'const port = 3000;\n', '.gitignore': '.trace-guide/\n' };
const GIT_ENV = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};
let root: string | undefined;

beforeAll(() => assertBuilt());
afterEach(async () => {
  if (root) await removeSampleRepo(root);
  root = undefined;
});

const plan = (dir: string) => plantStepOnePlan(dir, [editOf('port', 'app.js', '= 3000;', '= 3000; // traced')]);

describe('exit codes', () => {
  it('--commit outside git is refused before anything is written (exit 2)', async () => {
    root = await makeSampleRepo(FILES);
    await plan(root);
    const run = await runCli(['apply', root, '--step', '1', '--yes', '--commit', '--json']);
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout).error.message).toMatch(/--commit needs a git repository/);
    expect(await readFile(path.join(root, 'app.js'), 'utf8')).toBe(FILES['app.js']);
  });

  it('a commit refused by a hook: the written files and the reason are reported, exit 1, and undo still works', async () => {
    root = await makeSampleRepo(FILES, { git: true });
    const hook = path.join(root, '.git', 'hooks', 'pre-commit');
    await writeFile(hook, '#!/bin/sh\necho "policy: no commits today" >&2\nexit 1\n');
    await chmod(hook, 0o755);
    await plan(root);
    const run = await runCli(['apply', root, '--step', '1', '--yes', '--commit', '--json'], { env: GIT_ENV });
    expect(run.code, run.stderr).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(json.ok).toBe(false);
    expect(json.written).toEqual([{ path: 'app.js', created: false, deleted: false }]);
    expect(json.commit).toBeNull();
    expect(json.commitError).toMatch(/git did not commit/);
    const undo = await runCli(['undo', root, '--json']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await readFile(path.join(root, 'app.js'), 'utf8')).toBe(FILES['app.js']);
  });

  it('--only "" (or only commas) is a usage error', async () => {
    root = await makeSampleRepo(FILES);
    for (const only of ['', ',', ' , ']) {
      const run = await runCli(['apply', root, '--step', '1', '--yes', '--only', only, '--json']);
      expect(run.code, `--only "${only}"`).toBe(2);
      expect(run.stderr).toMatch(/--only expects proposal ids/);
    }
  });

  it('a refused edit (its old text is not in the file) exits 1, not 2, and says why', async () => {
    root = await makeSampleRepo(FILES);
    await plantStepOnePlan(root, [editOf('gone', 'app.js', 'const host =', 'const host = // traced')]);
    const run = await runCli(['apply', root, '--step', '1', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(json.results).toHaveLength(1);
    expect(json.results[0]).toMatchObject({
      proposalId: 'gone',
      ok: false,
      message: expect.stringMatching(/is not in the file/),
    });
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/1 {2}checks failed, or the work asked for was not \(fully\) done/);
  });
});
