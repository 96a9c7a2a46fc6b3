/**
 * Node package facts of a service: the @opentelemetry packages its code and start scripts import, those its package.json
 * files declare, and those that resolve from its folder in node_modules as `require` looks them up.
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Evidence, Service } from '../../../types/scan.js';
import { lineNumberAt, lineTextAt } from '../../../repo/text.js';
import type { CheckContext } from '../../../verify/check.js';
import { readText, serviceSources } from '../../../source-reading/repo-files.js';
import { sdkSetup } from '../../../source-reading/sdk-setup.js';
import { evidence } from '../../../source-reading/code.js';
import { serviceDir, shownPath } from '../../../doctor/packages/service-paths.js';
import { readRegularFile } from '../../../repo/read.js';

export interface InstalledNode {
  name: string;
  version: string;
  /** Real folder of the package (symlinks resolved), where its own dependencies resolve from. */
  real: string;
  /** Its package.json, repo-relative when inside the repo. */
  shown: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}

export interface DeclaredNode {
  spec: string;
  evidence: Evidence;
}

export interface NodeFacts {
  /** Imported @opentelemetry packages → the first place. */
  imports: Map<string, Evidence>;
  /** Declared in the service's package.json or a package.json above it up to the repo root (nearest wins). */
  declared: Map<string, DeclaredNode>;
  /** @opentelemetry packages that resolve from the service folder (what `require` would load). */
  installed: Map<string, InstalledNode>;
  /** Whether any node_modules folder is on the lookup path. */
  nodeModules: boolean;
  packageName: string;
}

const NODE_IMPORT =
  /(?:\brequire\s*\(\s*|\bimport\s*\(\s*|\bfrom\s+|^\s*import\s+|--require[=\s]+|--import[=\s]+|\s-r\s+)['"]?(@opentelemetry\/[\w.-]+)/gm;

function readJson(abs: string): Record<string, unknown> | undefined {
  // Node's lookup may leave the repo, so not the repo reader; still never a FIFO or device, and capped.
  const text = readRegularFile(abs);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

/** Folders from `dir` up to the filesystem root, as Node's lookup walks them. */
function foldersUp(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    if (path.basename(d) !== 'node_modules') out.push(d);
    if (path.dirname(d) === d) return out;
  }
}

/** The package `name` as `require` resolves it from `fromDir` (its package.json), or undefined. */
export function resolveNodePackage(root: string, fromDir: string, name: string): InstalledNode | undefined {
  for (const dir of foldersUp(fromDir)) {
    const pkgDir = path.join(dir, 'node_modules', ...name.split('/'));
    const json = readJson(path.join(pkgDir, 'package.json'));
    if (!json || typeof json.version !== 'string') continue;
    let real = pkgDir;
    try {
      real = realpathSync(pkgDir);
    } catch {
      /* keep the link path */
    }
    return {
      name,
      version: json.version,
      real,
      shown: shownPath(root, path.join(pkgDir, 'package.json')),
      dependencies: record(json.dependencies),
      peerDependencies: record(json.peerDependencies),
    };
  }
  return undefined;
}

export async function nodeFacts(ctx: CheckContext, service: Service): Promise<NodeFacts> {
  const imports = new Map<string, Evidence>();
  for (const f of await serviceSources(ctx, service)) {
    for (const m of f.code.matchAll(NODE_IMPORT))
      if (!imports.has(m[1]!)) imports.set(m[1]!, evidence(f, m.index + m[0].indexOf('@opentelemetry')));
  }
  const setup = await sdkSetup(ctx, service);
  for (const s of setup.starts) {
    for (const m of s.command.matchAll(NODE_IMPORT)) if (!imports.has(m[1]!)) imports.set(m[1]!, s.evidence);
  }
  const declared = new Map<string, DeclaredNode>();
  let packageName = service.name;
  const rels: string[] = [];
  for (let dir = service.root === '' ? '.' : service.root; ; dir = path.posix.dirname(dir)) {
    rels.push(dir === '.' ? 'package.json' : `${dir}/package.json`);
    if (dir === '.') break;
  }
  for (const [i, rel] of rels.entries()) {
    const text = await readText(ctx, rel);
    if (text === undefined) continue;
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (i === 0 && typeof json.name === 'string') packageName = json.name;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      for (const [name, spec] of Object.entries(record(json[field]))) {
        if (!name.startsWith('@opentelemetry/') || declared.has(name)) continue;
        const at = text.indexOf(JSON.stringify(name));
        declared.set(name, { spec, evidence: { file: rel, line: lineNumberAt(text, at), text: lineTextAt(text, at) } });
      }
    }
  }
  const installed = new Map<string, InstalledNode>();
  let nodeModules = false;
  const dir = serviceDir(ctx, service);
  for (const up of foldersUp(dir)) {
    const scope = path.join(up, 'node_modules', '@opentelemetry');
    if (existsSync(path.join(up, 'node_modules'))) nodeModules = true;
    let names: string[] = [];
    try {
      names = readdirSync(scope);
    } catch {
      continue;
    }
    for (const n of names) {
      const name = `@opentelemetry/${n}`;
      if (installed.has(name)) continue;
      const found = resolveNodePackage(ctx.root, up, name);
      if (found) installed.set(name, found);
    }
  }
  return { imports, declared, installed, nodeModules, packageName };
}
