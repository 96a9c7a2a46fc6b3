/**
 * The Node.js version a service says it runs on, read from the service's own files: package.json engines.node,
 * .nvmrc / .node-version (in the service folder, then the repo root), and the `FROM node:<tag>` lines of its Dockerfile.
 * A version written without its minor or patch ("20", "node:20-alpine", ">=20") stands for the newest release of that
 * line, which is what nvm, the image tag and an install of the line give; so it is kept as a range ("20.x").
 */
import semver from 'semver';
import type { Service } from '../../../types/scan.js';
import { inService, type PlanContext } from '../../../plan/context.js';
import { readPackageJson } from './service-files.js';

export interface NodeRuntime {
  /** An npm range for the Node versions meant: "20.x", "20.11.x", "=20.11.1". */
  range: string;
  /** As written, for the proposal's reason line: "v20.11.1", "node:20-alpine". */
  written: string;
  /** Where it was read: "package.json engines.node", ".nvmrc", "Dockerfile:3", "this machine's `node --version`". */
  source: string;
}

/** The range a version text stands for, or undefined when it names no version ("lts/*", "current", "latest"). */
export function nodeLineRange(text: string): string | undefined {
  const token = /(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?/.exec(text);
  if (!token) return undefined;
  const [, major, minor, patch] = token;
  const written = (part: string | undefined) => part !== undefined && /^\d+$/.test(part);
  if (!written(minor)) return `${major}.x`;
  if (!written(patch)) return `${major}.${minor}.x`;
  return `=${major}.${minor}.${patch}`;
}

/** The range for an engines.node range: its lowest bound, read as a line when written without minor or patch. */
export function enginesRange(engines: string): string | undefined {
  if (semver.validRange(engines) === null) return undefined;
  const lowest = semver.minVersion(engines);
  const line = nodeLineRange(engines);
  // "<22" or "*" start at 0.0.0: no lower bound, so nothing is known.
  if (!lowest || !line || lowest.major === 0) return undefined;
  // The first version written is the lower bound (">=20", "^20.11", "20.x || 22.x"): keep how precisely it was written.
  return semver.minVersion(line)?.version === lowest.version ? line : `=${lowest.version}`;
}

/** Every `FROM node:<tag>` of a Dockerfile (any registry prefix, `--platform`, `AS stage`), with its line. */
export function dockerNodeTags(text: string): { tag: string; line: number }[] {
  const out: { tag: string; line: number }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /^\s*FROM\s+(?:--\S+\s+)*(?:\S+\/)?node:(\S+)/i.exec(line);
    if (m) out.push({ tag: m[1]!, line: i + 1 });
  });
  return out;
}

function enginesOf(packageJson: string): unknown {
  try {
    return (JSON.parse(packageJson) as { engines?: { node?: unknown } }).engines?.node;
  } catch {
    return undefined;
  }
}

/** What the service's files say about its Node version, every source found (empty when none names a version). */
export async function declaredNodeRuntimes(ctx: PlanContext, service: Service): Promise<NodeRuntime[]> {
  const out: NodeRuntime[] = [];
  const pkg = await readPackageJson(ctx, service);
  const engines = pkg ? enginesOf(pkg.text) : undefined;
  if (typeof engines === 'string') {
    const range = enginesRange(engines);
    if (range) out.push({ range, written: engines, source: `${pkg!.path} engines.node` });
  }
  const roots = [...new Set([service.root, '.'])];
  for (const file of ['.nvmrc', '.node-version']) {
    for (const root of roots) {
      const rel = root === '.' || root === '' ? file : inService(service, file);
      const text = (await ctx.repo.read(rel))?.trim();
      const range = text && !/^lts\b|^node$|^current|^latest|^stable/i.test(text) ? nodeLineRange(text) : undefined;
      if (range) {
        out.push({ range, written: text!, source: rel });
        break;
      }
    }
  }
  const dockerfile = inService(service, 'Dockerfile');
  for (const { tag, line } of dockerNodeTags((await ctx.repo.read(dockerfile)) ?? '')) {
    const range = /^\d/.test(tag) ? nodeLineRange(tag) : undefined;
    if (range) out.push({ range, written: `node:${tag}`, source: `${dockerfile}:${line}` });
  }
  return out;
}
