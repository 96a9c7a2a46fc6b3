/**
 * The one way trace-guide reads a file of the user's repo (the scan, recipes, checks, the doctor, the model's sandbox,
 * the session's drift check): a repo-relative path is resolved to its real path first and refused when that leaves
 * the repo (a symlink to ~/.npmrc, a folder symlinked to /etc, a link to /dev/zero); only regular files are read
 * (a FIFO or a device is refused after an fstat, and it is opened with O_NONBLOCK so opening it cannot block); reads
 * stop one byte over a size cap, and binary files (a NUL byte in the first 8 KiB, as git decides) are reported as such.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';

export const DEFAULT_MAX_FILE_BYTES = 512 * 1024;
const BINARY_SNIFF_BYTES = 8000;
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export type ReadRefusal = 'missing' | 'outside' | 'not-a-file' | 'too-large' | 'binary' | 'unreadable';

export type BytesOutcome =
  | {
      ok: true;
      bytes: Buffer /** Real path relative to the real repo root (POSIX): differs when a symlink was followed. */;
      real: string;
    }
  | { ok: false; reason: ReadRefusal; message: string };

export type ReadOutcome =
  | { ok: true; text: string; real: string }
  | { ok: false; reason: ReadRefusal; message: string };

function refuse(reason: ReadRefusal, message: string): { ok: false; reason: ReadRefusal; message: string } {
  return { ok: false, reason, message };
}

function realpathOrUndefined(abs: string): string | undefined {
  try {
    return realpathSync.native(abs);
  } catch {
    return undefined;
  }
}

/** A path with a backslash, an empty, `.` or `..` segment, or a trailing slash. */
const NEEDS_NORMALISING = /\\|\/\/|(?:^|\/)\.{1,2}(?:\/|$)|\/$/;

