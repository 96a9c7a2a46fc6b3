/**
 * Just enough source-text structure for static checks, without a parser per language: comments blanked out (so a
 * commented-out call never counts), string contents blanked in a "skeleton" (so braces in strings never confuse
 * matching), matching brackets, enclosing functions and Python indentation blocks. Every view keeps the original
 * length and line breaks, so an index in one is the same place in the others and in the file.
 */
import { lineNumberAt, lineTextAt } from '../repo/text.js';
import type { Evidence } from '../types/scan.js';

export type Lang = 'node' | 'python' | 'go';

export interface SourceFile {
  /** Repo-relative POSIX path. */
  path: string;
  lang: Lang;
  text: string;
  /** Comments replaced by spaces. */
  code: string;
  /** Comments and the contents of string literals replaced by spaces (the quotes stay). */
  skeleton: string;
}

export function sourceFile(path: string, lang: Lang, text: string): SourceFile {
  const { code, skeleton } = blank(text, lang);
  return { path, lang, text, code, skeleton };
}

export function evidence(file: SourceFile | { path: string; text: string }, index: number): Evidence {
  return { file: file.path, line: lineNumberAt(file.text, index), text: lineTextAt(file.text, index) };
}

function blank(text: string, lang: Lang): { code: string; skeleton: string } {
  const code = text.split('');
  const skel = text.split('');
  const wipe = (arr: string[], from: number, to: number) => {
    for (let k = from; k < to; k++) if (arr[k] !== '\n') arr[k] = ' ';
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if ((lang !== 'python' && c === '/' && next === '/') || (lang === 'python' && c === '#')) {
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      wipe(code, i, end);
      wipe(skel, i, end);
      i = end;
      continue;
    }
    if (lang !== 'python' && c === '/' && next === '*') {
      let end = text.indexOf('*/', i + 2);
      end = end < 0 ? n : end + 2;
      wipe(code, i, end);
      wipe(skel, i, end);
      i = end;
      continue;
    }
    if (lang === 'python' && (text.startsWith('"""', i) || text.startsWith("'''", i))) {
      const q = text.slice(i, i + 3);
      let end = text.indexOf(q, i + 3);
      end = end < 0 ? n : end + 3;
      // Docstrings hold prose, not code: blank them in both views.
      wipe(code, i, end);
      wipe(skel, i, end);
      i = end;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const raw = c === '`';
      let j = i + 1;
      while (j < n && text[j] !== c) {
        if (text[j] === '\\' && !(lang === 'go' && raw)) j++;
        else if (text[j] === '\n' && !raw) break;
        j++;
      }
      wipe(skel, i + 1, Math.min(j, n));
      i = j + 1;
      continue;
    }
    i++;
  }
  return { code: code.join(''), skeleton: skel.join('') };
}

const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Index of the bracket closing the one at `open` (in the skeleton), or -1. */
export function matchBracket(skeleton: string, open: number): number {
  const o = skeleton[open];
  const close = o === undefined ? undefined : PAIRS[o];
  if (!close) return -1;
  let depth = 0;
  for (let i = open; i < skeleton.length; i++) {
    const c = skeleton[i];
    if (c === o) depth++;
    else if (c === close && --depth === 0) return i;
  }
  return -1;
}

export interface Range {
  start: number;
  end: number;
  /** The function's name when it has one. */
  name?: string;
}

