/** The Go source files of a service as recipes see them: listed once per plan, read through the context's RepoReader. */
import path from 'node:path';
import { planFiles } from '../../../plan/recipes/plan-files.js';
import { isReadSource } from '../../../repo/source-files.js';
import type { Service } from '../../../types/scan.js';
import { inService, type PlanContext } from '../../../plan/context.js';
import { parseGoMod, type GoModFile } from './go-mod.js';

export interface GoSource {
  /** Repo-relative POSIX path. */
  path: string;
  text: string;
}

/** The service's own non-test .go files (not those of a nested Go module, not vendor/). */
export async function goSources(ctx: PlanContext, service: Service): Promise<GoSource[]> {
  const all = await planFiles(ctx);
  const prefix = service.root === '.' || service.root === '' ? '' : `${service.root}/`;
  const nestedModules = all
    .filter((f) => f.startsWith(prefix) && f.endsWith('/go.mod') && f !== `${prefix}go.mod`)
    .map((f) => f.slice(0, -'go.mod'.length));
  const out: GoSource[] = [];
  for (const file of all) {
    if (!file.startsWith(prefix) || !file.endsWith('.go')) continue;
    const rel = file.slice(prefix.length);
    if (!isReadSource('go', rel) || rel.startsWith('vendor/') || nestedModules.some((n) => file.startsWith(n)))
      continue;
    const text = await ctx.repo.read(file);
    if (text !== undefined) out.push({ path: file, text });
  }
  return out;
}

/** The parsed go.mod of the service, when it can be read. */
export async function goModOf(
  ctx: PlanContext,
  service: Service,
): Promise<{ path: string; mod: GoModFile } | undefined> {
  const file = inService(service, 'go.mod');
  const text = await ctx.repo.read(file);
  return text === undefined ? undefined : { path: file, mod: parseGoMod(text) };
}

/** The file with `func main()`: the scan's entrypoint, else the first `package main` file that declares main. */
export function mainFile(service: Service, sources: readonly GoSource[]): GoSource | undefined {
  const entry = service.entrypoint?.file;
  return (
    sources.find((s) => s.path === entry) ??
    sources.find((s) => /^package main\b/m.test(s.text) && /^func main\(\)\s*\{/m.test(s.text))
  );
}

/** Sources of the same package (folder) as `file`. */
export function samePackage(sources: readonly GoSource[], file: string): GoSource[] {
  const dir = path.posix.dirname(file);
  return sources.filter((s) => path.posix.dirname(s.path) === dir);
}

/** A short service.name: the last element of the module path ("example.com/shop/inventory" → "inventory"), without a /vN suffix. */
export function serviceShortName(service: Service): string {
  const parts = service.name.split('/').filter(Boolean);
  while (parts.length > 1 && /^v\d+$/.test(parts[parts.length - 1]!)) parts.pop();
  const last = parts[parts.length - 1] ?? service.id;
  return last.replace(/[^A-Za-z0-9._-]/g, '-');
}

/** The folder of a repo-relative file, relative to the service root ('.' for the root). */
export function dirInService(service: Service, file: string): string {
  const prefix = service.root === '.' || service.root === '' ? '' : `${service.root}/`;
  const dir = path.posix.dirname(file.slice(prefix.length));
  return dir === '' ? '.' : dir;
}
