/** package.json and tsconfig.json: what the scan needs from them, with line evidence. */
import type { Evidence } from '../../types/scan.js';
import type { Dependency } from '../../repo/manifests/dependency.js';
import { evidenceAt } from '../../repo/text.js';

export type { Dependency };

export interface Script {
  name: string;
  body: string;
  evidence: Evidence;
}

export interface PackageJson {
  name?: string;
  dependencies: Dependency[];
  /** start first, then dev (the order the scan prefers them). */
  scripts: Script[];
  /** Every script, for agents started from a script (node -r dd-trace/init ...). */
  allScripts: Script[];
  main?: string;
  type?: 'module' | 'commonjs';
  workspaces: boolean;
  /** The rule for a service: it has dependencies or scripts. */
  hasDepsOrScripts: boolean;
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Line of `"key":` in the raw text, first one after `after` (an offset), else line 1. */
function keyEvidence(file: string, text: string, key: string, after = 0): Evidence {
  const re = new RegExp(`"${escapeRegExp(key)}"\\s*:`, 'g');
  re.lastIndex = after;
  const m = re.exec(text) ?? (after > 0 ? new RegExp(re.source).exec(text) : null);
  return m ? evidenceAt(file, text, m.index) : { file, line: 1, text: text.split('\n', 1)[0]?.trim() ?? '' };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses package.json; returns an error message when it is not a JSON object. */
export function parsePackageJson(file: string, text: string): PackageJson | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { error: `package.json is not valid JSON (${(e as Error).message})` };
  }
  if (!isRecord(data)) return { error: 'package.json does not hold a JSON object' };

  const dependencies: Dependency[] = [];
  for (const field of DEP_FIELDS) {
    const deps = data[field];
    if (!isRecord(deps)) continue;
    const fieldAt = text.search(new RegExp(`"${field}"\\s*:`));
    for (const name of Object.keys(deps)) {
      dependencies.push({ name, evidence: keyEvidence(file, text, name, Math.max(0, fieldAt)) });
    }
  }
  const allScripts: Script[] = [];
  const scriptsAt = Math.max(0, text.search(/"scripts"\s*:/));
  if (isRecord(data.scripts)) {
    for (const [name, body] of Object.entries(data.scripts)) {
      if (typeof body === 'string') allScripts.push({ name, body, evidence: keyEvidence(file, text, name, scriptsAt) });
    }
  }
  const scripts = ['start', 'dev'].flatMap((n) => allScripts.filter((s) => s.name === n));
  const result: PackageJson = {
    dependencies,
    scripts,
    allScripts,
    workspaces: Array.isArray(data.workspaces) || isRecord(data.workspaces),
    hasDepsOrScripts: dependencies.length > 0 || allScripts.length > 0,
  };
  if (typeof data.name === 'string' && data.name) result.name = data.name;
  if (typeof data.main === 'string' && data.main) result.main = data.main;
  if (data.type === 'module' || data.type === 'commonjs') result.type = data.type;
  return result;
}

export interface TsConfig {
  module?: string;
  outDir?: string;
  rootDir?: string;
}

/** tsconfig.json is JSONC; the few fields we need are read with patterns rather than a parser. */
export function readTsConfig(text: string): TsConfig {
  const pick = (key: string) => new RegExp(`"${key}"\\s*:\\s*"([^"]*)"`).exec(text)?.[1];
  const out: TsConfig = {};
  const module = pick('module');
  const outDir = pick('outDir');
  const rootDir = pick('rootDir');
  if (module) out.module = module.toLowerCase();
  if (outDir) out.outDir = outDir.replace(/^\.\//, '').replace(/\/$/, '');
  if (rootDir) out.rootDir = rootDir.replace(/^\.\//, '').replace(/\/$/, '');
  return out;
}
