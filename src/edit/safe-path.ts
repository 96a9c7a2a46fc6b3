import { access, constants, lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { inputError } from '../core/errors.js';
import { STATE_DIR } from '../session/store.js';

/** Folders no proposal may write into: trace-guide's own state and git's. */
const RESERVED = [STATE_DIR, '.git'];

/** The deepest existing ancestor of `abs` (itself when it exists), resolved through symlinks. */
async function realAncestor(abs: string): Promise<{ real: string; rest: string[] }> {
  const rest: string[] = [];
  let current = abs;
  for (;;) {
    try {
      return { real: await realpath(current), rest };
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return { real: current, rest };
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Resolves a repo-relative path for writing, refusing anything that would land outside the repo root: absolute paths,
 * `..` escapes, and symlinks (of the file or any folder above it) that point outside. Also refuses trace-guide's state
 * folder and .git. Returns the absolute path to write.
 */
export async function resolveInRepo(root: string, rel: string): Promise<string> {
  if (rel === '' || path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel) || rel.includes('\0')) {
    throw inputError(`"${rel}" is not a path relative to the repo root`);
  }
  const normal = path.posix.normalize(rel.split(path.sep).join('/'));
  if (normal === '..' || normal.startsWith('../') || normal === '.') throw inputError(`"${rel}" is outside the repo`);
  const first = normal.split('/')[0];
  if (first && RESERVED.includes(first))
    throw inputError(`"${rel}" is inside ${first}/, which trace-guide never edits`);
  const realRoot = await realpath(root);
  const abs = path.join(realRoot, ...normal.split('/'));
  const { real, rest } = await realAncestor(abs);
  const resolved = path.join(real, ...rest);
  if (resolved !== realRoot && !resolved.startsWith(realRoot + path.sep)) {
    throw inputError(`"${rel}" resolves outside the repo (through a symlink) to ${resolved}`);
  }
  await refuseUnwritable(rel, resolved, rest.length === 0 ? real : undefined);
  return resolved;
}

/** Writable for this process and not marked read-only: root may write anything, but a folder without w bits is a wish. */
async function writableFolder(dir: string): Promise<boolean> {
  try {
    await access(dir, constants.W_OK);
    return ((await lstat(dir)).mode & 0o222) !== 0;
  } catch {
    return false;
  }
}

/**
 * Refuses a path whose file is not a regular file (a FIFO or device: reading it would block or never end) and a write
 * into a read-only folder: the folder itself for a folder (a command's cwd), else the folder that would hold the file.
 */
async function refuseUnwritable(rel: string, resolved: string, existing: string | undefined): Promise<void> {
  let folder = path.dirname(resolved);
  if (existing !== undefined) {
    const info = await lstat(existing);
    if (info.isDirectory()) folder = existing;
    else if (!info.isFile())
      throw inputError(
        `"${rel}" is not a regular file (a FIFO, socket or device); trace-guide neither reads nor writes it`,
      );
  }
  const { real: holder } = await realAncestor(folder);
  if (!(await writableFolder(holder))) {
    throw inputError(
      `"${rel}" is in a read-only folder (${holder}); trace-guide never writes into a read-only folder`,
      'make the folder writable, or make this change by hand',
    );
  }
}

/** Normalised repo-relative POSIX form of a path, for keys and messages. */
export function repoPath(rel: string): string {
  return path.posix.normalize(rel.split(path.sep).join('/'));
}
