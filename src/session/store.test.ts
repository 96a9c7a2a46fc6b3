import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSession } from '../../test/helpers/fixtures.js';
import { sha256 } from '../core/hash.js';
import { detectDrift } from './drift.js';
import { reduce } from './machine.js';
import { backupSession, loadSession, saveSession, sessionPath, SessionFileError } from './store.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tg-store-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function expectSessionError(reason: SessionFileError['reason'], pattern: RegExp) {
  const error = await loadSession(root).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SessionFileError);
  expect((error as SessionFileError).reason).toBe(reason);
  expect((error as SessionFileError).message).toMatch(pattern);
  expect((error as SessionFileError).hint).toMatch(/trace-guide reset/);
}

describe('session store', () => {
  it('returns undefined when the repo has no session', async () => {
    expect(await loadSession(root)).toBeUndefined();
  });

  it('saves and loads the same session, leaving no temp files and ignoring itself in git', async () => {
    const session = newSession(root);
    await saveSession(root, session);
    expect(await loadSession(root)).toEqual(session);
    const entries = await readdir(join(root, '.trace-guide'));
    expect(entries.sort()).toEqual(['.gitignore', 'session.json']);
    expect(await readFile(join(root, '.trace-guide', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('replaces the file atomically: an overwrite leaves either the old or the new content', async () => {
    const first = newSession(root);
    await saveSession(root, first);
    const second = reduce(first, { type: 'set-inputs', inputs: { backend: 'local' } }, '2026-11-25T13:00:00.000Z');
    if (!second.ok) throw new Error(second.error);
    await Promise.all([saveSession(root, second.session), saveSession(root, second.session)]);
    const loaded = await loadSession(root);
    expect(loaded?.inputs).toEqual({ backend: 'local' });
    expect((await readdir(join(root, '.trace-guide'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('reports a corrupt file clearly and leaves it in place', async () => {
    await mkdir(join(root, '.trace-guide'));
    await writeFile(sessionPath(root), '{"version": 1, "steps": [');
    await expectSessionError('corrupt', /is not valid JSON/);
    expect(await readFile(sessionPath(root), 'utf8')).toBe('{"version": 1, "steps": [');
  });

  it('reports a file from a newer trace-guide', async () => {
    await mkdir(join(root, '.trace-guide'));
    await writeFile(sessionPath(root), JSON.stringify({ ...newSession(root), version: 7 }));
    await expectSessionError('future-version', /newer trace-guide \(session version 7\)/);
  });

  it('names the field that does not match the format', async () => {
    await mkdir(join(root, '.trace-guide'));
    const broken = { ...newSession(root), current: 9 };
    await writeFile(sessionPath(root), JSON.stringify(broken));
    await expectSessionError('invalid', /current: expected a number <= 5/);
  });

  it('keeps the old file as a timestamped backup when starting fresh', async () => {
    await mkdir(join(root, '.trace-guide'));
    await writeFile(sessionPath(root), 'not json at all');
    const backup = await backupSession(root, new Date('2026-11-25T12:00:00.000Z'));
    expect(backup).toBe(join('.trace-guide', 'session.2026-11-25T12-00-00-000Z.bak.json'));
    expect(await readFile(join(root, backup!), 'utf8')).toBe('not json at all');
    expect(await loadSession(root)).toBeUndefined();
    await writeFile(sessionPath(root), 'second');
    const again = await backupSession(root, new Date('2026-11-25T12:00:00.000Z'));
    expect(again).not.toBe(backup);
    expect(await backupSession(root)).toBeUndefined();
  });
});

describe('drift', () => {
  it('reports files changed or deleted since trace-guide wrote them, and nothing else', async () => {
    const session = newSession(root);
    await writeFile(join(root, 'kept.yaml'), 'a: 1\n');
    await writeFile(join(root, 'edited.yaml'), 'b: 2\n');
    await writeFile(join(root, 'gone.yaml'), 'c: 3\n');
    const written = (path: string, content: string) => ({
      path,
      sha256: sha256(content),
      step: 'backend' as const,
      writtenAt: session.createdAt,
    });
    session.files = {
      'kept.yaml': written('kept.yaml', 'a: 1\n'),
      'edited.yaml': written('edited.yaml', 'b: 2\n'),
      'gone.yaml': written('gone.yaml', 'c: 3\n'),
    };
    await writeFile(join(root, 'edited.yaml'), 'b: 3\n');
    await rm(join(root, 'gone.yaml'));
    expect(await detectDrift(root, session)).toEqual([
      { path: 'edited.yaml', step: 'backend', kind: 'modified' },
      { path: 'gone.yaml', step: 'backend', kind: 'deleted' },
    ]);
    expect(await readFile(join(root, 'edited.yaml'), 'utf8')).toBe('b: 3\n');
  });
});
