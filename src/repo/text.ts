/** Turning a position in a file's text into evidence: 1-based line and the trimmed line text. */
import type { Evidence } from '../types/scan.js';

const MAX_EVIDENCE_TEXT = 200;

export function lineNumberAt(text: string, index: number): number {
  let line = 1;
  let at = text.indexOf('\n');
  while (at !== -1 && at < index) {
    line++;
    at = text.indexOf('\n', at + 1);
  }
  return line;
}

export function lineTextAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  let end = text.indexOf('\n', index);
  if (end === -1) end = text.length;
  const line = text.slice(start, end).trim();
  return line.length > MAX_EVIDENCE_TEXT ? line.slice(0, MAX_EVIDENCE_TEXT - 1) + '…' : line;
}

export function evidenceAt(file: string, text: string, index: number): Evidence {
  return { file, line: lineNumberAt(text, index), text: lineTextAt(text, index) };
}

/** Evidence for the first line matching `pattern` (non-global regex), or undefined. */
export function evidenceOf(file: string, text: string, pattern: RegExp): Evidence | undefined {
  const m = pattern.exec(text);
  return m ? evidenceAt(file, text, m.index) : undefined;
}

/** POSIX join of a service root and a path inside it ('.' is the repo root). */
export function joinRel(root: string, rel: string): string {
  return root === '.' ? rel : `${root}/${rel}`;
}

export function dirOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '.' : rel.slice(0, slash);
}

export function baseName(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}
