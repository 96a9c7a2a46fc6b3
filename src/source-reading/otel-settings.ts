/**
 * The OTEL_* settings a service runs with, as far as the repo says: defaults set in code (`process.env.X ??= 'v'`,
 * `os.environ.setdefault("X", "v")`, Go `os.Setenv`), variables in start scripts, Procfiles, Dockerfiles, .env files and
 * the compose `environment:` of the container built from the service. Each with where it was seen.
 */
import type { Evidence, Service } from '../types/scan.js';
import type { SourceContext } from './source-context.js';
import { lineNumberAt, lineTextAt } from '../repo/text.js';
import { evidence } from './code.js';
import { inServiceRoot, readText, repoFiles, serviceSources } from './repo-files.js';
import { asArray, composeServices, valueAt, isComposeFile, asRecord, yamlEvidence, yamlFiles } from './yaml-files.js';

export interface Setting {
  name: string;
  value: string;
  evidence: Evidence;
}

const IN_CODE = /\bOTEL_([A-Z0-9_]+)\b['"]?\s*(?:\?\?=|\|\|=|\|\||=|,)\s*(?:'([^'\n]*)'|"([^"\n]*)"|`([^`$\n]*)`)/g;
const IN_SHELL =
  /(?:^|[\s;'"])(?:export\s+|ENV\s+|-\s+)?OTEL_([A-Z0-9_]+)(?:=|\s+(?=[^=\s]))("([^"\n]*)"|'([^'\n]*)'|[^\s'";&]+)/gm;

function fromCode(path: string, text: string, code: string): Setting[] {
  const out: Setting[] = [];
  for (const m of code.matchAll(IN_CODE)) {
    const value = m[2] ?? m[3] ?? m[4];
    // Skip "OTEL_X, OTEL_Y" name lists (prose and lookups of several variables).
    if (value === undefined || /^OTEL_/.test(value)) continue;
    out.push({ name: 'OTEL_' + m[1], value, evidence: evidence({ path, text }, m.index) });
  }
  return out;
}

function fromShell(path: string, text: string): Setting[] {
  const out: Setting[] = [];
  for (const m of text.matchAll(IN_SHELL)) {
    const raw = m[2] ?? '';
    const value = m[3] ?? m[4] ?? raw;
    const at = m.index + m[0].indexOf('OTEL_');
    const line = lineTextAt(text, at);
    if (line.startsWith('#')) continue;
    out.push({ name: 'OTEL_' + m[1], value, evidence: { file: path, line: lineNumberAt(text, at), text: line } });
  }
  return out;
}

/** Every OTEL_* setting found for the service, in the order: code, scripts and env files, compose. */
export async function otelSettings(
  ctx: Pick<SourceContext, 'root' | 'repo' | 'services'>,
  service: Service,
): Promise<Setting[]> {
  const out: Setting[] = [];
  for (const f of await serviceSources(ctx, service)) out.push(...fromCode(f.path, f.text, f.code));
  for (const rel of await repoFiles(ctx)) {
    const inside = inServiceRoot(service, rel);
    if (inside === undefined || inside.includes('/')) continue;
    if (
      !/^(?:package\.json|Procfile|Dockerfile|\.env(?:\.[\w-]+)?|Makefile|[\w-]+\.sh)$/.test(inside) ||
      inside === '.env.example'
    )
      continue;
    const text = await readText(ctx, rel);
    if (text !== undefined) out.push(...fromShell(rel, text));
  }
  for (const f of (await yamlFiles(ctx)).filter(isComposeFile)) {
    const dir = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '.';
    for (const [name, s] of Object.entries(composeServices(f))) {
      const build = typeof s.build === 'string' ? s.build : String(asRecord(s.build)?.context ?? '');
      if (!build) continue;
      const ctxPath =
        [dir === '.' ? '' : dir, build.replace(/^\.\/?/, '')].filter(Boolean).join('/').replace(/\/$/, '') || '.';
      if (ctxPath !== service.root) continue;
      const env = valueAt(s, 'environment');
      const pairs: [string, string][] = Array.isArray(env)
        ? asArray(env).flatMap((e) =>
            typeof e === 'string' && e.includes('=')
              ? [[e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as [string, string]]
              : [],
          )
        : Object.entries(asRecord(env) ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
      for (const [k, v] of pairs) {
        if (k.startsWith('OTEL_'))
          out.push({ name: k, value: v, evidence: yamlEvidence(f, ['services', name, 'environment']) });
      }
    }
  }
  return out;
}

/** The last setting of a variable (a later, more specific place wins), or undefined. */
export function setting(settings: Setting[], name: string): Setting | undefined {
  const all = settings.filter((s) => s.name === name);
  return all[all.length - 1];
}
