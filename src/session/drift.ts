import { sha256 } from '../core/hash.js';
import { FileReader } from '../repo/read.js';
import type { StepId } from '../skill/schema.js';
import type { Session } from './schema.js';

/** A file trace-guide wrote that is no longer what it wrote: changed by the user, a git checkout, or deleted. */
export interface Drift {
  path: string;
  step: StepId;
  kind: 'modified' | 'deleted' | 'unreadable';
}

/** Files trace-guide writes are small; a written path grown past this is reported unreadable rather than read. */
const MAX_WRITTEN_BYTES = 64 * 1024 * 1024;

/** Compares every file the session wrote with what is on disk now. Reports; never repairs. */
export async function detectDrift(repoRoot: string, session: Session): Promise<Drift[]> {
  const drifts: Drift[] = [];
  // Through the safe reader: a FIFO, a device or a symlink out of the repo at a written path is unreadable, not waited on.
  const reader = new FileReader(repoRoot, MAX_WRITTEN_BYTES);
  for (const [path, written] of Object.entries(session.files)) {
    const read = reader.readBytes(path);
    if (!read.ok) {
      drifts.push({ path, step: written.step, kind: read.reason === 'missing' ? 'deleted' : 'unreadable' });
      continue;
    }
    const content = read.bytes;
    if (sha256(content) !== written.sha256) drifts.push({ path, step: written.step, kind: 'modified' });
  }
  return drifts.sort((a, b) => a.path.localeCompare(b.path));
}
