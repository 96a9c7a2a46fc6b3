import { isUtf8 } from 'node:buffer';
import type { EditPair } from '../types/proposal.js';

export type TextEditResult = { ok: true; content: string } | { ok: false; message: string; pair: number };
export type ByteEditResult = { ok: true; content: Buffer } | { ok: false; message: string; pair: number };

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

function preview(text: string): string {
  const first = text.split('\n').find((line) => line.trim() !== '') ?? text;
  return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}

/** True when most line breaks of `text` are CRLF (a Windows-style file). */
export function usesCrlf(text: string): boolean {
  const all = count(text, '\n');
  if (all === 0) return false;
  return count(text, '\r\n') * 2 > all;
}

/** `text` with every lone LF made a CRLF (LFs already preceded by CR are left alone). */
function toCrlf(text: string): string {
  return text.replace(/(?<!\r)\n/g, '\r\n');
}

/**
 * Applies exact old → new replacements in order. Each `old` must occur exactly once in the text as it is when its turn
 * comes; otherwise nothing is changed and the failing pair is named. In a file whose line endings are CRLF, the pairs'
 * LF line breaks are taken as CRLF, so an edit matches and the lines it inserts keep the file's line endings. Pure: no I/O.
 */
export function applyTextEdits(original: string, edits: readonly EditPair[]): TextEditResult {
  const crlf = usesCrlf(original);
  let content = original;
  for (const [index, given] of edits.entries()) {
    const adapted = crlf ? { old: toCrlf(given.old), new: toCrlf(given.new) } : given;
    let pair = adapted;
    let found = count(content, pair.old);
    if (found !== 1 && adapted.old !== given.old && count(content, given.old) === 1) {
      // A file with mixed line endings: the pair matches as given (keep its own line breaks then).
      pair = given;
      found = 1;
    }
    if (found !== 1) {
      const what = found === 0 ? 'is not in the file' : `occurs ${found} times, expected once`;
      return { ok: false, pair: index, message: `the text to replace ("${preview(given.old)}") ${what}` };
    }
    const at = content.indexOf(pair.old);
    content = content.slice(0, at) + pair.new + content.slice(at + pair.old.length);
  }
  return { ok: true, content };
}

/**
 * Applies the edits to a file's bytes and preserves every byte they do not change. A UTF-8 file (with or without a
 * BOM) is edited as text. A file that is not valid UTF-8 (Latin-1, say) is edited byte for byte: each pair's text is
 * matched as its UTF-8 bytes, which are ASCII for the code trace-guide inserts; a pair with other characters is refused
 * there, since its bytes would mean something else in the file's own encoding.
 */
export function applyEditsToBytes(original: Buffer, edits: readonly EditPair[]): ByteEditResult {
  if (isUtf8(original)) {
    const edited = applyTextEdits(original.toString('utf8'), edits);
    return edited.ok ? { ok: true, content: Buffer.from(edited.content, 'utf8') } : edited;
  }
  // latin1 maps each byte to one char and back, so the untouched bytes round-trip exactly.
  const nonAscii = edits.findIndex((pair) => /[^\x00-\x7f]/.test(pair.old + pair.new));
  if (nonAscii !== -1) {
    return {
      ok: false,
      pair: nonAscii,
      message:
        'the file is not valid UTF-8 (another encoding, such as Latin-1) and this edit has non-ASCII text, which trace-guide cannot write in that encoding without changing its meaning; make the change by hand',
    };
  }
  const edited = applyTextEdits(original.toString('latin1'), edits);
  return edited.ok ? { ok: true, content: Buffer.from(edited.content, 'latin1') } : edited;
}

/** A file's bytes as text for showing a diff: UTF-8 when valid, else one char per byte, so no byte is hidden. */
export function displayText(content: Buffer): string {
  return isUtf8(content) ? content.toString('utf8') : content.toString('latin1');
}
