/**
 * Builds one edit proposal's old → new pairs for a Go file: every replacement is checked to occur exactly once in the
 * text as it is at that point (the apply engine replays them in order), and the imports the new code needs are added
 * in one last pair on the import block.
 */
import type { EditPair } from '../../../types/proposal.js';
import { withImports, type GoImport } from './go-imports.js';

function occurrences(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

export class GoFileEdit {
  private readonly pairs: EditPair[] = [];
  private readonly imports: GoImport[] = [];
  private readonly dropImports: string[] = [];
  private text: string;

  constructor(
    readonly path: string,
    readonly original: string,
  ) {
    this.text = original;
  }

  get current(): string {
    return this.text;
  }

  get changed(): boolean {
    return this.pairs.length > 0;
  }

  /** Replaces `old` (which must occur exactly once) by `replacement`; false, and nothing changed, otherwise. */
  replace(old: string, replacement: string): boolean {
    if (old === '' || old === replacement || occurrences(this.text, old) !== 1) return false;
    this.text = this.text.replace(old, () => replacement);
    this.pairs.push({ old, new: replacement });
    return true;
  }

  /** Inserts `code` right after `anchor` (which must occur exactly once). */
  insertAfter(anchor: string, code: string): boolean {
    return this.replace(anchor, anchor + code);
  }

  need(...imports: GoImport[]): void {
    this.imports.push(...imports);
  }

  /** Drops an import once the edits leave it unused. */
  dropImportIfUnused(importPath: string, usage: RegExp): void {
    this.dropImports.push(importPath);
    this.unusedChecks.set(importPath, usage);
  }
  private readonly unusedChecks = new Map<string, RegExp>();

  /** The pairs, with the import block updated last; empty when nothing changed. */
  finish(): EditPair[] {
    if (this.pairs.length === 0) return [];
    const body = this.text;
    const drop = this.dropImports.filter((p) => !this.unusedChecks.get(p)!.test(stripImports(body)));
    const updated = withImports(body, this.imports, drop);
    if (updated !== body) {
      const oldBlock = changedSpan(body, updated);
      if (!this.replace(oldBlock.old, oldBlock.new)) throw new Error(`could not update the imports of ${this.path}`);
    }
    return [...this.pairs];
  }
}

function stripImports(text: string): string {
  return text.replace(/^import\s*\([\s\S]*?^\)/m, '').replace(/^import\s+[^\n]*$/gm, '');
}

/** The smallest run of whole lines that differs between `before` and `after`, widened until it is unique in `before`. */
function changedSpan(before: string, after: string): EditPair {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  start = before.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = (text: string, at: number) => {
    const nl = text.indexOf('\n', at);
    return nl === -1 ? text.length : nl + 1;
  };
  endB = lineEnd(before, Math.max(endB, start));
  endA = after.length - (before.length - endB);
  for (;;) {
    const old = before.slice(start, endB);
    if (old !== '' && occurrences(before, old) === 1) return { old, new: after.slice(start, endA) };
    if (start === 0 && endB === before.length) return { old: before, new: after };
    start = start === 0 ? 0 : before.lastIndexOf('\n', start - 2) + 1;
    const grown = lineEnd(before, endB);
    endA += grown - endB;
    endB = grown;
  }
}

/** One GoFileEdit per file, so the edits of a step to the same file land in one proposal. */
export class GoEditSet {
  private readonly edits = new Map<string, GoFileEdit>();

  for(file: { path: string; text: string }): GoFileEdit {
    let edit = this.edits.get(file.path);
    if (!edit) {
      edit = new GoFileEdit(file.path, file.text);
      this.edits.set(file.path, edit);
    }
    return edit;
  }

  /** The files that changed, with their finished pairs. */
  finished(): Array<{ path: string; pairs: EditPair[] }> {
    return [...this.edits.values()].filter((e) => e.changed).map((e) => ({ path: e.path, pairs: e.finish() }));
  }
}
