/**
 * What the model planner may see of the repo: the files listFiles lists (so .gitignore applies and dependency
 * folders are skipped), minus secret files (.env*, .envrc, keys, credentials, .npmrc...) and files over a size cap; a
 * symlink is followed only to a visible file inside the repo. Everything sent to the model goes through
 * `redactSecrets` first (redaction.ts).
 */
import path from 'node:path';
import { listFiles } from '../../repo/files.js';
import { FileReader } from '../../repo/read.js';
import { isSecretPath, redactSecrets } from './redaction.js';

/** Files larger than this are not shown to the model. */
export const MAX_FILE_BYTES = 256 * 1024;

export { REDACTED, isSecretPath, redactSecrets } from './redaction.js';

export type ReadResult = { ok: true; text: string; lines: number; redacted: number } | { ok: false; message: string };

/** The files of one repo the model may read, listed once per planning step. */
export class Sandbox {
  private readonly reader: FileReader;

  private constructor(
    readonly root: string,
    /** Sorted repo-relative POSIX paths. */
    readonly files: readonly string[],
    private readonly visible: ReadonlySet<string>,
  ) {
    this.reader = new FileReader(root, MAX_FILE_BYTES);
  }

  static async open(root: string): Promise<Sandbox> {
    const listed = await listFiles(root);
    const files = listed.files.filter((f) => !isSecretPath(f));
    return new Sandbox(root, files, new Set(files));
  }

  /** Normalised repo-relative form, or undefined when the path tries to leave the repo. */
  normalise(rel: string): string | undefined {
    if (rel === '' || rel.includes('\0') || path.posix.isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return undefined;
    const normal = path.posix.normalize(rel.replace(/\\/g, '/')).replace(/^\.\//, '');
    if (normal === '..' || normal.startsWith('../')) return undefined;
    return normal;
  }

  isVisible(rel: string): boolean {
    const normal = this.normalise(rel);
    return normal !== undefined && this.visible.has(normal);
  }

  /** Why the model may not read `rel`, or undefined when it may (before the size check). */
  refusal(rel: string): string | undefined {
    const normal = this.normalise(rel);
    if (normal === undefined) return `"${rel}" is outside the repo; paths are relative to the repo root`;
    if (isSecretPath(normal)) return `"${normal}" may hold secrets and is never shown`;
    if (!this.visible.has(normal))
      return `"${normal}" is not a file of the repo (or it is git-ignored); use list_files`;
    return undefined;
  }

  /** The whole text of a visible file, redacted. */
  async read(rel: string): Promise<ReadResult> {
    const refused = this.refusal(rel);
    if (refused) return { ok: false, message: refused };
    const raw = await this.readRaw(rel);
    if (!raw.ok) return raw;
    const { text, redacted } = redactSecrets(raw.text);
    return { ok: true, text, lines: text.split('\n').length, redacted };
  }

  /** The unredacted text of a visible file, for checking proposed edits; never sent to the model. */
  async readRaw(rel: string): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
    const refused = this.refusal(rel);
    if (refused) return { ok: false, message: refused };
    const normal = this.normalise(rel)!;
    const outcome = this.reader.read(normal);
    if (!outcome.ok) return { ok: false, message: outcome.message };
    // A symlink inside the repo is followed only to a file the model may see: never to .env or a key.
    if (outcome.real !== normal && (isSecretPath(outcome.real) || !this.visible.has(outcome.real))) {
      return { ok: false, message: `"${normal}" is a symlink to a file that is never shown` };
    }
    return { ok: true, text: outcome.text };
  }
}
