import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-write.js';
import { sha256 } from '../core/hash.js';
import { AppliedWriteSchema, type AppliedWrite } from '../session/schema.js';
import { ensureStateDir, STATE_DIR } from '../session/store.js';

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

/** Of the journalled writes, those that really reached the disk (the file now has the written content). */
export async function writesThatHappened(root: string, journal: AppliedWrite[]): Promise<AppliedWrite[]> {
  const happened: AppliedWrite[] = [];
  for (const write of journal) {
    let current: Buffer | undefined;
    try {
      current = await readFile(path.join(root, ...write.path.split('/')));
    } catch {
      current = undefined;
    }
    const matches = write.after === null ? current === undefined : current !== undefined && sha256(current) === write.after.sha256;
    if (matches) happened.push(write);
  }
  return happened;
}
