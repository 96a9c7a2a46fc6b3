/**
 * What trace-guide's commands made that undo does not remove: the packages an install wrote into `node_modules/`, a
 * virtual environment made by `python -m venv`. Undo restores files byte for byte (package.json, lockfiles, go.mod...),
 * but these folders are caches of installed packages; they are reported (with their size now) so the user can remove
 * them, never deleted behind their back.
 */
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Session } from '../session/schema.js';

export interface LeftBehind {
  /** Repo-relative folder, with a trailing slash. */
  path: string;
  /** Bytes of the files in it now (symbolic links not followed). */
  bytes: number;
  /** The command that wrote into it. */
  command: string;
}

const NODE_INSTALL = /^(?:npm|pnpm|yarn|bun)\s+(?:install|i|add)\b/;
const PYTHON_VENV = /^python3?(?:\.\d+)?\s+-m\s+venv\s+(\S+)/;

async function sizeOf(abs: string): Promise<number | undefined> {
  let info;
  try {
    info = await lstat(abs);
  } catch {
    return undefined;
  }
  if (!info.isDirectory()) return info.size;
  let total = 0;
  const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const child = path.join(abs, entry.name);
    if (entry.isDirectory()) total += (await sizeOf(child)) ?? 0;
    else total += (await lstat(child).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

function folderOf(cwd: string, rel: string): string {
  const joined = path.posix.normalize(path.posix.join(cwd === '.' ? '' : cwd, rel));
  return `${joined.replace(/\/+$/, '')}/`;
}

/** The folders the session's applied commands (of the given steps, or all) wrote into that still exist, with their size. */
export async function leftBehind(root: string, session: Session, steps?: ReadonlySet<string>): Promise<LeftBehind[]> {
  const found = new Map<string, string>();
  for (const step of session.steps) {
    if (steps && !steps.has(step.id)) continue;
    for (const proposal of step.proposals) {
      if (proposal.change.kind !== 'command') continue;
      if (!step.applied.some((r) => r.proposalId === proposal.id && r.ok)) continue;
      const { command, cwd } = proposal.change;
      if (NODE_INSTALL.test(command)) found.set(folderOf(cwd, 'node_modules'), command);
      const venv = PYTHON_VENV.exec(command)?.[1];
      if (venv) found.set(folderOf(cwd, venv), command);
    }
  }
  const out: LeftBehind[] = [];
  for (const [folder, command] of found) {
    const bytes = await sizeOf(path.join(root, folder));
    if (bytes !== undefined) out.push({ path: folder, bytes, command });
  }
  return out;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
