/** Exact edits on Python source text: the smallest unique `old` around a change, else the whole file. */
import type { EditPair } from '../../../types/proposal.js';

function occurrences(text: string, part: string): number {
  return part === '' ? 0 : text.split(part).length - 1;
}

/** Replaces text[start, end) by `replacement`, as an edit whose `old` occurs exactly once in `text`. */
export function replaceRange(text: string, start: number, end: number, replacement: string): EditPair {
  const old = text.slice(start, end);
  if (old !== '' && occurrences(text, old) === 1) return { old, new: replacement };
  return { old: text, new: text.slice(0, start) + replacement + text.slice(end) };
}

/** Inserts `insertion` after text[start, end) (a statement ending with its newline). */
export function insertAfterRange(text: string, start: number, end: number, insertion: string): EditPair {
  const old = text.slice(start, end);
  return replaceRange(text, start, end, old + insertion);
}

/** Every non-blank line of `block` indented by `indent`. */
export function indentBlock(block: string, indent: string): string {
  return block
    .split('\n')
    .map((l) => (l.trim() === '' ? '' : indent + l))
    .join('\n');
}

/** The line containing `offset`: its start, its end (after the newline) and its leading whitespace. */
export function lineAt(text: string, offset: number): { start: number; end: number; indent: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  const end = nl === -1 ? text.length : nl + 1;
  return { start, end, indent: /^[ \t]*/.exec(text.slice(start))![0] };
}
