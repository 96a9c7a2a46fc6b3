import { rename, stat, writeFile, mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { inputError, TraceGuideError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { FileReader } from '../repo/read.js';
import { checkStateDir, checkStateWritable, stateWriteError } from './state-dir.js';
import { formatIssues } from '../skill/format-issues.js';
import { SESSION_VERSION, SessionSchema, type Session } from './schema.js';
import { revalidateStoredSession } from '../safety/stored-session.js';

/** Everything trace-guide keeps in a repo lives in this folder. */
export const STATE_DIR = '.trace-guide';
export const SESSION_FILE = 'session.json';
/** A session file larger than this is not read (sessions are a few hundred KiB at most). */
const MAX_SESSION_BYTES = 32 * 1024 * 1024;

export function stateDir(repoRoot: string): string {
  return join(repoRoot, STATE_DIR);
}

export function sessionPath(repoRoot: string): string {
  return join(repoRoot, STATE_DIR, SESSION_FILE);
}

/** Why a session file could not be used. The file itself is left in place until the user starts fresh. */
export class SessionFileError extends TraceGuideError {
  readonly reason: 'corrupt' | 'invalid' | 'future-version';
  readonly path: string;
  constructor(reason: SessionFileError['reason'], path: string, message: string) {
    super(
      'input',
      message,
      'run `trace-guide reset` to keep this file as a backup and start a fresh session, or restore the file from a copy',
    );
    this.reason = reason;
    this.path = path;
  }
}

/** Reads the session of a repo; undefined when there is none. Throws SessionFileError when the file cannot be used. */
export async function loadSession(repoRoot: string): Promise<Session | undefined> {
  const path = sessionPath(repoRoot);
  await checkStateDir(repoRoot, STATE_DIR);
  // Through the safe reader: a FIFO or a device planted as session.json is refused, not waited on.
  const read = new FileReader(repoRoot, MAX_SESSION_BYTES).read(`${STATE_DIR}/${SESSION_FILE}`);
  if (!read.ok) {
    if (read.reason === 'missing') return undefined;
    throw inputError(
      `cannot read the session file ${path}: ${read.message}`,
      'run `trace-guide reset` to move it aside and start fresh',
    );
  }
  // The file may have come with the repository: proposals the safety policy rejects are dropped (and logged), and the
  // record of what was shown only counts for a session written for this folder.
  return revalidateStoredSession(parseSession(read.text, path), repoRoot, new Date().toISOString()).session;
}

export function parseSession(text: string, path: string): Session {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SessionFileError(
      'corrupt',
      path,
      `the session file ${path} is not valid JSON (${(error as Error).message})`,
    );
  }
  const version = typeof data === 'object' && data !== null ? (data as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && version > SESSION_VERSION) {
    throw new SessionFileError(
      'future-version',
      path,
      `the session file ${path} was written by a newer trace-guide (session version ${version}); this one reads version ${SESSION_VERSION}. Upgrade trace-guide to continue it`,
    );
  }
  const parsed = SessionSchema.safeParse(data);
  if (!parsed.success) {
    const lines = formatIssues(parsed.error.issues).slice(0, 5);
    throw new SessionFileError(
      'invalid',
      path,
      `the session file ${path} does not match the session format:\n  ${lines.join('\n  ')}`,
    );
  }
  return parsed.data;
}

/** Saves atomically (temp file + rename). The state folder ignores itself in git, so no user file is touched. */
export async function saveSession(repoRoot: string, session: Session): Promise<void> {
  await ensureStateDir(repoRoot);
  try {
    await writeFileAtomic(sessionPath(repoRoot), `${JSON.stringify(session, null, 2)}\n`);
  } catch (error) {
    throw stateWriteError(error, sessionPath(repoRoot));
  }
}

/** Creates the state folder when missing; refuses one that is (or holds) a symlink, and reports a read-only repo clearly. */
export async function ensureStateDir(repoRoot: string): Promise<string> {
  const dir = stateDir(repoRoot);
  await checkStateDir(repoRoot, STATE_DIR);
  await checkStateWritable(repoRoot, STATE_DIR, SESSION_FILE);
  try {
    await mkdir(dir, { recursive: true });
    const ignore = join(dir, '.gitignore');
    try {
      await stat(ignore);
    } catch {
      await writeFile(ignore, '# written by trace-guide: keep its state out of git\n*\n', { flag: 'wx' });
    }
  } catch (error) {
    throw stateWriteError(error, dir);
  }
  return dir;
}

/**
 * Moves the current session file (readable or not) aside as a timestamped backup, so a fresh session can start.
 * Returns the backup path relative to the repo, or undefined when there was no session.
 */
export async function backupSession(repoRoot: string, now: Date = new Date()): Promise<string | undefined> {
  const path = sessionPath(repoRoot);
  await checkStateDir(repoRoot, STATE_DIR);
  try {
    await stat(path);
  } catch {
    return undefined;
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let backup = join(stateDir(repoRoot), `session.${stamp}.bak.json`);
  for (let n = 1; await exists(backup); n += 1) {
    backup = join(stateDir(repoRoot), `session.${stamp}.${n}.bak.json`);
  }
  try {
    await rename(path, backup);
  } catch (error) {
    throw stateWriteError(error, path);
  }
  return relative(repoRoot, backup);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
