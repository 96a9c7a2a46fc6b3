/**
 * Manually started spans in a service's code, with where each span is open: the callback of startActiveSpan / a
 * with-span helper, the block of a Python `with`, or the rest of the enclosing function for startSpan / start_span /
 * Go's tracer.Start. Shared by the pitfall checks (not ended, errors not recorded, over-instrumentation, names, kinds).
 */
import { callArgs, functionsOf, innermost, matchBracket, pythonBlock, type Range, type SourceFile } from './code.js';

export type SpanApi =
  | 'go-start'
  | 'node-active'
  | 'node-start'
  | 'node-helper'
  | 'py-with'
  | 'py-decorator'
  | 'py-start'
  | 'py-bare';

export interface SpanStart {
  file: SourceFile;
  /** Index of the call (its method name). */
  index: number;
  api: SpanApi;
  /** The span-name argument as written (code), and its literal value when it is a plain string. */
  nameExpr: string;
  name?: string;
  /** The whole argument list (code). */
  args: string;
  spanVar?: string;
  /** Where the span is open / current. */
  region: Range;
  /** The enclosing function, when there is one. */
  fn?: Range;
}

/** Top-level comma-separated arguments of an argument list. */
export function splitArgs(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (let i = 0; i < args.length; i++) {
    const c = args[i]!;
    if (quote) {
      cur += c;
      if (c === '\\') cur += args[++i] ?? '';
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function literal(expr: string): string | undefined {
  const m = /^(?:f|r|b)?(['"`])((?:\\.|(?!\1)[^\\])*)\1$/.exec(expr.trim());
  if (!m) return undefined;
  if (expr.trim().startsWith('f') && /\{/.test(m[2]!)) return undefined;
  if (m[1] === '`' && /\$\{/.test(m[2]!)) return undefined;
  return m[2];
}

/** Body of the function passed among `args` (the last arrow / function expression), as a range of the file. */
function callbackBody(
  file: SourceFile,
  argsStart: number,
  argsEnd: number,
): { body: Range; param?: string } | undefined {
  const s = file.skeleton.slice(argsStart, argsEnd);
  let found: { body: Range; param?: string } | undefined;
  for (const m of s.matchAll(/(?:\(\s*(\w*)[^()]*\)|\b(\w+))\s*=>\s*\{|function\s*\w*\s*\(\s*(\w*)[^()]*\)\s*\{/g)) {
    const open = argsStart + m.index + m[0].length - 1;
    const close = matchBracket(file.skeleton, open);
    if (close < 0) continue;
    const param = m[1] || m[2] || m[3];
    found = param ? { body: { start: open, end: close }, param } : { body: { start: open, end: close } };
  }
  return found;
}

/** Names of functions in these files that wrap startActiveSpan for a callback (withSpan-style helpers; the generated
 * module's withClientSpan wraps withSpan). */
export function spanHelpers(files: SourceFile[]): Set<string> {
  const out = new Set<string>(['withSpan', 'withClientSpan']);
  for (const f of files) {
    if (f.lang !== 'node') continue;
    for (const r of functionsOf(f)) {
      if (r.name && /\.startActiveSpan\s*\(/.test(f.code.slice(r.start, r.end))) out.add(r.name);
    }
  }
  return out;
}

export function findSpanStarts(
  file: SourceFile,
  helpers: Set<string> = new Set(['withSpan', 'withClientSpan']),
): SpanStart[] {
  const out: SpanStart[] = [];
  const fns = functionsOf(file);
  const fnEnd = (i: number): { fn?: Range; end: number } => {
    const fn = innermost(fns, i);
    return fn ? { fn, end: fn.end } : { end: file.code.length };
  };
  const push = (
    index: number,
    open: number,
    api: SpanApi,
    nameArg: number,
    extra: Partial<SpanStart> & { region: Range },
  ) => {
    const { text, end } = callArgs(file, open);
    const parts = splitArgs(text);
    const nameExpr = parts[nameArg] ?? '';
    const name = literal(nameExpr);
    const fn = innermost(fns, index);
    out.push({
      file,
      index,
      api,
      nameExpr,
      ...(name !== undefined ? { name } : {}),
      args: text,
      ...(fn ? { fn } : {}),
      ...extra,
      region: extra.region.end === -1 ? { start: end, end: fnEnd(index).end } : extra.region,
    });
  };
  const code = file.code;
  if (file.lang === 'go') {
    for (const m of code.matchAll(/(\w+)\s*,\s*(\w+)\s*:?=\s*([\w.]+(?:\([^()\n]*\))?)\.Start\s*\(/g)) {
      if (/^(?:cmd|exec|srv|server|timer|t)$/.test(m[3]!)) continue;
      const open = m.index + m[0].length - 1;
      push(m.index + m[0].indexOf(m[3]!), open, 'go-start', 1, { spanVar: m[2]!, region: { start: 0, end: -1 } });
    }
    return out;
  }
  if (file.lang === 'node') {
    for (const m of code.matchAll(/\.startActiveSpan\s*\(/g)) {
      const open = m.index + m[0].length - 1;
      const close = matchBracket(file.skeleton, open);
      const cb = close > 0 ? callbackBody(file, open + 1, close) : undefined;
      if (!cb) continue;
      push(m.index + 1, open, 'node-active', 0, { ...(cb.param ? { spanVar: cb.param } : {}), region: cb.body });
    }
    for (const m of code.matchAll(/(?:(?:const|let|var)\s+(\w+)\s*=\s*)?(?:this\.)?[\w.]*\.startSpan\s*\(/g)) {
      const open = m.index + m[0].length - 1;
      push(m.index, open, 'node-start', 0, { ...(m[1] ? { spanVar: m[1] } : {}), region: { start: 0, end: -1 } });
    }
    for (const name of helpers) {
      for (const m of code.matchAll(new RegExp(`(?<![\\w.]|function\\s)${name}\\s*\\(`, 'g'))) {
        if (/function\s+$|def\s+$/.test(code.slice(Math.max(0, m.index - 12), m.index))) continue;
        const open = m.index + m[0].length - 1;
        const close = matchBracket(file.skeleton, open);
        const cb = close > 0 ? callbackBody(file, open + 1, close) : undefined;
        if (!cb) continue;
        push(m.index, open, 'node-helper', 0, { ...(cb.param ? { spanVar: cb.param } : {}), region: cb.body });
      }
    }
    return out;
  }
  for (const m of code.matchAll(/^([ \t]*)(?:async[ \t]+)?with\b[^\n]*?\b(start_as_current_span|start_span)\s*\(/gm)) {
    const open = m.index + m[0].length - 1;
    const asVar = /\bas\s+(\w+)\s*:/.exec(
      code.slice(open, code.indexOf('\n', matchBracket(file.skeleton, open)) + 1 || undefined),
    );
    push(m.index + m[0].indexOf(m[2]!), open, 'py-with', 0, {
      ...(asVar ? { spanVar: asVar[1]! } : {}),
      region: pythonBlock(code, m.index),
    });
  }
  for (const m of code.matchAll(/^[ \t]*@[\w.]*start_as_current_span\s*\(/gm)) {
    const open = m.index + m[0].length - 1;
    const def = /^[ \t]*(?:async[ \t]+)?def\b/m.exec(code.slice(open));
    const at = def ? open + def.index : m.index;
    push(m.index, open, 'py-decorator', 0, { region: pythonBlock(code, at) });
  }
  for (const m of code.matchAll(/^[ \t]*(\w+)\s*=\s*[\w.]*\.start_span\s*\(/gm)) {
    const open = m.index + m[0].length - 1;
    push(m.index + m[0].indexOf(m[1]!), open, 'py-start', 0, { spanVar: m[1]!, region: { start: 0, end: -1 } });
  }
  for (const m of code.matchAll(/\bstart_as_current_span\s*\(/g)) {
    const line = code.slice(code.lastIndexOf('\n', m.index) + 1, m.index);
    if (/^\s*(?:async\s+)?with\b|^\s*@|\bdef\s/.test(line)) continue;
    push(m.index, m.index + m[0].length - 1, 'py-bare', 0, { region: { start: 0, end: -1 } });
  }
  return out;
}

/** Ranges of `finally` blocks of a file (JS `finally { }`, Python `finally:`). */
export function finallyBlocks(file: SourceFile): Range[] {
  const out: Range[] = [];
  if (file.lang === 'python') {
    for (const m of file.code.matchAll(/^[ \t]*finally\s*:/gm)) out.push(pythonBlock(file.code, m.index));
  } else {
    for (const m of file.skeleton.matchAll(/\bfinally\s*\{/g)) {
      const open = m.index + m[0].length - 1;
      const close = matchBracket(file.skeleton, open);
      if (close > 0) out.push({ start: open, end: close });
    }
  }
  return out;
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every manual span start of a service's files (helpers' own startActiveSpan included). */
export function serviceSpanStarts(files: SourceFile[]): SpanStart[] {
  const helpers = spanHelpers(files);
  return files.flatMap((f) => findSpanStarts(f, helpers));
}
