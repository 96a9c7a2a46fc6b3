/**
 * Bundled Node services: code inlined into a bundle is not patched by OpenTelemetry, so instrumented packages must stay
 * external. An esbuild command line in a package.json script is edited (`--packages=external`); other bundlers get a note.
 */
import type { Service } from '../../../types/scan.js';
import type { EditPair } from '../../../types/proposal.js';
import type { PackageJsonFile } from './service-files.js';
import { scriptEntryText } from './package-json.js';

export type BundlerName = 'esbuild' | 'webpack' | 'nx' | 'tsup' | 'rollup' | 'ncc';

export interface BundlerFinding {
  bundler: BundlerName;
  /** Where it was seen (a script or a dependency), for the proposal text. */
  evidence: string;
  /** The edit that keeps packages external, when an esbuild script can be changed exactly. */
  edit?: { script: string; pair: EditPair };
  /** The bundle already keeps packages external. */
  externalAlready: boolean;
}

const SCRIPT_PATTERNS: ReadonlyArray<{ bundler: BundlerName; pattern: RegExp }> = [
  { bundler: 'esbuild', pattern: /(?:^|[\s;&|])esbuild\s/ },
  { bundler: 'webpack', pattern: /(?:^|[\s;&|])webpack(?:-cli)?\b/ },
  { bundler: 'nx', pattern: /(?:^|[\s;&|])nx\s+(?:run\s+\S+:build|build)\b/ },
  { bundler: 'tsup', pattern: /(?:^|[\s;&|])tsup\b/ },
  { bundler: 'rollup', pattern: /(?:^|[\s;&|])rollup\b/ },
  { bundler: 'ncc', pattern: /(?:^|[\s;&|])ncc\s+build\b/ },
];

export function findBundler(pkg: PackageJsonFile): BundlerFinding | undefined {
  for (const [script, body] of Object.entries(pkg.data.scripts)) {
    for (const { bundler, pattern } of SCRIPT_PATTERNS) {
      if (!pattern.test(body)) continue;
      if (bundler === 'esbuild') {
        if (!/--bundle\b/.test(body)) continue;
        const external = /--packages=external\b/.test(body);
        const finding: BundlerFinding = {
          bundler,
          evidence: `the "${script}" script in ${pkg.path}`,
          externalAlready: external,
        };
        const entry = scriptEntryText(pkg.text, script, body);
        if (!external && entry) {
          const after = body.replace(/--bundle\b/, '--bundle --packages=external');
          finding.edit = {
            script,
            pair: {
              old: entry,
              new: entry.slice(0, entry.length - JSON.stringify(body).length) + JSON.stringify(after),
            },
          };
        }
        return finding;
      }
      return { bundler, evidence: `the "${script}" script in ${pkg.path}`, externalAlready: false };
    }
  }
  const deps = { ...pkg.data.dependencies, ...pkg.data.devDependencies };
  if ('@nx/esbuild' in deps || '@nx/webpack' in deps)
    return { bundler: 'nx', evidence: `@nx build executors in ${pkg.path}`, externalAlready: false };
  return undefined;
}

/** The packages the scan saw that OpenTelemetry instruments, for the bundler note. */
export function instrumentedPackages(service: Service): string[] {
  const names = [
    ...service.frameworks,
    ...service.httpClients,
    ...service.dbClients,
    ...service.queueClients,
    ...service.logging,
  ]
    .map((f) => f.name)
    .filter((n) => n !== 'fetch' && n !== 'http' && n !== 'console');
  return [...new Set(names)];
}
