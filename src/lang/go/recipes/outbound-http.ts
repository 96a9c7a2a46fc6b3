/**
 * Outbound HTTP calls of a Go file made to carry the trace: `http.Get/Post/Head/PostForm(…)` → the generated
 * tracedGet/… helpers with the request's context, `http.DefaultClient` → tracedHTTPClient, `http.Client{…}` literals
 * get `Transport: otelhttp.NewTransport(…)`, and `http.NewRequest(` becomes `http.NewRequestWithContext(ctx, ` where a
 * request context is in reach. otelhttp's transport starts a CLIENT span and injects the traceparent header.
 */
import type { GoFileEdit } from './go-file-edit.js';
import { contextExpressionAt, lineAt, lineNumber, matchingBrace, parenContent, splitArgs } from './go-syntax.js';
import { MODULES } from './otel-releases.js';

export interface OutboundRewrite {
  /** Whether the edits use the generated helpers (tracedGet, tracedHTTPClient …) of the package. */
  usesHelpers: boolean;
  /** Whether they use otelhttp directly (Client literals). */
  usesOtelhttp: boolean;
  changes: string[];
  /** Places left alone, as `file:line what` lines. */
  leftAlone: string[];
}

const HELPERS: Record<string, string> = {
  Get: 'tracedGet',
  Post: 'tracedPost',
  Head: 'tracedHead',
  PostForm: 'tracedPostForm',
};

/** Rewrites one call or literal at a time, re-reading the text after each, until nothing is left to rewrite. */
export function rewriteOutboundHttp(edit: GoFileEdit): OutboundRewrite {
  const out: OutboundRewrite = { usesHelpers: false, usesOtelhttp: false, changes: [], leftAlone: [] };
  const skipped = new Set<string>(); // lines left alone, by their text
  for (let guard = 0; guard < 200; guard++) {
    const text = edit.current;
    const next = nextSite(text, skipped);
    if (!next) break;
    const applied = next.apply(edit, text);
    if (applied) {
      out.changes.push(applied.what);
      if (applied.helpers) out.usesHelpers = true;
      if (applied.otelhttp) out.usesOtelhttp = true;
    } else {
      skipped.add(lineAt(text, next.index).text);
      out.leftAlone.push(`- ${edit.path}:${lineNumber(text, next.index)} ${next.label}`);
    }
  }
  if (out.usesOtelhttp) edit.need({ path: MODULES.otelhttp });
  return out;
}

interface Site {
  index: number;
  label: string;
  apply(edit: GoFileEdit, text: string): { what: string; helpers?: boolean; otelhttp?: boolean } | undefined;
}

/** Replaces `old` on its line by `replacement` (the line must be unique in the file). */
function replaceOnLine(edit: GoFileEdit, text: string, index: number, old: string, replacement: string): boolean {
  const line = lineAt(text, index);
  const offset = index - line.start;
  const newLine = line.text.slice(0, offset) + line.text.slice(offset).replace(old, () => replacement);
  return edit.replace(line.text, newLine);
}

