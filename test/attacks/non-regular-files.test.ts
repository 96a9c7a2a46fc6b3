/**
 * Attack (issue 15 item 14): non-regular files. A FIFO at a tracked path or at the session file must not hang anything
 * (the scan, the recipes' reader, the session load, the drift check, a proposal's target); a symlink to /dev/zero must
 * not be read. A FIFO is given a writer that holds it open for a few seconds, so a reader that opens and reads it blocks
 * for that long instead of forever: the tests then fail on time rather than hang the suite.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { scanRepo } from '../../src/repo/scan.js';
import { RepoReader } from '../../src/repo/repo-reader.js';
import { resolveInRepo } from '../../src/edit/safe-path.js';
import { loadSession } from '../../src/session/store.js';
import { detectDrift } from '../../src/session/drift.js';
import { TraceGuideError } from '../../src/core/errors.js';
import { resolveNodePackage } from '../../src/lang/node/doctor/packages.js';
import { writesThatHappened } from '../../src/edit/journal.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const HOLD_SECONDS = 3;
const FAST_MS = 1500;
const writers: ChildProcess[] = [];

function mkfifo(abs: string): void {
  const made = spawnSync('mkfifo', [abs]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
}

/** A writer that opens the FIFO (blocking until a reader comes), holds it a few seconds, then closes it. */
function holdWriter(abs: string): void {
  writers.push(spawn('sh', ['-c', `sleep ${HOLD_SECONDS} > "$1"`, 'sh', abs], { stdio: 'ignore' }));
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await run();
  return { value, ms: Date.now() - started };
}

let root: string;

beforeAll(async () => {
  root = await makeSampleRepo(
    {
      'package.json':
        JSON.stringify({ name: 'api', version: '1.0.0', main: 'index.js', dependencies: { express: '^4.19.0' } }) +
        '\n',
      'index.js': "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
      'routes.js': 'module.exports = 1;\n',
    },
    { git: true },
  );
  // routes.js is tracked by git, then replaced with a FIFO in the work tree.
  await rm(path.join(root, 'routes.js'));
  mkfifo(path.join(root, 'routes.js'));
  await symlink('/dev/zero', path.join(root, 'zero.js'));
});

afterEach(() => {
  for (const w of writers.splice(0)) w.kill('SIGKILL');
});

afterAll(async () => {
  await removeSampleRepo(root);
});

describe('non-regular files', () => {
  it('the scan does not block on a FIFO at a tracked path', async () => {
    holdWriter(path.join(root, 'routes.js'));
    const { value: scan, ms } = await timed(() => scanRepo(root));
    expect(ms).toBeLessThan(FAST_MS);
    expect(scan.services.map((s) => s.name)).toEqual(['api']);
  }, 20_000);

  it('the recipes / checks reader refuses a FIFO and a symlink to /dev/zero', async () => {
    holdWriter(path.join(root, 'routes.js'));
    const repo = new RepoReader(root);
    const { value, ms } = await timed(async () => [await repo.read('routes.js'), await repo.read('zero.js')]);
    expect(ms).toBeLessThan(FAST_MS);
    expect(value).toEqual([undefined, undefined]);
  }, 20_000);

  it('a proposal targeting a FIFO is refused before anything opens it', async () => {
    await expect(resolveInRepo(root, 'routes.js')).rejects.toThrow(/not a regular file/);
  });

  it('a FIFO at the session file is a clear input error, not a hang', async () => {
    const dir = path.join(root, '.trace-guide');
    await mkdir(dir, { recursive: true });
    mkfifo(path.join(dir, 'session.json'));
    holdWriter(path.join(dir, 'session.json'));
    try {
      const started = Date.now();
      const error = await loadSession(root).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(FAST_MS);
      expect(error).toBeInstanceOf(TraceGuideError);
      expect((error as TraceGuideError).kind).toBe('input');
      expect((error as Error).message).toMatch(/not a regular file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it('a FIFO planted as the apply journal is refused before anything reads it', async () => {
    const dir = path.join(root, '.trace-guide');
    await mkdir(dir, { recursive: true });
    mkfifo(path.join(dir, 'apply-journal.json'));
    holdWriter(path.join(dir, 'apply-journal.json'));
    try {
      const started = Date.now();
      const error = await loadSession(root).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(FAST_MS);
      expect((error as TraceGuideError).kind).toBe('input');
      expect((error as Error).message).toMatch(/apply-journal\.json is not a regular file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it("the doctor's node_modules lookup does not block on a FIFO planted as a package.json", async () => {
    const pkg = path.join(root, 'node_modules', '@opentelemetry', 'api');
    await mkdir(pkg, { recursive: true });
    mkfifo(path.join(pkg, 'package.json'));
    holdWriter(path.join(pkg, 'package.json'));
    try {
      const { value, ms } = await timed(async () => resolveNodePackage(root, root, '@opentelemetry/api'));
      expect(ms).toBeLessThan(FAST_MS);
      expect(value).toBeUndefined();
    } finally {
      await rm(path.join(root, 'node_modules'), { recursive: true, force: true });
    }
  }, 20_000);

  it('journal recovery does not block on a FIFO at a journalled path', async () => {
    holdWriter(path.join(root, 'routes.js'));
    const write = {
      path: 'routes.js',
      step: 'auto-instrumentation',
      proposalId: 'p1',
      before: null,
      after: { sha256: 'x'.repeat(64) },
      at: new Date(0).toISOString(),
    };
    const { value, ms } = await timed(() => writesThatHappened(root, [write] as never));
    expect(ms).toBeLessThan(FAST_MS);
    expect(value).toEqual([]);
  }, 20_000);

  it('the drift check reports a FIFO or /dev/zero at a written path as unreadable without reading it', async () => {
    holdWriter(path.join(root, 'routes.js'));
    const files = {
      'routes.js': { step: 'auto-instrumentation', sha256: 'x'.repeat(64) },
      'zero.js': { step: 'auto-instrumentation', sha256: 'x'.repeat(64) },
    };
    const { value, ms } = await timed(() => detectDrift(root, { files } as never));
    expect(ms).toBeLessThan(FAST_MS);
    expect(value.map((d) => `${d.path}:${d.kind}`)).toEqual(['routes.js:unreadable', 'zero.js:unreadable']);
  }, 20_000);
});
