/**
 * Python manifests: requirements*.txt, pyproject.toml (PEP 621 and Poetry), Pipfile, setup.py. There is no TOML parser
 * among our dependencies, so TOML files go through a small line reader that understands tables, `key = value` lines and
 * multi-line arrays / inline tables / strings — enough for dependency lists, and strict enough to report a broken file.
 */
import type { Evidence } from '../scan-schema.js';
import { evidenceAt } from '../text.js';
import type { Dependency } from './node.js';

export interface PythonManifest {
  name?: string;
  dependencies: Dependency[];
}

const REQ_NAME = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/;

export function parseRequirements(file: string, text: string): PythonManifest {
  const dependencies: Dependency[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line || line.startsWith('-') || line.includes('://')) return;
    const m = REQ_NAME.exec(line);
    if (m) dependencies.push({ name: m[1]!, evidence: { file, line: i + 1, text: raw.trim() } });
  });
  return { dependencies };
}

interface TomlEntry {
  table: string;
  key: string;
  /** Raw value text, possibly spanning lines. */
  value: string;
  line: number;
}

/** Reads TOML into table/key/raw-value entries; returns an error for lines it cannot make sense of. */
export function readTomlEntries(text: string): { entries: TomlEntry[] } | { error: string } {
  const entries: TomlEntry[] = [];
  const lines = text.split('\n');
  let table = '';
  for (let i = 0; i < lines.length; i++) {
    const line = stripTomlComment(lines[i]!).trim();
    if (!line) continue;
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(line);
    if (header) {
      table = header[1]!.replace(/\s+/g, '').replace(/"/g, '');
      continue;
    }
    const kv = /^("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) return { error: `line ${i + 1}: expected "key = value" or a [table] header` };
    const key = kv[1]!.replace(/^["']|["']$/g, '');
    let value = kv[2]!;
    const start = i;
    if (!value) return { error: `line ${i + 1}: "${key}" has no value` };
    // Multi-line values: brackets / braces not closed yet, or a triple-quoted string.
    const triple = /^("""|''')/.exec(value)?.[1];
    if (triple && value.indexOf(triple, 3) === -1) {
      while (++i < lines.length && !lines[i]!.includes(triple)) value += '\n' + lines[i];
      if (i >= lines.length) return { error: `line ${start + 1}: unterminated multi-line string for "${key}"` };
      value += '\n' + lines[i];
    } else {
      let depth = bracketDepth(value);
      while (depth > 0 && ++i < lines.length) {
        const next = stripTomlComment(lines[i]!);
        value += '\n' + next;
        depth += bracketDepth(next);
      }
      if (depth !== 0) return { error: `line ${start + 1}: unclosed bracket in the value of "${key}"` };
      if (!/^(["'[{]|true\b|false\b|[-+\d])/.test(value)) {
        return { error: `line ${start + 1}: the value of "${key}" is not a TOML value` };
      }
    }
    entries.push({ table, key, value, line: start + 1 });
  }
  return { entries };
}

function stripTomlComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

function bracketDepth(s: string): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth;
}

/** Each quoted string in a raw value, with its line (relative to the value's first line). */
function quotedStrings(value: string): Array<{ text: string; lineOffset: number }> {
  const out: Array<{ text: string; lineOffset: number }> = [];
  const re = /"([^"\n]*)"|'([^'\n]*)'/g;
  for (const m of value.matchAll(re)) {
    const text = m[1] ?? m[2] ?? '';
    out.push({ text, lineOffset: value.slice(0, m.index).split('\n').length - 1 });
  }
  return out;
}

function unquote(value: string): string | undefined {
  return /^["']([^"']*)["']/.exec(value.trim())?.[1];
}

function lineEvidence(file: string, lines: string[], line: number): Evidence {
  return { file, line, text: (lines[line - 1] ?? '').trim() };
}

/** pyproject.toml and Pipfile. */
export function parseToml(file: string, text: string, kind: 'pyproject' | 'pipfile'): PythonManifest | { error: string } {
  const read = readTomlEntries(text);
  if ('error' in read) return { error: `${kind === 'pyproject' ? 'pyproject.toml' : 'Pipfile'} is not valid TOML (${read.error})` };
  const lines = text.split('\n');
  const out: PythonManifest = { dependencies: [] };
  const add = (name: string, line: number) => out.dependencies.push({ name, evidence: lineEvidence(file, lines, line) });
  for (const e of read.entries) {
    if (kind === 'pyproject') {
      if ((e.table === 'project' || e.table === 'tool.poetry') && e.key === 'name') {
        const name = unquote(e.value);
        if (name) out.name = name;
      }
      const isList =
        (e.table === 'project' && e.key === 'dependencies') ||
        e.table === 'project.optional-dependencies' ||
        e.table === 'dependency-groups';
      if (isList) {
        for (const s of quotedStrings(e.value)) {
          const m = REQ_NAME.exec(s.text);
          if (m) add(m[1]!, e.line + s.lineOffset);
        }
      }
      if (/^tool\.poetry\.(?:(?:group\.[^.]+\.)?dependencies|dev-dependencies)$/.test(e.table) && e.key !== 'python') {
        add(e.key, e.line);
      }
    } else if ((e.table === 'packages' || e.table === 'dev-packages') && e.key !== 'python') {
      add(e.key, e.line);
    }
  }
  return out;
}

/** setup.py: the `name=` and the strings of `install_requires=[...]`. */
export function parseSetupPy(file: string, text: string): PythonManifest {
  const out: PythonManifest = { dependencies: [] };
  const name = /\bname\s*=\s*["']([^"']+)["']/.exec(text);
  if (name) out.name = name[1]!;
  const req = /\binstall_requires\s*=\s*\[([^\]]*)\]/.exec(text);
  if (req) {
    const bodyStart = req.index + req[0].indexOf('[') + 1;
    for (const m of req[1]!.matchAll(/["']([^"'\n]+)["']/g)) {
      const n = REQ_NAME.exec(m[1]!);
      if (n) out.dependencies.push({ name: n[1]!, evidence: evidenceAt(file, text, bodyStart + m.index) });
    }
  }
  return out;
}
