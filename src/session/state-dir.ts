/**
 * Guards for trace-guide's state folder (.trace-guide/ in the repo): it must be a real folder of the repo, and nothing
 * in it may be a symlink (nor a FIFO or device, which would block a read), or the session, the backups, the journal and the .gitignore would be read from or written to
 * wherever the links point (a repo can ship such links). Write failures of a read-only repo become clear input errors.
 */
import { access, constants, lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { inputError, TraceGuideError } from '../core/errors.js';

const HINT =
  'remove it (trace-guide creates a real .trace-guide/ folder when it needs one), then run the command again';

async function describeLink(abs: string): Promise<string> {
  try {
    return ` (it points to ${await readlink(abs)})`;
  } catch {
    return '';
  }
}

/**
 * Refuses a state folder that is a symlink or not a folder, and one holding a symlink or a non-regular file
 * (session.json, backups/, apply-journal.json, .gitignore, or anything inside backups/). A missing state folder is fine.
 */
export async function checkStateDir(repoRoot: string, stateDirName: string): Promise<void> {
  const dir = path.join(repoRoot, stateDirName);
  let info;
  try {
    info = await lstat(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw inputError(`cannot inspect ${dir}: ${(error as Error).message}`, undefined, error);
  }
  if (info.isSymbolicLink()) {
    throw inputError(
      `${stateDirName}/ is a symlink${await describeLink(dir)}; trace-guide keeps its state only in a real folder inside the repo and writes nothing through links`,
      HINT,
    );
  }
  if (!info.isDirectory())
    throw inputError(`${stateDirName} in ${repoRoot} is not a folder; trace-guide keeps its state there`, HINT);
  await refuseLinksIn(dir, stateDirName, 1);
}

async function refuseLinksIn(dir: string, shown: string, depth: number): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw inputError(`cannot read ${dir}: ${(error as Error).message}`, undefined, error);
  }
  for (const entry of entries) {
    const abs = path.join(dir, entry.name);
    const rel = `${shown}/${entry.name}`;
    if (entry.isSymbolicLink()) {
      throw inputError(
        `${rel} is a symlink${await describeLink(abs)}; trace-guide reads and writes its state only inside the repo`,
        HINT,
      );
    }
    if (!entry.isFile() && !entry.isDirectory()) {
      // A FIFO, socket or device: reading it (the session, the journal) would block or never end.
      throw inputError(
        `${rel} is not a regular file (a FIFO, socket or device); trace-guide keeps only files in its state folder`,
        HINT,
      );
    }
    if (entry.isDirectory() && depth > 0) await refuseLinksIn(abs, rel, depth - 1);
  }
}

/** Writable for this process and not marked read-only (root may write anything, but a missing w bit is a wish). */
async function writable(abs: string): Promise<boolean | undefined> {
  let mode: number;
  try {
    mode = (await lstat(abs)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return false;
  }
  try {
    await access(abs, constants.W_OK);
  } catch {
    return false;
  }
  return (mode & 0o222) !== 0;
}

/**
 * Refuses to write trace-guide's state where the user made things read-only: the session file, the state folder, or
 * (when there is no state folder yet) the repo folder. An input error (exit 2) that says which, never an internal one.
 */
export async function checkStateWritable(
  repoRoot: string,
  stateDirName: string,
  sessionFileName: string,
): Promise<void> {
  const dir = path.join(repoRoot, stateDirName);
  const hint = 'make it writable for this user (chmod u+w), or run trace-guide in a writable copy of the repo';
  const dirWritable = await writable(dir);
  if (dirWritable === undefined) {
    if ((await writable(repoRoot)) === false)
      throw inputError(
        `the repo folder ${repoRoot} is read-only; trace-guide keeps its session in ${stateDirName}/ there`,
        hint,
      );
    return;
  }
  if (!dirWritable) throw inputError(`${dir} is read-only; trace-guide keeps its session there`, hint);
  const session = path.join(dir, sessionFileName);
  if ((await writable(session)) === false) throw inputError(`the session file ${session} is read-only`, hint);
}

const READ_ONLY_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

/** A failed write of trace-guide's own state as an error the user can act on (exit 2) when the place is read-only. */
export function stateWriteError(error: unknown, target: string): unknown {
  if (error instanceof TraceGuideError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && READ_ONLY_CODES.has(code)) {
    return inputError(
      `cannot write ${target}: it (or its folder) is read-only (${code})`,
      'make the repo and its .trace-guide/ folder writable for this user, or run trace-guide in a writable copy',
      error,
    );
  }
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return inputError(`cannot write ${target}: the disk is full (${code})`, undefined, error);
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return inputError(`cannot write ${target}: a file stands where trace-guide needs a folder (${code})`, HINT, error);
  }
  return error;
}
