/**
 * Python package facts of a service: the opentelemetry* distributions its requirements*.txt / pyproject.toml / Pipfile
 * declare (with extras and exact pins), and the distributions installed in the virtualenv of its folder, if any.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Evidence, Service } from '../../../types/scan.js';
import { normalizePackageName } from '../recipes/versions.js';
import type { CheckContext } from '../../../verify/check.js';
import { inServiceRoot, readText, repoFiles } from '../../../source-reading/repo-files.js';
import { serviceDir, shownPath } from '../../../doctor/packages/service-paths.js';

export interface DeclaredPython {
  name: string;
  /** Normalized name. */
  key: string;
  extras: string[];
  /** The exact pinned version (==, or a bare Poetry version), when pinned. */
  pin?: string;
  evidence: Evidence;
}

export interface PythonFacts {
  declared: Map<string, DeclaredPython>;
  /** Installed distributions of the virtualenv in the service folder (normalized name → version), when there is one. */
  installed?: Map<string, { version: string; shown: string }>;
  venv?: string;
}

const REQ_LINE = /^\s*["']?(opentelemetry[\w.-]*)\s*(?:\[([\w,\s-]+)\])?\s*(?:(===?|~=|>=|<=|!=|>|<)\s*([\w.!+*-]+))?/i;
const POETRY_LINE =
  /^\s*["']?(opentelemetry[\w.-]*)["']?\s*=\s*(?:["']([^"']*)["']|\{[^}]*version\s*=\s*["']([^"']*)["'][^}]*\})/i;

function pinOf(op: string | undefined, version: string | undefined): string | undefined {
  if (!version) return undefined;
  if (op === '==' || op === '===') return version.includes('*') ? undefined : version;
  return undefined;
}

/** Every opentelemetry* requirement in the service's requirements*.txt, pyproject.toml and Pipfile, with where. */
export async function pythonFacts(ctx: CheckContext, service: Service): Promise<PythonFacts> {
  const declared = new Map<string, DeclaredPython>();
  for (const rel of await repoFiles(ctx)) {
    const inside = inServiceRoot(service, rel);
    if (
      inside === undefined ||
      !/^(?:requirements[\w.-]*\.txt|requirements\/[\w.-]+\.txt|pyproject\.toml|Pipfile)$/.test(inside)
    )
      continue;
    const text = await readText(ctx, rel);
    if (text === undefined) continue;
    const toml = !rel.endsWith('.txt');
    text.split('\n').forEach((raw, i) => {
      const line = raw.replace(/(^|\s)#.*$/, '');
      let name: string | undefined;
      let extras: string[] = [];
      let pin: string | undefined;
      const poetry = toml ? POETRY_LINE.exec(line) : null;
      if (poetry) {
        name = poetry[1]!;
        const spec = (poetry[2] ?? poetry[3] ?? '').trim();
        const m = /^(==)?\s*(\d[\w.]*)$/.exec(spec);
        pin = m ? m[2] : undefined;
        const ex = /extras\s*=\s*\[([^\]]*)\]/.exec(line);
        if (ex)
          extras = ex[1]!
            .split(',')
            .map((e) => e.replace(/["'\s]/g, ''))
            .filter(Boolean);
      } else {
        const m = REQ_LINE.exec(toml ? line.replace(/^\s*(?:dependencies\s*=\s*\[)?\s*/, '') : line);
        if (!m || (toml && !/["']opentelemetry/i.test(line))) return;
        name = m[1]!;
        extras = (m[2] ?? '')
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean);
        pin = pinOf(m[3], m[4]);
      }
      const key = normalizePackageName(name);
      if (declared.has(key)) return;
      declared.set(key, {
        name,
        key,
        extras,
        ...(pin ? { pin } : {}),
        evidence: { file: rel, line: i + 1, text: raw.trim() },
      });
    });
  }
  const dir = serviceDir(ctx, service);
  for (const venv of ['.venv', 'venv', 'env', '.env']) {
    const abs = path.join(dir, venv);
    let sitePackages: string | undefined;
    try {
      const lib = path.join(abs, 'lib');
      const py = readdirSync(lib).find((d) => /^python\d/.test(d));
      if (py) sitePackages = path.join(lib, py, 'site-packages');
    } catch {
      if (existsSync(path.join(abs, 'Lib', 'site-packages'))) sitePackages = path.join(abs, 'Lib', 'site-packages');
    }
    if (!sitePackages || !existsSync(sitePackages)) continue;
    const installed = new Map<string, { version: string; shown: string }>();
    for (const d of readdirSync(sitePackages)) {
      const m = /^(.+?)-([^-]+)\.dist-info$/.exec(d);
      if (m)
        installed.set(normalizePackageName(m[1]!), {
          version: m[2]!,
          shown: shownPath(ctx.root, path.join(sitePackages, d)),
        });
    }
    return { declared, installed, venv: shownPath(ctx.root, abs) };
  }
  return { declared };
}
