/**
 * Exact text edits to a package.json: add dependencies (only the missing ones; existing specifiers such as `workspace:*`
 * are kept as they are) and load a set-up file first in a script. Edits replace the smallest unique span of text, so the
 * rest of the file keeps its formatting.
 */
import type { EditPair } from '../../../types/proposal.js';

export interface PackageJsonData {
  name?: string;
  type?: string;
  main?: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

function record(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function parsePackageJsonData(text: string): PackageJsonData | undefined {
  try {
    const data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Record<string, unknown>;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
    const out: PackageJsonData = {
      scripts: record(data.scripts),
      dependencies: record(data.dependencies),
      devDependencies: record(data.devDependencies),
    };
    if (typeof data.name === 'string') out.name = data.name;
    if (typeof data.type === 'string') out.type = data.type;
    if (typeof data.main === 'string') out.main = data.main;
    return out;
  } catch {
    return undefined;
  }
}

function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** The end (exclusive) of the JSON object starting at `open` (a `{`), skipping strings. */
function objectEnd(text: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return undefined;
}

function indentUnit(text: string): string {
  return /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
}

/** The edit that adds `add` (name → exact version) to `dependencies`, sorted like npm writes them; undefined when nothing is missing. */
export function addDependenciesEdit(text: string, add: Record<string, string>): EditPair | undefined {
  const data = parsePackageJsonData(text);
  if (!data) return undefined;
  const missing = Object.entries(add).filter(
    ([name]) => !(name in data.dependencies) && !(name in data.devDependencies),
  );
  if (missing.length === 0) return undefined;
  const unit = indentUnit(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const merged = Object.fromEntries(
    [...Object.entries(data.dependencies), ...missing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const body = (inner: string) =>
    `{${eol}${Object.entries(merged)
      .map(([k, v]) => `${inner}${unit}${JSON.stringify(k)}: ${JSON.stringify(v)}`)
      .join(`,${eol}`)}${eol}${inner}}`;

  const keyMatch = /^([ \t]*)"dependencies"\s*:\s*\{/m.exec(text);
  if (keyMatch && occurrences(text, '"dependencies"') === 1) {
    const open = keyMatch.index + keyMatch[0].length - 1;
    const end = objectEnd(text, open);
    if (end === undefined) return undefined;
    const old = text.slice(keyMatch.index, end);
    return { old, new: `${keyMatch[1]}"dependencies": ${body(keyMatch[1] ?? '')}` };
  }
  // A package.json written on one line (or with the key mid-line): replace the object in the same compact style.
  const inline = /"dependencies"\s*:\s*\{/.exec(text);
  if (inline && occurrences(text, '"dependencies"') === 1) {
    const end = objectEnd(text, inline.index + inline[0].length - 1);
    if (end === undefined) return undefined;
    return { old: text.slice(inline.index, end), new: `"dependencies": ${JSON.stringify(merged)}` };
  }
  // No dependencies yet: add the field before the closing brace of the top-level object.
  const close = text.lastIndexOf('}');
  const before = text.slice(0, close).replace(/\s+$/, '');
  const last = before.slice(-1);
  if (close < 0 || occurrences(text, '"dependencies"') > 0) return undefined;
  const lastLine = before.slice(before.lastIndexOf('\n') + 1);
  const old = lastLine + text.slice(before.length, close + 1);
  if (occurrences(text, old) !== 1) return undefined;
  const comma = last === '{' ? '' : ',';
  return { old, new: `${lastLine}${comma}${eol}${unit}"dependencies": ${body(unit)}${eol}}` };
}

/**
 * The edit that adds the script `name` (absent so far) to package.json: as the first entry of an existing "scripts"
 * object, or as a new "scripts" field written just before "dependencies" (else before the closing brace), in the file's
 * own style (one line stays one line). Undefined when the file cannot be edited exactly (a key written twice...).
 */
export function addScriptEdit(text: string, name: string, body: string): EditPair | undefined {
  const data = parsePackageJsonData(text);
  if (!data || name in data.scripts) return undefined;
  const unit = indentUnit(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const entry = `${JSON.stringify(name)}: ${JSON.stringify(body)}`;
  const scripts = /("scripts"\s*:\s*\{)([ \t]*\r?\n)?([ \t]*)(\}?)/.exec(text);
  if (scripts) {
    if (occurrences(text, '"scripts"') !== 1) return undefined;
    const [old, open, newline, indent = '', close = ''] = scripts as unknown as [
      string,
      string,
      string | undefined,
      string | undefined,
      string | undefined,
    ];
    const compact = `${JSON.stringify(name)}:${JSON.stringify(body)}`;
    if (!newline) return { old, new: `${open}${compact}${close ? '' : ','}${indent}${close}` }; // written on one line
    const lineStart = text.lastIndexOf('\n', scripts.index) + 1;
    const outer = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
    const inner = close ? `${outer}${unit}` : indent;
    return { old, new: `${open}${newline}${inner}${entry}${close ? `${eol}${outer}` : `,${eol}${indent}`}${close}` };
  }
  if (occurrences(text, '"dependencies"') === 1) {
    const line = /^([ \t]*)"dependencies"/m.exec(text);
    if (line)
      return {
        old: line[0],
        new: `${line[1]}"scripts": {${eol}${line[1]}${unit}${entry}${eol}${line[1]}},${eol}${line[0]}`,
      };
    return { old: '"dependencies"', new: `"scripts":{${JSON.stringify(name)}:${JSON.stringify(body)}},"dependencies"` };
  }
  return undefined;
}

/** The raw JSON text of a script entry (`"start": "node server.js"`), when it occurs exactly once. */
export function scriptEntryText(text: string, name: string, body: string): string | undefined {
  const entry = new RegExp(`${escape(JSON.stringify(name))}\\s*:\\s*${escape(JSON.stringify(body))}`).exec(text)?.[0];
  return entry && occurrences(text, entry) === 1 ? entry : undefined;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
