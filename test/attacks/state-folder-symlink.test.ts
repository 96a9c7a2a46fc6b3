/**
 * Attack (issue 15 item 4): a repo can ship `.trace-guide` (or `.trace-guide/backups`, or `.trace-guide/session.json`)
 * as a symlink out of the repo. trace-guide must refuse it with a clear error (exit 2) and write nothing outside.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { storeBackup } from '../../src/edit/backup.js';
import { TraceGuideError } from '../../src/core/errors.js';
import { ensureStateDir, loadSession } from '../../src/session/store.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const FILES = {
  'package.json':
    JSON.stringify({ name: 'api', version: '1.0.0', main: 'index.js', dependencies: { express: '^4.19.0' } }) + '\n',
  'index.js': "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
};

let root: string;
let outside: string;

beforeEach(async () => {
  root = await makeSampleRepo(FILES);
  outside = await mkdtemp(path.join(os.tmpdir(), 'tg-outside-state-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await removeSampleRepo(root);
  await rm(outside, { recursive: true, force: true });
});

async function inputErrorOf(run: () => Promise<unknown>): Promise<TraceGuideError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TraceGuideError);
  expect((error as TraceGuideError).kind).toBe('input');
  return error as TraceGuideError;
}

describe('the state folder through a symlink', () => {
  it('`plan` in a repo whose .trace-guide is a symlink out exits 2 and writes nothing outside', async () => {
    await symlink(outside, path.join(root, '.trace-guide'));
    const code = await main(['plan', root, '--step', '1', '--json']);
    expect(code).toBe(2);
    expect(await readdir(outside)).toEqual([]);
  });

  it('the session is neither read nor written through a symlinked state folder', async () => {
    await writeFile(path.join(outside, 'session.json'), '{"planted": true}');
    await symlink(outside, path.join(root, '.trace-guide'));
    const read = await inputErrorOf(() => loadSession(root));
    expect(read.message).toMatch(/\.trace-guide\/ is a symlink/);
    await inputErrorOf(() => ensureStateDir(root));
    expect(await readdir(outside)).toEqual(['session.json']);
  });

  it('backups are not written through a symlinked backups/ folder', async () => {
    await mkdir(path.join(root, '.trace-guide'));
    await symlink(outside, path.join(root, '.trace-guide', 'backups'));
    const error = await inputErrorOf(() => storeBackup(root, Buffer.from('pre-image')));
    expect(error.message).toMatch(/\.trace-guide\/backups is a symlink/);
    expect(await readdir(outside)).toEqual([]);
  });

  it('a dangling .gitignore symlink in the state folder is not written through', async () => {
    await mkdir(path.join(root, '.trace-guide'));
    await symlink(path.join(outside, 'created-by-trace-guide'), path.join(root, '.trace-guide', '.gitignore'));
    await inputErrorOf(() => ensureStateDir(root));
    expect(await readdir(outside)).toEqual([]);
  });
});