function nextSite(text: string, skipped: ReadonlySet<string>): Site | undefined {
  const sites: Site[] = [];
  const ok = (index: number) => !skipped.has(lineAt(text, index).text) && !insideComment(text, index);

  for (const m of text.matchAll(/(?<![\w.])http\.(Get|Post|Head|PostForm)\(/g)) {
    if (!ok(m.index)) continue;
    sites.push({
      index: m.index,
      label: `http.${m[1]}(…)`,
      apply(edit, t) {
        const ctxExpr = contextExpressionAt(t, m.index) ?? 'context.TODO()';
        if (ctxExpr === 'context.TODO()') edit.need({ path: 'context' });
        const helper = HELPERS[m[1]!]!;
        const call = parenContent(t, m.index + m[0].length - 1);
        if (!call) return undefined;
        const oldCall = t.slice(m.index, call.close + 1);
        // With the context in front, the call has several arguments: gofmt writes `a+b` there instead of `a + b`.
        const args = splitArgs(call.inner).map((a) => compactConcatenation(a));
        return replaceOnLine(edit, t, m.index, oldCall, `${helper}(${[ctxExpr, ...args].join(', ')})`)
          ? { what: `http.${m[1]} → ${helper}(${ctxExpr}, …)`, helpers: true }
          : undefined;
      },
    });
    break;
  }
  for (const m of text.matchAll(/(?<![\w.])http\.DefaultClient\b/g)) {
    if (!ok(m.index)) continue;
    sites.push({
      index: m.index,
      label: 'http.DefaultClient',
      apply: (edit, t) =>
        replaceOnLine(edit, t, m.index, m[0], 'tracedHTTPClient')
          ? { what: 'http.DefaultClient → tracedHTTPClient', helpers: true }
          : undefined,
    });
    break;
  }
  for (const m of text.matchAll(/(?<![\w.])http\.NewRequest\(/g)) {
    if (!ok(m.index)) continue;
    const ctxExpr = contextExpressionAt(text, m.index);
    sites.push({
      index: m.index,
      label: 'http.NewRequest(…) without a request context in reach: use http.NewRequestWithContext(ctx, …)',
      apply: (edit, t) =>
        ctxExpr && replaceOnLine(edit, t, m.index, m[0], `http.NewRequestWithContext(${ctxExpr}, `)
          ? { what: `http.NewRequest → http.NewRequestWithContext(${ctxExpr}, …)` }
          : undefined,
    });
    break;
  }
  for (const m of text.matchAll(/(?<![\w.])http\.Client\s*\{/g)) {
    const open = m.index + m[0].length - 1;
    const close = matchingBrace(text, open);
    if (close === -1 || !ok(m.index)) continue;
    const literal = text.slice(m.index, close + 1);
    if (/\botelhttp\./.test(literal)) continue;
    sites.push({
      index: m.index,
      label: 'http.Client{…} literal',
      apply: (edit) => wrapClientLiteral(edit, literal, open - m.index),
    });
    break;
  }
  sites.sort((a, b) => a.index - b.index);
  return sites[0];
}

/** `http.Client{…}` with the otelhttp transport around the one it sets, or around http.DefaultTransport. */
function wrapClientLiteral(
  edit: GoFileEdit,
  literal: string,
  braceAt: number,
): { what: string; otelhttp: boolean } | undefined {
  const inner = literal.slice(braceAt + 1, -1);
  const fields = splitArgs(inner);
  const transport = fields.find((f) => /^Transport\s*:/.test(f));
  let replacement: string;
  if (transport) {
    const value = transport.replace(/^Transport\s*:\s*/, '');
    const at = inner.indexOf(transport);
    replacement = `${literal.slice(0, braceAt + 1)}${inner.slice(0, at)}Transport: otelhttp.NewTransport(${value})${inner.slice(at + transport.length)}}`;
  } else if (inner.trim() === '') {
    replacement = `${literal.slice(0, braceAt + 1)}Transport: otelhttp.NewTransport(http.DefaultTransport)}`;
  } else if (inner.startsWith('\n')) {
    const indent = /^\n([ \t]*)/.exec(inner)![1];
    replacement = `${literal.slice(0, braceAt + 1)}\n${indent}Transport: otelhttp.NewTransport(http.DefaultTransport),${inner}}`;
  } else {
    replacement = `${literal.slice(0, braceAt + 1)}Transport: otelhttp.NewTransport(http.DefaultTransport), ${inner.replace(/^\s+/, '')}}`;
  }
  return edit.replace(literal, replacement)
    ? { what: 'http.Client literal → Transport: otelhttp.NewTransport(…)', otelhttp: true }
    : undefined;
}

/** `a + "b" + c` → `a+"b"+c` when every ` + ` is outside strings and brackets; other text unchanged. */
function compactConcatenation(arg: string): string {
  let out = '';
  let depth = 0;
  let quote = '';
  for (let i = 0; i < arg.length; i++) {
    const ch = arg[i]!;
    if (quote) {
      if (ch === '\\' && quote !== '`') {
        out += ch + (arg[i + 1] ?? '');
        i++;
        continue;
      }
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === '`' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (depth === 0 && arg.startsWith(' + ', i)) {
      out += '+';
      i += 2;
      continue;
    }
    out += ch;
  }
  return out;
}

function insideComment(text: string, index: number): boolean {
  const line = lineAt(text, index);
  return /\/\//.test(line.text.slice(0, index - line.start)) || /^\s*\*/.test(line.text);
}
