/**
 * Where things sit in a TOML file, for evidence: smol-toml reads the values but keeps no positions, so the lines of a
 * table's keys and of the strings in its arrays are found in the text afterwards (comments ignored). Each lookup
 * answers a 1-based line, falling back to the table's header (or line 1) when the text writes it in a form not found.
 */

/** The text of a line without its `#` comment (a `#` inside a string stays). */
function withoutComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A dotted table path as TOML may write it in a header: `a.b`, `a . "b"`, `'a'.b`. */
function headerPattern(path: readonly string[]): RegExp {
  const part = (p: string) => `(?:${escapeRegExp(p)}|"${escapeRegExp(p)}"|'${escapeRegExp(p)}')`;
  return new RegExp(`^\\s*\\[\\[?\\s*${path.map(part).join('\\s*\\.\\s*')}\\s*\\]\\]?\\s*$`);
}

export class TomlLines {
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.split('\n').map(withoutComment);
  }

  /** The 1-based line of `[path]` (or `[[path]]`); 0 for the root table or when no header names it. */
  tableLine(path: readonly string[]): number {
    if (path.length === 0) return 0;
    const re = headerPattern(path);
    const i = this.lines.findIndex((l) => re.test(l));
    return i === -1 ? 0 : i + 1;
  }

  /** The line of `key = …` inside the table at `path` (before the next header), else anywhere after it, else the header. */
  keyLine(path: readonly string[], key: string): number {
    const start = this.tableLine(path);
    const k = escapeRegExp(key);
    const own = new RegExp(`^\\s*(?:${k}|"${k}"|'${k}')\\s*[=.]`);
    // `start` is the header's 1-based line, so as an index it is the first line of the table's body.
    for (let i = start; i < this.lines.length && !/^\s*\[/.test(this.lines[i]!); i++) {
      if (own.test(this.lines[i]!)) return i + 1;
    }
    const anywhere = new RegExp(`(?:^|[\\s{,."'])(?:${k}|"${k}"|'${k}')\\s*=`);
    for (let i = start; i < this.lines.length; i++) if (anywhere.test(this.lines[i]!)) return i + 1;
    return Math.max(start, 1);
  }

  /** The first line at or after `from` (1-based) holding the string `value` in quotes, else holding its text. */
  stringLine(from: number, value: string): number | undefined {
    const quoted = [`"${value}"`, `'${value}'`];
    for (let i = Math.max(from, 1) - 1; i < this.lines.length; i++)
      if (quoted.some((q) => this.lines[i]!.includes(q))) return i + 1;
    for (let i = Math.max(from, 1) - 1; i < this.lines.length; i++) if (this.lines[i]!.includes(value)) return i + 1;
    return undefined;
  }
}
