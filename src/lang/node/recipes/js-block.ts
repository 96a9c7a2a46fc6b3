/**
 * Just enough JavaScript/TypeScript lexing to find where a `{ … }` block ends: strings, template literals (with nested
 * `${}`), and comments are skipped. Anything the lexer cannot be sure about — a `/` that may start a regular expression,
 * a template literal spanning lines (re-indenting would change its text) — makes it give up, so callers fall back to a
 * note instead of a wrong edit.
 */
export interface Block {
  /** Index just after the closing brace. */
  end: number;
}

/** The block opened by the `{` at `open`, or undefined when it cannot be delimited with confidence. */
export function blockAt(text: string, open: number): Block | undefined {
  if (text[open] !== '{') return undefined;
  const stack: Array<'{' | '${'> = [];
  let i = open;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
      continue;
    }
    if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close === -1) return undefined;
      i = close + 2;
      continue;
    }
    if (c === '/') return undefined; // division or a regular expression: not worth guessing
    if (c === '"' || c === "'") {
      let j = i + 1;
      for (; j < text.length && text[j] !== c; j++) {
        if (text[j] === '\\') j++;
        else if (text[j] === '\n') return undefined;
      }
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const end = templateEnd(text, i);
      if (end === undefined) return undefined;
      i = end;
      continue;
    }
    if (c === '{') stack.push('{');
    else if (c === '}') {
      stack.pop();
      if (stack.length === 0) return { end: i + 1 };
    }
    i++;
  }
  return undefined;
}

/** End (exclusive) of the template literal starting at `start`; undefined when it spans lines or nests templates. */
function templateEnd(text: string, start: number): number | undefined {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '\n') return undefined;
    if (c === '`') return i + 1;
    if (c === '$' && text[i + 1] === '{') {
      // Expressions inside ${}: strings and braces only.
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        const d = text[i]!;
        if (d === '\n' || d === '`' || d === '/') return undefined;
        if (d === '"' || d === "'") {
          let j = i + 1;
          for (; j < text.length && text[j] !== d; j++) if (text[j] === '\\') j++;
          i = j + 1;
          continue;
        }
        if (d === '{') depth++;
        else if (d === '}') depth--;
        i++;
      }
      continue;
    }
    i++;
  }
  return undefined;
}
