import { stat } from 'node:fs/promises';
import path from 'node:path';
import { FileReader } from './read.js';

/**
 * Read-only view of the repo for recipes, checks and the doctor: repo-relative POSIX paths; every read goes through the
 * safe reader (real path inside the repo, regular files only, size cap), so nothing outside the root is readable.
 */
export class RepoReader {
  private readonly reader: FileReader;
  constructor(readonly root: string) {
    this.reader = new FileReader(root);
  }

  abs(rel: string): string {
    const abs = path.resolve(this.root, ...rel.split('/'));
    if (abs !== this.root && !abs.startsWith(this.root + path.sep))
      throw new Error(`path "${rel}" is outside the repo`);
    return abs;
  }

  /** The file's text, or undefined when it does not exist, is not a regular file inside the repo, or is over the cap. */
  async read(rel: string): Promise<string | undefined> {
    const outcome = this.reader.read(rel);
    return outcome.ok ? outcome.text : undefined;
  }

  async exists(rel: string): Promise<boolean> {
    try {
      await stat(this.abs(rel));
      return true;
    } catch {
      return false;
    }
  }
}