/** The repo-relative POSIX path when `rel` stays inside the repo by its letters (no absolute path, no `..` escape). */
export function lexicalRepoPath(rel: string): string | undefined {
  if (rel === '' || rel.includes('\0') || path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return undefined;
  if (!NEEDS_NORMALISING.test(rel)) return rel; // the usual case (paths from a listing): already normal
  const normal = path.posix.normalize(rel.replace(/\\/g, '/')).replace(/^\.\//, '');
  if (normal === '..' || normal.startsWith('../') || normal === '.' || normal === '') return undefined;
  return normal;
}

/**
 * Reads files of one repo. A reader keeps the real path of every folder it has resolved (so a scan of thousands of files
 * resolves each folder once) and one buffer reused for every read (reads are synchronous, nothing overlaps).
 */
export class FileReader {
  readonly root: string;
  readonly maxBytes: number;
  /** Files actually opened (for figures and tests). */
  opened = 0;
  private readonly realRoot: string;
  private readonly realDirs = new Map<string, { real: string; rel: string }>();
  private buffer: Buffer;

  constructor(root: string, maxBytes = DEFAULT_MAX_FILE_BYTES) {
    this.root = path.resolve(root);
    this.realRoot = realpathOrUndefined(this.root) ?? this.root;
    this.maxBytes = Math.max(1, Math.floor(maxBytes));
    this.buffer = Buffer.allocUnsafe(Math.min(this.maxBytes + 1, 64 * 1024));
  }

  private inside(real: string): boolean {
    return real === this.realRoot || real.startsWith(this.realRoot + path.sep);
  }

  /** Repo-relative POSIX form of a real path inside the repo. */
  private relOf(real: string): string {
    return path.relative(this.realRoot, real).split(path.sep).join('/');
  }

  /** The real path of a folder of the repo and its repo-relative form ('' for the root), resolved once per folder. */
  private realDir(relDir: string): { real: string; rel: string } | undefined {
    const known = this.realDirs.get(relDir);
    if (known !== undefined) return known;
    const real = relDir === '' ? this.realRoot : realpathOrUndefined(path.join(this.root, ...relDir.split('/')));
    if (real === undefined) return undefined; // a folder missing now may be created later: not cached
    const resolved = { real, rel: this.inside(real) ? this.relOf(real) : '' };
    this.realDirs.set(relDir, resolved);
    return resolved;
  }

  /** Reads into the shared buffer: its first `length` bytes are the file until the next read. */
  private readIntoBuffer(
    rel: string,
  ): { ok: true; length: number; real: string } | { ok: false; reason: ReadRefusal; message: string } {
    const normal = lexicalRepoPath(rel);
    if (normal === undefined) return refuse('outside', `"${rel}" is not a path inside the repo`);
    const slash = normal.lastIndexOf('/');
    const dir = this.realDir(slash < 0 ? '' : normal.slice(0, slash));
    if (dir === undefined) return refuse('missing', `"${normal}" does not exist`);
    if (!this.inside(dir.real))
      return refuse('outside', `"${normal}" resolves outside the repo (through a symlinked folder); not read`);
    const base = normal.slice(slash + 1);
    let real = dir.real + path.sep + base;
    let realRel = dir.rel === '' ? base : `${dir.rel}/${base}`;
    let fd: number;
    try {
      fd = openSync(real, OPEN_FLAGS);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return refuse('missing', `"${normal}" does not exist`);
      if (code !== 'ELOOP' && code !== 'EMLINK')
        return refuse('unreadable', `cannot read "${normal}": ${code ?? (error as Error).message}`);
      // The file is a symlink: follow it only to a file inside the repo.
      const target = realpathOrUndefined(real);
      if (target === undefined) return refuse('missing', `"${normal}" is a symlink to nothing`);
      if (!this.inside(target)) return refuse('outside', `"${normal}" is a symlink that leaves the repo; not read`);
      real = target;
      realRel = this.relOf(target);
      try {
        fd = openSync(real, OPEN_FLAGS);
      } catch (again) {
        return refuse(
          'unreadable',
          `cannot read "${normal}": ${(again as NodeJS.ErrnoException).code ?? (again as Error).message}`,
        );
      }
    }
    this.opened++;
    try {
      const info = fstatSync(fd);
      if (!info.isFile())
        return refuse('not-a-file', `"${normal}" is not a regular file (a folder, FIFO, socket or device); not read`);
      if (info.size > this.maxBytes)
        return refuse('too-large', `"${normal}" is ${info.size} bytes, over the ${this.maxBytes}-byte cap; not read`);
      let total = 0;
      const limit = this.maxBytes + 1;
      for (;;) {
        if (total === this.buffer.length && total < limit) {
          const grown = Buffer.allocUnsafe(Math.min(limit, this.buffer.length * 4));
          this.buffer.copy(grown, 0, 0, total);
          this.buffer = grown;
        }
        const n = readSync(fd, this.buffer, total, this.buffer.length - total, null);
        if (n === 0) break;
        total += n;
        if (total >= limit) return refuse('too-large', `"${normal}" is over the ${this.maxBytes}-byte cap; not read`);
      }
      return { ok: true, length: total, real: realRel };
    } catch (error) {
      return refuse(
        'unreadable',
        `cannot read "${normal}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    } finally {
      closeSync(fd);
    }
  }

  /** The bytes of a repo file (path relative to the root), or why it is not read. Never throws. */
  readBytes(rel: string): BytesOutcome {
    const outcome = this.readIntoBuffer(rel);
    if (!outcome.ok) return outcome;
    return { ok: true, bytes: Buffer.from(this.buffer.subarray(0, outcome.length)), real: outcome.real };
  }

  /** The text of a repo file (UTF-8), or why it is not read; binary files are refused. Never throws. */
  read(rel: string): ReadOutcome {
    const outcome = this.readIntoBuffer(rel);
    if (!outcome.ok) return outcome;
    const sniff = this.buffer.subarray(0, Math.min(outcome.length, BINARY_SNIFF_BYTES));
    if (sniff.indexOf(0) !== -1) return refuse('binary', `"${rel}" is a binary file; not read`);
    return { ok: true, text: this.buffer.toString('utf8', 0, outcome.length), real: outcome.real };
  }
}

/** One read of a repo file's text through a fresh reader (for callers that read a handful of files). */
export function readRepoText(root: string, rel: string, maxBytes = DEFAULT_MAX_FILE_BYTES): ReadOutcome {
  return new FileReader(root, maxBytes).read(rel);
}

/** One read of a repo file's bytes through a fresh reader. */
export function readRepoBytes(root: string, rel: string, maxBytes = DEFAULT_MAX_FILE_BYTES): BytesOutcome {
  return new FileReader(root, maxBytes).readBytes(rel);
}

/**
 * A file read outside the repo's guard, for the few reads that must follow a tool's own lookup beyond the repo
 * (Node's node_modules lookup walks up to the filesystem root): still regular files only, opened with O_NONBLOCK so a
 * FIFO cannot block, and capped. Undefined when it is missing, not a regular file, over the cap or unreadable.
 */
export function readRegularFile(abs: string, maxBytes = DEFAULT_MAX_FILE_BYTES): string | undefined {
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > maxBytes) return undefined;
    const buffer = Buffer.allocUnsafe(Math.min(info.size + 1, maxBytes + 1));
    let total = 0;
    for (;;) {
      const n = readSync(fd, buffer, total, buffer.length - total, null);
      if (n === 0) break;
      total += n;
      if (total >= buffer.length) return total > maxBytes ? undefined : buffer.toString('utf8', 0, total);
    }
    return buffer.toString('utf8', 0, total);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
