/**
 * Matching a language's library table against manifest dependencies and source files. Lookups go through maps keyed by
 * specifier (trimmed segment by segment), so the cost per file is proportional to its imports, not to the table size.
 */
import type { Evidence } from '../../types/scan.js';
import { evidenceAt } from '../text.js';
import { IMPORT_EXTRACTORS } from './imports.js';
import type { LanguageTable, LibraryRule } from './types.js';

export interface RuleHit {
  rule: LibraryRule;
  evidence: Evidence;
}

export interface PortHit {
  value: number;
  rank: number;
  evidence: Evidence;
  /** The port is a framework's default, not written anywhere (see default-ports.ts): what the default is. */
  frameworkDefault?: string;
  /** For a default: the environment variable that moves it (FLASK_RUN_PORT, UVICORN_PORT, PORT, SERVER_PORT). */
  defaultVariable?: string;
  /** With a default that no variable moves: the argument that does, `{port}` standing for the port (runserver's address). */
  defaultArgument?: string;
}

export interface FileScan {
  hits: RuleHit[];
  ports: PortHit[];
  /** Entry markers found in the file, by kind (first occurrence). */
  markers: Map<string, Evidence>;
  /** Specifiers imported by the file (normalized), for language logic that needs them. */
  imports: Set<string>;
}

export function toPort(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

export class RuleMatcher {
  private readonly byImport = new Map<string, LibraryRule[]>();
  private readonly byPackage = new Map<string, LibraryRule[]>();
  private readonly packagePrefixes: Array<{ prefix: string; rule: LibraryRule }> = [];
  private readonly usageRules: LibraryRule[] = [];
  private readonly extract;

  constructor(readonly table: LanguageTable) {
    this.extract = IMPORT_EXTRACTORS[table.language] ?? (() => []);
    for (const rule of table.rules) {
      if (rule.usage) this.usageRules.push(rule);
      else for (const spec of rule.imports ?? []) push(this.byImport, spec, rule);
      for (const pkg of rule.packages ?? []) {
        if (pkg.endsWith('*')) this.packagePrefixes.push({ prefix: normalizePackage(table, pkg.slice(0, -1)), rule });
        else push(this.byPackage, normalizePackage(table, pkg), rule);
      }
    }
  }

  /** Rules for an import specifier: the longest listed segment prefix. */
  private lookup(map: Map<string, LibraryRule[]>, spec: string): LibraryRule[] | undefined {
    const sep = this.table.importSeparator;
    let key = spec;
    for (;;) {
      const found = map.get(key);
      if (found) return found;
      const cut = key.lastIndexOf(sep);
      if (cut <= 0) return undefined;
      key = key.slice(0, cut);
    }
  }

  /** Rules a manifest dependency name stands for. */
  matchPackage(name: string): LibraryRule[] {
    const norm = normalizePackage(this.table, name);
    const sep = this.table.importSeparator === '/' ? this.lookup(this.byPackage, norm) : this.byPackage.get(norm);
    const out = sep ? [...sep] : [];
    for (const p of this.packagePrefixes) if (norm.startsWith(p.prefix) && !out.includes(p.rule)) out.push(p.rule);
    return out;
  }

  scanFile(file: string, text: string): FileScan {
    const hits: RuleHit[] = [];
    const seen = new Set<LibraryRule>();
    // Each distinct hint is searched once per file.
    const hintCache = new Map<string, boolean>();
    const has = (hint: string): boolean => {
      let found = hintCache.get(hint);
      if (found === undefined) hintCache.set(hint, (found = text.includes(hint)));
      return found;
    };
    const imports = new Set<string>();
    for (const ref of this.extract(text)) {
      imports.add(ref.spec);
      for (const rule of this.lookup(this.byImport, ref.spec) ?? []) {
        if (seen.has(rule)) continue;
        seen.add(rule);
        hits.push({ rule, evidence: evidenceAt(file, text, ref.index) });
      }
    }
    for (const rule of this.usageRules) {
      const usage = rule.usage!;
      if (!has(usage.hint)) continue;
      if (rule.imports && !rule.imports.some((i) => imports.has(i))) continue;
      if (rule.unlessImported && rule.unlessImported.some((u) => hasImport(imports, u))) continue;
      const m = usage.pattern.exec(text);
      if (m) hits.push({ rule, evidence: evidenceAt(file, text, m.index) });
    }

    const ports: PortHit[] = [];
    for (const p of this.table.ports) {
      if (!has(p.hint)) continue;
      p.pattern.lastIndex = 0;
      for (const m of text.matchAll(p.pattern)) {
        const value = toPort(m[1]);
        if (value !== undefined) ports.push({ value, rank: p.rank, evidence: evidenceAt(file, text, m.index) });
      }
    }

    const markers = new Map<string, Evidence>();
    for (const marker of this.table.entryMarkers) {
      if (markers.has(marker.kind) || !has(marker.hint)) continue;
      const m = marker.pattern.exec(text);
      if (m) markers.set(marker.kind, evidenceAt(file, text, m.index));
    }
    return { hits, ports, markers, imports };
  }
}

function hasImport(imports: Set<string>, name: string): boolean {
  for (const spec of imports) if (spec === name || spec.startsWith(name + '/')) return true;
  return false;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Python distribution names compare case-insensitively with '-', '_' and '.' alike (PEP 503). */
export function normalizePackage(table: LanguageTable, name: string): string {
  return table.language === 'python' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}
