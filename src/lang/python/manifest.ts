/**
 * Python manifests: requirements*.txt, pyproject.toml (PEP 621 and Poetry), Pipfile, setup.py. TOML files are read with
 * smol-toml; a broken one is reported naming the file, the line and the column. Evidence lines come from toml-lines.ts.
 */
import { parse as parseTomlText, TomlError } from 'smol-toml';
import type { Evidence } from '../../types/scan.js';
import { evidenceAt } from '../../repo/text.js';
import type { Dependency } from '../../repo/manifests/dependency.js';
import { TomlLines } from './toml-lines.js';

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

type TomlTable = Record<string, unknown>;

function lineEvidence(file: string, lines: string[], line: number): Evidence {
  return { file, line, text: (lines[line - 1] ?? '').trim() };
}

const isTable = (v: unknown): v is TomlTable =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function tableAt(doc: TomlTable, path: readonly string[]): TomlTable | undefined {
  let cur: unknown = doc;
  for (const key of path) cur = isTable(cur) ? cur[key] : undefined;
  return isTable(cur) ? cur : undefined;
}

/** "…is not valid TOML (line 5, column 1: invalid value…)", from smol-toml's error, naming the file. */
function tomlError(file: string, text: string, e: unknown): string {
  if (!(e instanceof TomlError))
    return `${file} could not be read as TOML (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
  const reason = e.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
  const offset =
    text
      .split('\n')
      .slice(0, e.line - 1)
      .reduce((n, l) => n + l.length + 1, 0) +
    e.column -
    1;
  const atEnd = text.slice(offset).trim() === '';
  const hint = atEnd ? '; the file ends before the value is complete (an unclosed bracket, brace or string?)' : '';
  return `${file} is not valid TOML (line ${e.line}, column ${e.column}: ${reason}${hint})`;
}

/** pyproject.toml (PEP 621, PEP 735 dependency groups, Poetry) and Pipfile, read with smol-toml. */
export function parseToml(
  file: string,
  text: string,
  kind: 'pyproject' | 'pipfile',
): PythonManifest | { error: string } {
  let doc: TomlTable;
  try {
    doc = parseTomlText(text);
  } catch (e) {
    return { error: tomlError(file, text, e) };
  }
  const lines = text.split('\n');
  const where = new TomlLines(text);
  const out: PythonManifest = { dependencies: [] };
  const add = (name: string, line: number) =>
    out.dependencies.push({ name, evidence: lineEvidence(file, lines, line) });
  /** Requirement strings ("flask>=3") in the arrays under `key` of the table at `path`. */
  const requirements = (path: string[], key: string, value: unknown) => {
    if (!Array.isArray(value)) return;
    let cursor = where.keyLine(path, key);
    for (const item of value) {
      if (typeof item !== 'string') continue; // e.g. {include-group = "test"}
      const m = REQ_NAME.exec(item);
      if (!m) continue;
      const line = where.stringLine(cursor, item) ?? cursor;
      cursor = line;
      add(m[1]!, line);
    }
  };
  /** The keys of a table of packages (`flask = "^3"`), but python itself. */
  const packageKeys = (path: string[]) => {
    for (const name of Object.keys(tableAt(doc, path) ?? {}))
      if (name !== 'python') add(name, where.keyLine(path, name));
  };
  if (kind === 'pyproject') {
    const project = tableAt(doc, ['project']);
    const poetry = tableAt(doc, ['tool', 'poetry']);
    const name = project?.name ?? poetry?.name;
    if (typeof name === 'string') out.name = name;
    requirements(['project'], 'dependencies', project?.dependencies);
    for (const [extra, list] of Object.entries(tableAt(doc, ['project', 'optional-dependencies']) ?? {})) {
      requirements(['project', 'optional-dependencies'], extra, list);
    }
    for (const [group, list] of Object.entries(tableAt(doc, ['dependency-groups']) ?? {}))
      requirements(['dependency-groups'], group, list);
    packageKeys(['tool', 'poetry', 'dependencies']);
    packageKeys(['tool', 'poetry', 'dev-dependencies']);
    for (const group of Object.keys(tableAt(doc, ['tool', 'poetry', 'group']) ?? {}))
      packageKeys(['tool', 'poetry', 'group', group, 'dependencies']);
  } else {
    packageKeys(['packages']);
    packageKeys(['dev-packages']);
  }
  out.dependencies.sort((a, b) => a.evidence.line - b.evidence.line);
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
