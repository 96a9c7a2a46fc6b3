import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-write.js';
import { sha256 } from '../core/hash.js';
import { processAlive } from '../core/process-alive.js';
import { AppliedWriteSchema, type AppliedWrite } from '../session/schema.js';
import { ensureStateDir, STATE_DIR } from '../session/store.js';
import { readRepoBytes } from '../repo/read.js';

/**
 * The apply journal: every write is recorded here (with its backup) *before* the file is replaced, and the journal is
 * cleared once the session has recorded the writes. If trace-guide is killed in between, the next run finds the journal
 * and recovers the writes that really happened, so undo still knows every pre-image.
 */
export const JOURNAL_FILE = `${STATE_DIR}/apply-journal.json`;

const JournalSchema = z.object({ writes: z.array(AppliedWriteSchema) });

function journalPath(root: string): string {
  return path.join(root, ...JOURNAL_FILE.split('/'));
}

export async function readJournal(root: string): Promise<AppliedWrite[]> {
  let text: string;
  try {
    text = await readFile(journalPath(root), 'utf8');
  } catch {
    return [];
  }
  try {
    return JournalSchema.parse(JSON.parse(text)).writes;
  } catch {
    // A journal torn by a crash cannot be trusted; the backups it pointed to are still on disk.
    return [];
  }
}

export async function writeJournal(root: string, writes: AppliedWrite[]): Promise<void> {
  await ensureStateDir(root);
  await writeFileAtomic(journalPath(root), JSON.stringify({ writes }, null, 2) + '\n');
}

export async function clearJournal(root: string): Promise<void> {
  await rm(journalPath(root), { force: true });
}

async function currentHash(root: string, rel: string): Promise<string | null> {
  // Through the safe reader: a FIFO, a device or a symlink out of the repo at a journalled path is never read.
  const read = readRepoBytes(root, rel, 64 * 1024 * 1024);
  return read.ok ? sha256(read.bytes) : null;
}

/**
 * Of the journalled writes, those that really reached the disk. Each write is journalled before its file is replaced,
 * so per path the journal holds a chain (A → B, B → C, ...) of which a prefix happened: the writes up to the newest one
 * whose `after` is what the file holds now. All of that prefix is kept — its oldest `before` is the original that undo
 * must restore — not only the last link.
 */
export async function writesThatHappened(root: string, journal: AppliedWrite[]): Promise<AppliedWrite[]> {
  const byPath = new Map<string, AppliedWrite[]>();
  for (const write of journal) byPath.set(write.path, [...(byPath.get(write.path) ?? []), write]);
  const happened = new Set<AppliedWrite>();
  for (const [rel, chain] of byPath) {
    const now = await currentHash(root, rel);
    let last = -1;
    chain.forEach((write, index) => {
      if ((write.after === null && now === null) || (write.after !== null && write.after.sha256 === now)) last = index;
    });
    for (const write of chain.slice(0, last + 1)) happened.add(write);
  }
  return journal.filter((write) => happened.has(write));
}

/** The temp file name writeFileAtomic uses beside `base`: `.<base>.<pid>.<8 hex>.tmp`; gives the pid. */
function tempOwner(name: string, base: string): number | undefined {
  const prefix = `.${base}.`;
  if (!name.startsWith(prefix) || !name.endsWith('.tmp')) return undefined;
  const match = /^(\d+)\.[0-9a-f]{8}$/.exec(name.slice(prefix.length, -'.tmp'.length));
  return match ? Number(match[1]) : undefined;
}

/**
 * Removes the temp files a killed run left beside the journalled paths (an atomic write stopped between writing its
 * temp file and renaming it). Only temp files of processes no longer alive are removed. Returns their repo paths.
 */
export async function removeStaleTemps(root: string, journal: AppliedWrite[]): Promise<string[]> {
  const removed: string[] = [];
  const seen = new Set<string>();
  for (const write of journal) {
    if (seen.has(write.path)) continue;
    seen.add(write.path);
    const parts = write.path.split('/');
    const base = parts.pop()!;
    const dir = path.join(root, ...parts);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const pid = tempOwner(name, base);
      if (pid === undefined || processAlive(pid)) continue;
      await rm(path.join(dir, name), { force: true });
      removed.push([...parts, name].join('/'));
    }
  }
  return removed;
}
