import { chmod, lstat, readdir, readFile, realpath, rm, rmdir } from 'node:fs/promises';
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

/** What is at a path now: a regular file's bytes, nothing, or something undo must not replace (a folder, a FIFO...). */
type Found = { kind: 'file'; content: Buffer } | { kind: 'none' } | { kind: 'other'; what: string };

async function found(abs: string): Promise<Found> {
  let info;
  try {
    info = await lstat(abs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return { kind: 'none' };
    throw error;
  }
  if (info.isDirectory()) return { kind: 'other', what: 'a folder' };
  if (info.isSymbolicLink()) return { kind: 'other', what: 'a symlink' };
  if (!info.isFile()) return { kind: 'other', what: 'not a regular file' };
  return { kind: 'file', content: await readFile(abs) };
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

/** One path to restore: its writes in the list (oldest first); the oldest one's `before` is the state to restore. */
interface PathChain {
  rel: string;
  abs: string;
  writes: AppliedWrite[];
}

/**
 * Walks writes back, restoring the exact bytes and mode of before (removing files that were created). For each path
 * the chain of its writes is followed to the oldest one, whose pre-image is the original. Before anything is restored,
 * every file is checked: a file changed since trace-guide wrote it is not touched (unless `force`), so a user's later
 * edits are never lost silently, and something that is no longer a file (a folder, a symlink) is never replaced, even
 * with `force`: that path is reported and the others are restored. Backups are verified by hash before use. The
 * writes returned as undone are exactly those whose file is back, so the session can be kept consistent with the disk.
 */
export async function undoWrites(
  root: string,
  writes: readonly AppliedWrite[],
  options: UndoOptions = {},
): Promise<UndoOutcome> {
  const failed: UndoOutcome['failed'] = [];
  const keptAside: Record<string, string> = {};

  const chains = new Map<string, PathChain>();
  for (const write of writes) {
    const chain = chains.get(write.path);
    if (chain) chain.writes.push(write);
    else chains.set(write.path, { rel: write.path, abs: '', writes: [write] });
  }

  // Check every path against the state trace-guide left it in: the `after` of its newest write.
  const blocked = new Set<string>();
  const alreadyBack = new Set<string>();
  for (const chain of chains.values()) {
    const newest = chain.writes[chain.writes.length - 1]!;
    let now: Found;
    try {
      chain.abs = await resolveInRepo(root, chain.rel);
      now = await found(chain.abs);
    } catch (error) {
      blocked.add(chain.rel);
      failed.push({ path: chain.rel, message: `cannot be restored: ${(error as Error).message}` });
      continue;
    }
    if (now.kind === 'other') {
      blocked.add(chain.rel);
      failed.push({
        path: chain.rel,
        message: `is now ${now.what}; trace-guide never replaces it with a file, so nothing was restored here (move it away, then run undo again)`,
      });
      continue;
    }
    const matches =
      newest.after === null ? now.kind === 'none' : now.kind === 'file' && sha256(now.content) === newest.after.sha256;
    if (matches) continue;
    const oldest = chain.writes[0]!;
    const original =
      oldest.before === null
        ? now.kind === 'none'
        : now.kind === 'file' && sha256(now.content) === oldest.before.sha256;
    if (original) {
      // Already back to the original (an undo stopped midway, or the user undid it by hand): nothing to overwrite.
      alreadyBack.add(chain.rel);
      continue;
    }
    if (!options.force) {
      blocked.add(chain.rel);
      failed.push({
        path: chain.rel,
        message:
          now.kind === 'none'
            ? 'was deleted since trace-guide wrote it; nothing restored (use --force to restore it anyway)'
            : 'was changed since trace-guide wrote it; nothing restored, so your changes are kept (use --force to restore the old version; your current version is then backed up)',
      });
    } else if (now.kind === 'file') {
      keptAside[chain.rel] = (await storeBackup(root, now.content)).backup;
    }
  }
  // Without --force a conflict stops everything: the user decides before any file changes.
  if (failed.length > 0 && !options.force) return { undone: [], failed, keptAside };

  // Verify every backup before the first file is touched.
  const restore: { chain: PathChain; content: Buffer | null; mode: number | undefined }[] = [];
  for (const chain of chains.values()) {
    if (blocked.has(chain.rel)) continue;
    const oldest = chain.writes[0]!;
    try {
      const content =
        oldest.before === null ? null : await readBackup(root, oldest.before.backup, oldest.before.sha256);
      restore.push({ chain, content, mode: oldest.before?.mode });
    } catch (error) {
      failed.push({ path: chain.rel, message: (error as Error).message });
    }
  }
  if (restore.length < chains.size - blocked.size) return { undone: [], failed, keptAside };

  const back = new Set<AppliedWrite>();
  for (const { chain, content, mode } of restore) {
    try {
      if (alreadyBack.has(chain.rel)) {
        if (mode !== undefined && content !== null) await chmod(chain.abs, mode);
      } else if (content === null) {
        await rm(chain.abs, { force: true });
        await pruneEmptyParents(await realpath(root), chain.abs);
      } else {
        await writeFileAtomic(chain.abs, content, mode !== undefined ? { mode } : {});
      }
      for (const write of chain.writes) back.add(write);
    } catch (error) {
      failed.push({ path: chain.rel, message: `could not be restored: ${(error as Error).message}` });
    }
  }
  const undone = [...writes].reverse().filter((write) => back.has(write));
  return { undone, failed, keptAside };
}

/** The writes of one step, refusing when a later step wrote the same file after it (that step must be undone first). */
export function writesOfStep(
  all: readonly AppliedWrite[],
  step: AppliedWrite['step'],
): { writes: AppliedWrite[]; blockedBy: AppliedWrite[] } {
  const writes = all.filter((w) => w.step === step);
  const lastIndex = Math.max(...writes.map((w) => all.indexOf(w)), -1);
  const paths = new Set(writes.map((w) => w.path));
  const blockedBy = all.slice(lastIndex + 1).filter((w) => w.step !== step && paths.has(w.path));
  return { writes, blockedBy };
}
