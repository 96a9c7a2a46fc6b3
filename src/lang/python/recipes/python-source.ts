/**
 * Just enough reading of Python source to edit it safely: top-level imports, function definitions with their bodies,
 * and the route decorators above them. Anything unusual (tabs, triple-quoted strings inside a body, one-line bodies)
 * makes the reader give up on that function rather than guess.
 */
import { matchPythonBracket } from '../brackets.js';

export interface PyFunction {
  name: string;
  params: string[];
  /** Decorator lines (trimmed) directly above the def. */
  decorators: string[];
  /** Indent of the def line. */
  indent: string;
  /** Offset of the first body line (after the signature's line end, and after a leading docstring). */
  bodyStart: number;
  /** Offset just after the body's last non-blank line (including its newline). */
  bodyEnd: number;
  bodyIndent: string;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];

/** The functions whose signature and body can be read with confidence. */
export function pythonFunctions(text: string): PyFunction[] {
  const out: PyFunction[] = [];
  for (const m of text.matchAll(/^([ ]*)(?:async[ ]+)?def[ ]+(\w+)[ ]*\(/gm)) {
    const indent = m[1]!;
    const close = matchPythonBracket(text, m.index + m[0].length - 1);
    if (close === -1) continue;
    const params = text
      .slice(m.index + m[0].length, close)
      .split(',')
      .map((p) => /^\s*\**(\w+)/.exec(p)?.[1])
      .filter((p): p is string => Boolean(p) && p !== 'self' && p !== 'cls');
    const sigEnd = lineEnd(text, close);
    if (!/^[^#\n]*:\s*(?:#[^\n]*)?\n?$/.test(text.slice(close + 1, sigEnd))) continue; // one-line body or odd signature
    // Body: following lines more indented than the def (blank lines included), up to the last non-blank one.
    let at = sigEnd;
    let bodyEnd = sigEnd;
    let bodyIndent: string | undefined;
    let tabs = false;
    while (at < text.length) {
      const end = lineEnd(text, at);
      const line = text.slice(at, end).replace(/\n$/, '');
      if (line.trim() !== '') {
        const ind = indentOf(line);
        if (ind.length <= indent.length) break;
        if (ind.includes('\t')) tabs = true;
        bodyIndent ??= ind;
        bodyEnd = end;
      }
      at = end;
    }
    if (bodyIndent === undefined || tabs) continue;
    let bodyStart = sigEnd;
    const firstLine = text.slice(sigEnd, lineEnd(text, sigEnd));
    const doc = /^[ ]*(?:[rRuU]?)("""|''')/.exec(firstLine);
    if (doc) {
      const closeDoc = text.indexOf(doc[1]!, sigEnd + firstLine.indexOf(doc[1]!) + 3);
      if (closeDoc === -1 || closeDoc > bodyEnd) continue;
      bodyStart = lineEnd(text, closeDoc);
      if (bodyStart >= bodyEnd) continue;
    }
    if (/"""|'''/.test(text.slice(bodyStart, bodyEnd))) continue; // re-indenting would change a string's content
    if (/\\\n/.test(text.slice(bodyStart, bodyEnd))) continue;
    const decorators: string[] = [];
    let prev = lineStart(text, m.index);
    while (prev > 0) {
      const start = lineStart(text, prev - 1);
      const line = text.slice(start, prev).trim();
      if (!line.startsWith('@')) break;
      decorators.unshift(line);
      prev = start;
    }
    out.push({ name: m[2]!, params, decorators, indent, bodyStart, bodyEnd, bodyIndent });
  }
  return out;
}

/** Offset just after the last import of the module's leading import block (after a docstring and comments). */
export function endOfLeadingImports(text: string): number | undefined {
  let at = 0;
  let last: number | undefined;
  const doc = /^\s*(?:[rRuU]?)("""|''')/.exec(text);
  if (doc) {
    const close = text.indexOf(doc[1]!, doc.index + doc[0].length);
    if (close === -1) return undefined;
    at = lineEnd(text, close);
  }
  while (at < text.length) {
    const end = lineEnd(text, at);
    const line = text.slice(at, end);
    if (line.trim() === '' || line.startsWith('#')) {
      at = end;
      continue;
    }
    if (!/^(?:import|from)\s/.test(line)) break;
    const open = line.indexOf('(');
    const stmtEnd = open === -1 ? end : lineEnd(text, matchPythonBracket(text, at + open));
    if (open !== -1 && stmtEnd <= at) return undefined;
    last = stmtEnd;
    at = stmtEnd;
  }
  return last;
}
