/** Small, careful text helpers for Go code: brace matching, argument splitting, enclosing function parameters. */

/** Index of the `}` closing the `{` at `open` (strings, runes and comments skipped), or -1. */
export function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      if (nl === -1) return -1;
      i = nl;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return -1;
      i = end + 1;
    } else if (ch === '"' || ch === "'") {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === '\\') i++;
    } else if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end === -1) return -1;
      i = end;
    } else if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Splits a call's argument text at top-level commas. */
export function splitArgs(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let quote = '';
  for (let i = 0; i < args.length; i++) {
    const ch = args[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === '`' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      out.push(args.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = args.slice(start).trim();
  if (last !== '') out.push(last);
  return out;
}

/** The text between the `(` at `open` and its matching `)`, or undefined. */
export function parenContent(text: string, open: number): { inner: string; close: number } | undefined {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === '`' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) return { inner: text.slice(open + 1, i), close: i };
    }
  }
  return undefined;
}

/** The full line (with its newline) that contains `index`. */
export function lineAt(text: string, index: number): { start: number; end: number; text: string } {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const nl = text.indexOf('\n', index);
  const end = nl === -1 ? text.length : nl + 1;
  return { start, end, text: text.slice(start, end) };
}

export function lineNumber(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/**
 * A Go expression for the request's context inside the function (declaration or literal) around `index`, read from
 * its parameters: ctx context.Context → ctx, r *http.Request → r.Context(), c *gin.Context → c.Request.Context(),
 * c echo.Context → c.Request().Context().
 */
export function contextExpressionAt(text: string, index: number): string | undefined {
  const before = text.slice(0, index);
  const funcs = [...before.matchAll(/func\s*(?:\([^)]*\)\s*)?\w*\s*\(([^)]*)\)[^{\n]*\{/g)];
  for (let i = funcs.length - 1; i >= 0; i--) {
    const f = funcs[i]!;
    const close = matchingBrace(text, f.index + f[0].length - 1);
    if (close !== -1 && close < index) continue; // that function ended before index
    const params = f[1]!;
    const ctxParam = /(\w+)\s+context\.Context\b/.exec(params);
    if (ctxParam) return ctxParam[1];
    const req = /(\w+)\s+\*http\.Request\b/.exec(params);
    if (req) return `${req[1]}.Context()`;
    const gin = /(\w+)\s+\*gin\.Context\b/.exec(params);
    if (gin) return `${gin[1]}.Request.Context()`;
    const echo = /(\w+)\s+echo\.Context\b/.exec(params);
    if (echo) return `${echo[1]}.Request().Context()`;
  }
  return undefined;
}