/** Bodies (from `{` to `}`) of Go functions and function literals, and of JS functions, methods and arrow functions. */
export function braceFunctions(file: SourceFile): Range[] {
  const out: Range[] = [];
  const s = file.skeleton;
  const patterns =
    file.lang === 'go'
      ? [/\bfunc\b\s*(?:\([^)]*\)\s*)?(\w*)\s*\(/g]
      : [/\bfunction\b\s*\*?\s*(\w*)\s*\(/g, /(?:^|[^\w.$])(\w+)\s*\([^()]*\)\s*\{/gm, /=>\s*\{/g];
  for (const re of patterns) {
    for (const m of s.matchAll(re)) {
      let at = m.index + m[0].length;
      if (m[0].endsWith('{')) {
        at -= 1;
      } else {
        const close = matchBracket(s, at - 1);
        if (close < 0) continue;
        at = s.indexOf('{', close);
        if (at < 0) continue;
        // A Go result list or a JS return type may come between `)` and `{`; refuse statements in between.
        const between = s.slice(close + 1, at);
        if (/[;=]|\n\s*\n/.test(between)) continue;
      }
      const end = matchBracket(s, at);
      if (end < 0) continue;
      const name = m[1] && !/^(?:if|for|while|switch|catch|return|function)$/.test(m[1]) ? m[1] : undefined;
      if (!name && re.source.startsWith('(?:^|')) continue;
      out.push(name ? { start: at, end, name } : { start: at, end });
    }
  }
  return out;
}

/** The innermost range holding `index`. */
export function innermost(ranges: Range[], index: number): Range | undefined {
  let best: Range | undefined;
  for (const r of ranges)
    if (r.start <= index && index <= r.end && (!best || r.end - r.start < best.end - best.start)) best = r;
  return best;
}

/** Start of the line holding `index`, and that line's indentation width. */
export function lineStart(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

export function indentAt(text: string, index: number): number {
  const start = lineStart(text, index);
  let i = start;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i - start;
}

/**
 * The Python block opened by the line holding `index` (a `with`, `def`, `try`, `except`... line ending in `:`): from the
 * end of that line to the end of the last following line indented deeper. Blank lines do not end it.
 */
export function pythonBlock(code: string, index: number): Range {
  const indent = indentAt(code, index);
  let lineEnd = code.indexOf('\n', index);
  if (lineEnd < 0) return { start: code.length, end: code.length };
  // A header may continue over several lines inside brackets: skip to the line that ends with ':'.
  let depth = 0;
  for (let i = lineStart(code, index); i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '\n' && depth <= 0) {
      lineEnd = i;
      break;
    }
  }
  const start = lineEnd + 1;
  let end = start;
  let pos = start;
  while (pos < code.length) {
    let nl = code.indexOf('\n', pos);
    if (nl < 0) nl = code.length;
    const line = code.slice(pos, nl);
    if (line.trim() !== '') {
      if (indentAt(code, pos) <= indent) break;
      end = nl;
    }
    pos = nl + 1;
  }
  return { start, end };
}

/** Python `def` blocks with their names. */
export function pythonFunctions(file: SourceFile): Range[] {
  const out: Range[] = [];
  for (const m of file.code.matchAll(/^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)/gm)) {
    const block = pythonBlock(file.code, m.index);
    out.push({ start: m.index, end: block.end, name: m[1]! });
  }
  return out;
}

/** The functions of a file whatever its language. */
export function functionsOf(file: SourceFile): Range[] {
  return file.lang === 'python' ? pythonFunctions(file) : braceFunctions(file);
}

/** The text of the call whose `(` is at `open` (arguments only), or '' when unbalanced. */
export function callArgs(file: SourceFile, open: number): { text: string; end: number } {
  const close = matchBracket(file.skeleton, open);
  return close < 0 ? { text: '', end: open } : { text: file.code.slice(open + 1, close), end: close };
}

/** The name of the innermost call whose argument list holds `index` (e.g. "ParentBased"), and of every outer one. */
export function enclosingCalls(skeleton: string, index: number, limit = 400): string[] {
  const names: string[] = [];
  let depth = 0;
  for (let i = index - 1; i >= Math.max(0, index - limit); i--) {
    const c = skeleton[i];
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      if (depth > 0) depth--;
      else if (c === '(') {
        const m = /([\w.$]+)\s*$/.exec(skeleton.slice(Math.max(0, i - 80), i));
        if (m) names.push(m[1]!);
      } else if (c === '{') {
        // An object literal argument: keep walking out to the call that holds it.
        const m = /([\w.$]+)\s*\(\s*$/.exec(skeleton.slice(Math.max(0, i - 80), i));
        if (m) names.push(m[1]!);
      }
    } else if (c === ';' && depth === 0) break;
  }
  return names;
}

/** The first string literal in a piece of code, or undefined. */
export function firstString(code: string): string | undefined {
  const m = /(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/.exec(code);
  return m ? m[2] : undefined;
}
