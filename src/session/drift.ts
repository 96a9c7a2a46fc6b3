import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../core/hash.js';
import type { StepId } from '../skill/schema.js';
import type { Session } from './schema.js';

/** A file trace-guide wrote that is no longer what it wrote: changed by the user, a git checkout, or deleted. */
export interface Drift {
  path: string;
  step: StepId;
  kind: 'modified' | 'deleted' | 'unreadable';
}

/** Compares every file the session wrote with what is on disk now. Reports; never repairs. */
export async function detectDrift(repoRoot: string, session: Session): Promise<Drift[]> {
  const drifts: Drift[] = [];
  for (const [path, written] of Object.entries(session.files)) {
    let content: Buffer;
    try {
      content = await readFile(join(repoRoot, path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      drifts.push({ path, step: written.step, kind: code === 'ENOENT' ? 'deleted' : 'unreadable' });
      continue;
    }
    if (sha256(content) !== written.sha256) drifts.push({ path, step: written.step, kind: 'modified' });
  }
  return drifts.sort((a, b) => a.path.localeCompare(b.path));
}
