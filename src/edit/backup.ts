import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { sha256 } from '../core/hash.js';
import { ensureStateDir, STATE_DIR } from '../session/store.js';

/** Backups are content-addressed: the same pre-image is kept once, and a backup is never changed after it is written. */
export const BACKUP_DIR = `${STATE_DIR}/backups`;

/** Keeps `content` under .trace-guide/backups/<sha256> and returns its repo-relative path and hash. */
export async function storeBackup(root: string, content: Uint8Array): Promise<{ sha256: string; backup: string }> {
  await ensureStateDir(root);
  const hash = sha256(content);
  const rel = `${BACKUP_DIR}/${hash}`;
  const abs = path.join(root, ...rel.split('/'));
  try {
    await stat(abs);
  } catch {
    await writeFileAtomic(abs, content);
  }
  return { sha256: hash, backup: rel };
}

/** Reads a backup and proves it is the content that was backed up. */
export async function readBackup(root: string, rel: string, expected: string): Promise<Buffer> {
  const abs = path.join(root, ...rel.split('/'));
  let content: Buffer;
  try {
    content = await readFile(abs);
  } catch {
    throw new Error(`the backup ${rel} is missing`);
  }
  if (sha256(content) !== expected) throw new Error(`the backup ${rel} is damaged (its hash does not match)`);
  return content;
}
