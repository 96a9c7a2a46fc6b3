import type { EditPair } from '../plan/proposal.js';

export type TextEditResult = { ok: true; content: string } | { ok: false; message: string; pair: number };

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

function preview(text: string): string {
  const first = text.split('\n').find((line) => line.trim() !== '') ?? text;
  return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}

/**
 * Applies exact old → new replacements in order. Each `old` must occur exactly once in the text as it is when its turn
 * comes; otherwise nothing is changed and the failing pair is named. Pure: no I/O.
 */
export function applyTextEdits(original: string, edits: readonly EditPair[]): TextEditResult {
  let content = original;
  for (const [index, pair] of edits.entries()) {
    const found = count(content, pair.old);
    if (found !== 1) {
      const what = found === 0 ? 'is not in the file' : `occurs ${found} times, expected once`;
      return { ok: false, pair: index, message: `the text to replace ("${preview(pair.old)}") ${what}` };
    }
    const at = content.indexOf(pair.old);
    content = content.slice(0, at) + pair.new + content.slice(at + pair.old.length);
  }
  return { ok: true, content };
}
