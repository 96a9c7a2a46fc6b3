/**
 * The session lock: one trace-guide process at a time changes a repo's session, files and journal. Two at once would
 * each save their own session over the other's and leave writes no session knows (so undo could not restore them).
 *
 * The lock is .trace-guide/session.lock, created atomically (O_CREAT | O_EXCL) and holding who holds it: pid, host,
 * command, start time and a random token. A second process gets a clear error naming the holder (exit 2). A lock whose
 * holder is gone (same host, pid no longer alive) is stale: it is removed with a note and the lock is taken. The lock
 * is released on every way out of the process: a normal end, an error, process.exit, SIGINT / SIGTERM / SIGHUP.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { constants, hostname } from 'node:os';
import path from 'node:path';
import { inputError } from '../core/errors.js';
import { processAlive } from '../core/process-alive.js';
import { stateWriteError } from './state-dir.js';
import { ensureStateDir } from './store.js';

export const LOCK_FILE = 'session.lock';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
  token: string;
}

/** A lock file that cannot be read as a holder (torn by a crash between create and write) is stale after this long. */
const UNREADABLE_STALE_MS = 10_000;
/** How long a stale-lock breaker may sit before it is itself taken as stale. */
const BREAKER_STALE_MS = 10_000;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** On a signal that other handlers also hear, how long they get to end the process before the lock's handler does. */
const OTHER_HANDLERS_GRACE_MS = 6_000;

export interface SessionLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Removes the lock (only if it is still this one). Idempotent, synchronous. */
  release(): void;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (
      typeof data.pid === 'number' &&
      typeof data.host === 'string' &&
      typeof data.command === 'string' &&
      typeof data.startedAt === 'string'
    ) {
      return {
        pid: data.pid,
        host: data.host,
        command: data.command,
        startedAt: data.startedAt,
        token: String(data.token ?? ''),
      };
    }
  } catch {
    // missing or torn
  }
  return undefined;
}

function ageMs(file: string): number | undefined {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Creates `file` only if it does not exist, with `text` in it; false when it exists. */
function createExclusive(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw stateWriteError(error, file);
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

function describeHolder(holder: LockHolder): string {
  return `\`trace-guide ${holder.command}\` (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`;
}

/**
 * Removes a lock judged stale, unless it changed meanwhile: a small breaker file (also O_EXCL) makes sure two processes
 * that both found the same stale lock do not both remove it — the second would remove the first one's fresh lock.
 */
function breakStale(file: string, judged: string | undefined): boolean {
  const breaker = `${file}.break`;
  if (!createExclusive(breaker, String(process.pid))) {
    const age = ageMs(breaker);
    if (age !== undefined && age > BREAKER_STALE_MS) rmSync(breaker, { force: true });
    return false;
  }
  try {
    let now: string | undefined;
    try {
      now = readFileSync(file, 'utf8');
    } catch {
      now = undefined;
    }
    if (now === judged && now !== undefined) rmSync(file, { force: true });
    return true;
  } finally {
    rmSync(breaker, { force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the session lock of the repo at `root` for `command`, or throws an input error (exit 2) naming the process
 * that holds it. `onNote` hears about a stale lock that was recovered.
 */
export async function acquireSessionLock(
  root: string,
  command: string,
  onNote: (text: string) => void = () => {},
): Promise<SessionLock> {
  const dir = await ensureStateDir(root);
  const file = path.join(dir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    command,
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const text = `${JSON.stringify(holder)}\n`;
  // The release hooks go in before the lock file exists: a signal that comes the moment it is created still removes it.
  const lock = guardLock(file, holder);
  try {
    await takeLock(root, file, holder, text, onNote);
  } catch (error) {
    lock.release();
    throw error;
  }
  return lock;
}

async function takeLock(
  root: string,
  file: string,
  holder: LockHolder,
  text: string,
  onNote: (text: string) => void,
): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (createExclusive(file, text)) return;
    let judged: string | undefined;
    try {
      judged = readFileSync(file, 'utf8');
    } catch {
      continue; // released between our try and our read: try again
    }
    const other = readHolder(file);
    if (other) {
      const sameHost = other.host === holder.host;
      if (!sameHost || processAlive(other.pid)) {
        throw inputError(
          `the session in ${root} is in use by ${describeHolder(other)}; two trace-guide processes at once would each overwrite the other's session`,
          sameHost
            ? `wait for it to finish (or stop it), then run the command again`
            : `wait for it to finish; if it is no longer running on ${other.host}, remove ${path.relative(root, file)}`,
        );
      }
      if (breakStale(file, judged)) {
        onNote(`recovered a stale session lock: ${describeHolder(other)} is no longer running`);
      }
    } else {
      const age = ageMs(file);
      if (age !== undefined && age < UNREADABLE_STALE_MS) {
        // Just created by another process that has not written its name yet: give it a moment.
        await sleep(50);
        continue;
      }
      if (breakStale(file, judged))
        onNote(`recovered an unreadable session lock left by a stopped run (${path.relative(root, file)})`);
    }
    await sleep(10 + Math.floor(Math.random() * 20));
  }
  throw inputError(
    `could not take the session lock ${file}: it keeps changing hands`,
    'run the command again when the other trace-guide runs have finished',
  );
}

/** The release of a lock (taken or about to be): on 'exit' and on SIGINT / SIGTERM / SIGHUP; removes only this holder's file. */
function guardLock(file: string, holder: LockHolder): SessionLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal[signal]);
    // Remove only our own lock: never one a later process took after ours was (wrongly) judged stale.
    if (readHolder(file)?.token === holder.token) rmSync(file, { force: true });
  };
  const signalled = (signal: (typeof SIGNALS)[number]) => () => {
    const code = 128 + (constants.signals[signal] ?? 0);
    if (process.listenerCount(signal) > 1) {
      // Another handler (the one stopping started services) ends the process after its cleanup, and 'exit' releases
      // the lock then. Should none end it, the process ends here after a bounded wait, as an unhandled signal would.
      setTimeout(() => {
        release();
        process.exit(code);
      }, OTHER_HANDLERS_GRACE_MS).unref();
      return;
    }
    release();
    process.exit(code);
  };
  const onSignal = { SIGINT: signalled('SIGINT'), SIGTERM: signalled('SIGTERM'), SIGHUP: signalled('SIGHUP') };
  process.on('exit', release);
  for (const signal of SIGNALS) process.on(signal, onSignal[signal]);
  return { path: file, holder, release };
}
