import { readdir, readFile, realpath, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { sha256 } from '../core/hash.js';
import type { AppliedWrite } from '../session/schema.js';
import { readBackup, storeBackup } from './backup.js';
import { resolveInRepo } from './safe-path.js';

export interface UndoOptions {
  /** Restore even files changed since trace-guide wrote them (their current content is backed up first). */
  force?: boolean;
}

export interface UndoOutcome {
  /** Writes walked back, newest first. */
  undone: AppliedWrite[];
  failed: { path: string; message: string }[];
  /** Backups of content that --force replaced, by path. */
  keptAside: Record<string, string>;
}

async function current(abs: string): Promise<Buffer | null> {
  try {
    return await readFile(abs);
  } catch {
    return null;
  }
}

/** Removes folders left empty by removing a created file, up to (not including) the repo root. */
async function pruneEmptyParents(root: string, abs: string): Promise<void> {
  for (let dir = path.dirname(abs); dir.startsWith(root + path.sep); dir = path.dirname(dir)) {
    try {
      if ((await readdir(dir)).length > 0) return;
      await rmdir(dir);
    } catch {
      return;
    }
  }
}

/**
 * Walks writes back, newest first, restoring the exact bytes of before (removing files that were created). Before
 * anything is restored, every file is checked: a file changed since trace-guide wrote it is not touched (unless
 * `force`), so a user's later edits are never lost silently. Backups are verified by hash before use.
 */
export async function undoWrites(root: string, writes: readonly AppliedWrite[], options: UndoOptions = {}): Promise<UndoOutcome> {
  const newestFirst = [...writes].reverse();
  const failed: UndoOutcome['failed'] = [];
  const keptAside: Record<string, string> = {};

  // The state each path must be in now: the `after` of its newest write in the list.
  const expected = new Map<string, AppliedWrite>();
  for (const write of newestFirst) if (!expected.has(write.path)) expected.set(write.path, write);
  for (const [rel, write] of expected) {
    const abs = await resolveInRepo(root, rel);
    const now = await current(abs);
    const matches = write.after === null ? now === null : now !== null && sha256(now) === write.after.sha256;
    if (matches) continue;
    if (!options.force) {
      failed.push({
        path: rel,
        message:
          now === null
            ? 'was deleted since trace-guide wrote it; nothing restored (use --force to restore it anyway)'
            : 'was changed since trace-guide wrote it; nothing restored, so your changes are kept (use --force to restore the old version; your current version is then backed up)',
      });
    } else if (now !== null) {
      keptAside[rel] = (await storeBackup(root, now)).backup;
    }
  }
  if (failed.length > 0) return { undone: [], failed, keptAside };

  // Verify every backup before the first file is touched.
  const restore: { write: AppliedWrite; abs: string; content: Buffer | null }[] = [];
  for (const write of newestFirst) {
    const abs = await resolveInRepo(root, write.path);
    try {
      const content = write.before === null ? null : await readBackup(root, write.before.backup, write.before.sha256);
      restore.push({ write, abs, content });
    } catch (error) {
      failed.push({ path: write.path, message: (error as Error).message });
    }
  }
  if (failed.length > 0) return { undone: [], failed, keptAside };

  const undone: AppliedWrite[] = [];
  for (const { write, abs, content } of restore) {
    if (content === null) {
      await rm(abs, { force: true });
      await pruneEmptyParents(await realpath(root), abs);
    } else {
      await writeFileAtomic(abs, content);
    }
    undone.push(write);
  }
  return { undone, failed, keptAside };
}

/** The writes of one step, refusing when a later step wrote the same file after it (that step must be undone first). */
export function writesOfStep(all: readonly AppliedWrite[], step: AppliedWrite['step']): { writes: AppliedWrite[]; blockedBy: AppliedWrite[] } {
  const writes = all.filter((w) => w.step === step);
  const lastIndex = Math.max(...writes.map((w) => all.indexOf(w)), -1);
  const paths = new Set(writes.map((w) => w.path));
  const blockedBy = all.slice(lastIndex + 1).filter((w) => w.step !== step && paths.has(w.path));
  return { writes, blockedBy };
}
