/**
 * Folders of downloads and installs kept between test runs under ~/.cache/trace-guide-tests (a Python wheelhouse, a
 * node_modules of the real SDK...) and shared by every vitest worker, bench/corpus.mjs and other runs at once.
 * A folder is filled once, by one process: the others wait on a lock file, then use it. It is filled in a staging
 * folder, marked complete (`.complete`) and renamed into place, so a reader never sees a half-filled folder and an
 * interrupted fill is never used. Plain .mjs with no src/ imports: the TypeScript tests and the bench share it.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** Where the shared folders live (one per name). */
export function sharedCacheRoot() {
  return path.join(homedir(), '.cache', 'trace-guide-tests');
}

/** A lock whose holder is gone (or older than this) is stale and taken over. */
const STALE_LOCK_MS = 30 * 60_000;
const POLL_MS = 100;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function staleLock(lockPath) {
  try {
    const [text, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    const pid = Number.parseInt(text, 10);
    return !Number.isInteger(pid) || !alive(pid) || Date.now() - info.mtimeMs > STALE_LOCK_MS;
  } catch {
    return false; // released meanwhile: the next attempt takes it
  }
}

/** Runs `task` while holding `lockPath` (created exclusively, holding our pid); waits up to `timeoutMs` for it. */
export async function withLockFile(lockPath, task, { timeoutMs = 20 * 60_000 } = {}) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let handle;
    try {
      handle = await open(lockPath, 'wx');
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (await staleLock(lockPath)) await unlink(lockPath).catch(() => undefined);
      else if (Date.now() > until)
        throw new Error(
          `waited ${Math.round(timeoutMs / 1000)} s for ${lockPath} (held by another test run); remove it if no run is going on`,
        );
      else await new Promise((r) => setTimeout(r, POLL_MS));
      continue;
    }
    try {
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return await task();
    } finally {
      await unlink(lockPath).catch(() => undefined);
    }
  }
}

const complete = (dir) => existsSync(path.join(dir, '.complete'));

/**
 * The folder `name` under the shared cache, filled by `fill(stagingDir)` the first time (by one process; the others
 * wait for it). `rebuild: true` fills it again even when it is complete (a damaged download), still under the lock.
 * `root` is the shared cache (sharedCacheRoot() unless given). Returns the folder's path.
 */
export async function sharedCacheDir(name, fill, { rebuild = false, root = sharedCacheRoot() } = {}) {
  const dir = path.join(root, name);
  if (!rebuild && complete(dir)) return dir;
  await mkdir(root, { recursive: true });
  await withLockFile(`${dir}.lock`, async () => {
    if (!rebuild && complete(dir)) return; // another process filled it while we waited
    const staging = await mkdtemp(path.join(root, `${name}.staging-`));
    try {
      await fill(staging);
      await writeFile(path.join(staging, '.complete'), `${new Date().toISOString()}\n`);
      // Under the lock nobody else renames here; an old or half-made folder is moved aside first (rename is atomic).
      const old = existsSync(dir) ? `${staging}.old` : undefined;
      if (old) await rename(dir, old);
      await rename(staging, dir);
      if (old) await rm(old, { recursive: true, force: true });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });
  return dir;
}
