/**
 * Reading one file for the scan, cheaply and safely: one open, one read, one close; symlinks are not followed; files over
 * the size cap and binary files (a NUL byte in the first 8 KiB, as git decides) are skipped without decoding.
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';

export const DEFAULT_MAX_FILE_BYTES = 512 * 1024;
const BINARY_SNIFF_BYTES = 8000;
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

export type ReadOutcome =
  | { ok: true; text: string }
  | { ok: false; reason: 'too-large' | 'binary' | 'unreadable' };

/**
 * A reader owns a buffer of maxBytes + 1 bytes, reused for every file (reads are synchronous, so nothing overlaps).
 * Reading one byte more than the cap tells a file over the cap without a stat call.
 */
export class FileReader {
  private buffer: Buffer;
  readonly maxBytes: number;
  /** Files actually opened (for figures and tests). */
  opened = 0;

  constructor(maxBytes = DEFAULT_MAX_FILE_BYTES) {
    this.maxBytes = Math.max(1, Math.floor(maxBytes));
    this.buffer = Buffer.allocUnsafe(Math.min(this.maxBytes + 1, 64 * 1024));
  }

  read(absPath: string): ReadOutcome {
    let fd: number;
    try {
      fd = openSync(absPath, OPEN_FLAGS);
    } catch {
      return { ok: false, reason: 'unreadable' };
    }
    this.opened++;
    try {
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
        if (total >= limit) return { ok: false, reason: 'too-large' };
      }
      const sniff = this.buffer.subarray(0, Math.min(total, BINARY_SNIFF_BYTES));
      if (sniff.indexOf(0) !== -1) return { ok: false, reason: 'binary' };
      return { ok: true, text: this.buffer.toString('utf8', 0, total) };
    } catch {
      return { ok: false, reason: 'unreadable' }; // EISDIR (a submodule listed by git), EIO...
    } finally {
      closeSync(fd);
    }
  }
}
