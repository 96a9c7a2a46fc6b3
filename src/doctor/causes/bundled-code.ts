/**
 * Cause 3 (Node): the code is bundled (esbuild, webpack, nx) with the instrumented libraries inside the bundle, so the
 * require / import hooks of the instrumentations never see `express`, `pg`… being loaded. Static: the bundler's config
 * (esbuild `--bundle` without `--packages=external` / `external`, webpack without `externals`, nx `thirdParty` /
 * `externalDependencies: "none"`) against the instrumented libraries the code imports. At runtime: the probed requests
 * make no span from the framework's instrumentation scope (while the http SERVER span, from a Node core module that is
 * never bundled, still arrives).
 *
 * Also the shared pieces of the Node loading causes: which libraries the code imports, which instrumentations the
 * set-up registers, and which instrumentation scopes are missing from what arrived.
 */
import path from 'node:path';
import { editFile } from '../../plan/proposal-builders.js';
import type { Proposal } from '../../types/proposal.js';
import { inService } from '../../plan/context.js';
import type { Service } from '../../types/scan.js';
import { lineNumberAt, lineTextAt } from '../../repo/text.js';
import type { CheckContext } from '../../verify/check.js';
import { evidence, type SourceFile } from '../../source-reading/code.js';
import { inServiceRoot, readText, repoFiles } from '../../source-reading/repo-files.js';
import { sdkSetup, type StartCommand } from '../../source-reading/sdk-setup.js';
import type { ReceivedSpan } from '../../verify/receiver/span.js';
import type { Probe, RuntimeRun } from '../../verify/runtime/runtime-run.js';
import type { Cause, DoctorEvidence, Finding } from '../finding.js';
import { describeProbe, headOf, spansDuring } from '../finding-helpers.js';
import { readRepoText } from '../../repo/read.js';

const ID = 'bundled-code' as const;

// ---------------------------------------------------------------------------------------------------------------------
// Shared by the Node loading causes

/** Libraries with an OpenTelemetry instrumentation, and the scope names their spans carry. */
export const INSTRUMENTED: Record<string, string[]> = {
  express: ['@opentelemetry/instrumentation-express'],
  koa: ['@opentelemetry/instrumentation-koa'],
  fastify: ['@fastify/otel', '@opentelemetry/instrumentation-fastify'],
  '@hapi/hapi': ['@opentelemetry/instrumentation-hapi'],
  '@nestjs/core': ['@opentelemetry/instrumentation-nestjs-core'],
  pg: ['@opentelemetry/instrumentation-pg'],
  mysql: ['@opentelemetry/instrumentation-mysql'],
  mysql2: ['@opentelemetry/instrumentation-mysql2'],
  mongodb: ['@opentelemetry/instrumentation-mongodb'],
  mongoose: ['@opentelemetry/instrumentation-mongoose'],
  ioredis: ['@opentelemetry/instrumentation-ioredis'],
  redis: ['@opentelemetry/instrumentation-redis', '@opentelemetry/instrumentation-redis-4'],
  kafkajs: ['@opentelemetry/instrumentation-kafkajs'],
  amqplib: ['@opentelemetry/instrumentation-amqplib'],
  graphql: ['@opentelemetry/instrumentation-graphql'],
  knex: ['@opentelemetry/instrumentation-knex'],
  '@grpc/grpc-js': ['@opentelemetry/instrumentation-grpc'],
};

/** Frameworks that make a span for every request they handle: a probed request without one proves it unpatched. */
const PER_REQUEST = ['express', 'koa', 'fastify', '@hapi/hapi', '@nestjs/core'];
const HTTP_SCOPE = '@opentelemetry/instrumentation-http';
const AUTO = /@opentelemetry\/auto-instrumentations-node|getNodeAutoInstrumentations\s*\(/;

export interface ImportedLibrary {
  name: string;
  file: string;
  line: number;
  text: string;
}

/** The instrumented libraries the service's code imports (first place each is imported). */
export function importedLibraries(files: SourceFile[]): ImportedLibrary[] {
  const out: ImportedLibrary[] = [];
  const re =
    /(?:\brequire\s*\(\s*|\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"]((?:@[\w.-]+\/)?[\w.-]+)(?:\/[^'"]*)?['"]/g;
  for (const f of files) {
    for (const m of f.code.matchAll(re)) {
      const name = m[1]!;
      if (!INSTRUMENTED[name] || out.some((l) => l.name === name)) continue;
      const at = evidence(f, m.index);
      out.push({ name, file: at.file, line: at.line, text: at.text ?? '' });
    }
  }
  return out;
}

/** Which of `libraries` the set-up registers an instrumentation for (all of them with auto-instrumentations-node). */
export function registeredFor(files: SourceFile[], starts: StartCommand[], libraries: string[]): string[] {
  const code = files.map((f) => f.code).join('\n');
  if (AUTO.test(code) || starts.some((s) => /auto-instrumentations-node/.test(s.command))) return libraries;
  return libraries.filter(
    (l) =>
      (INSTRUMENTED[l] ?? []).some((scope) => code.includes(scope)) ||
      new RegExp(`\\b${l.replace(/^@[\w-]+\//, '').replace(/[^\w]/g, '')}Instrumentation\\b`, 'i').test(code),
  );
}

/** Whether the set-up registers the http instrumentation (which makes the SERVER spans). */
export function registersHttp(files: SourceFile[], starts: StartCommand[]): boolean {
  const code = files.map((f) => f.code).join('\n');
  return (
    AUTO.test(code) ||
    code.includes(HTTP_SCOPE) ||
    /\bHttpInstrumentation\b/.test(code) ||
    starts.some((s) => /auto-instrumentations-node/.test(s.command))
  );
}

export interface MissingSpans {
  probe: Probe;
  arrived: ReceivedSpan[];
  /** Instrumentation scopes expected for this request that made no span. */
  missing: string[];
}

/**
 * Per answered probe of the service: the expected instrumentation scopes (the http SERVER span when the http
 * instrumentation is registered, and one per per-request framework in `frameworks`) with no span during the request.
 */
export function missingScopes(run: RuntimeRun, service: Service, frameworks: string[], http: boolean): MissingSpans[] {
  const out: MissingSpans[] = [];
  for (const probe of run.probes.filter((p) => p.serviceId === service.id && p.status !== undefined)) {
    const arrived = spansDuring(run, probe);
    const missing: string[] = [];
    if (http && !arrived.some((s) => s.kind === 'server')) missing.push(HTTP_SCOPE);
    for (const fw of frameworks.filter((f) => PER_REQUEST.includes(f))) {
      const scopes = INSTRUMENTED[fw] ?? [];
      if (!arrived.some((s) => scopes.includes(s.scope.name))) missing.push(scopes[0]!);
    }
    if (missing.length > 0) out.push({ probe, arrived, missing });
  }
  return out;
}

export function describeArrived(spans: ReceivedSpan[]): string {
  if (spans.length === 0) return 'no span arrived';
  const shown = spans.slice(0, 4).map((s) => `${s.kind.toUpperCase()} "${s.name}" (${s.scope.name || 'no scope'})`);
  return `${shown.join(', ')}${spans.length > 4 ? ` and ${spans.length - 4} more` : ''} arrived`;
}

export function runtimeEvidence(missing: MissingSpans[]): DoctorEvidence[] {
  return missing.slice(0, 3).map((m) => ({
    note: `${describeProbe(m.probe)}: ${describeArrived(m.arrived)}; nothing from ${m.missing.join(', ')}`,
  }));
}

export function startEvidence(s: StartCommand, note: string): DoctorEvidence {
  return { file: s.evidence.file, line: s.evidence.line, ...(s.evidence.text ? { text: s.evidence.text } : {}), note };
}

// ---------------------------------------------------------------------------------------------------------------------
// Bundler configurations

export interface Bundling {
  tool: 'esbuild' | 'webpack' | 'nx';
  /** Where the bundling is configured. */
  file: string;
  line: number;
  text: string;
  /** The instrumented libraries the bundle holds (imported, instrumented, not external). */
  bundled: string[];
  /** The bundle's output file, when the config names one (service-relative). */
  output?: string;
  /** The edits that keep those libraries out of the bundle. */
  fix: { file: string; edits: { old: string; new: string }[] } | undefined;
}

function quoted(list: string): string[] {
  return [...list.matchAll(/['"`]((?:@[\w.-]+\/)?[\w.-]+)['"`]/g)].map((m) => m[1]!);
}

function isExternal(name: string, externals: string[]): boolean {
  return externals.some((e) => e === name || (e.endsWith('*') && name.startsWith(e.slice(0, -1))));
}

/** `esbuild … --bundle` in a package.json script (one shell command of it). */
export function esbuildCli(script: string): { external: string[] | 'all'; output?: string } | undefined {
  for (const part of script.split(/&&|\|\||;/)) {
    if (!/(?:^|[\s/])esbuild\s/.test(part) || !/\s--bundle\b/.test(part)) continue;
    if (/--packages[=\s]external\b/.test(part)) return { external: 'all' };
    const external = [...part.matchAll(/--external:(['"]?)([^\s'"]+)\1/g)].map((m) => m[2]!);
    const output = /--outfile[=\s](['"]?)([^\s'"]+)\1/.exec(part)?.[2];
    return output ? { external, output } : { external };
  }
  return undefined;
}

/** An esbuild build script (`build({ bundle: true, … })` from the esbuild package). */
export function esbuildConfig(
  code: string,
): { external: string[] | 'all'; output?: string; bundleAt: number } | undefined {
  if (!/(?:from\s+|require\s*\(\s*)['"]esbuild['"]/.test(code)) return undefined;
  const bundle = /\bbundle\s*:\s*true\b/.exec(code);
  if (!bundle) return undefined;
  const output = /\boutfile\s*:\s*['"`]([^'"`]+)['"`]/.exec(code)?.[1];
  const base = { bundleAt: bundle.index, ...(output ? { output } : {}) };
  if (/\bpackages\s*:\s*['"]external['"]/.test(code) || /externals?Plugin|node-?externals/i.test(code))
    return { ...base, external: 'all' };
  const list = /\bexternal\s*:\s*\[([^\]]*)\]/.exec(code);
  return { ...base, external: list ? quoted(list[1]!) : [] };
}

/** A webpack config for Node (`target: 'node'`): its externals. */
export function webpackConfig(code: string): { external: string[] | 'all'; targetAt: number } | undefined {
  const target = /\btarget\s*:\s*['"`](?:async-)?node[\w.]*['"`]/.exec(code);
  if (!target) return undefined;
  if (/webpack-node-externals|nodeExternals\s*\(/.test(code)) return { external: 'all', targetAt: target.index };
  const ext = /\bexternals\s*:\s*([[{])/.exec(code);
  if (!ext) return { external: [], targetAt: target.index };
  const close = ext[1] === '[' ? ']' : '}';
  const open = ext.index + ext[0].length - 1;
  const end = code.indexOf(close, open);
  const body = code.slice(open, end < 0 ? undefined : end + 1);
  // Object keys ({ express: 'commonjs express' }) and strings both name externals.
  const keys = [...body.matchAll(/(?:^|[{,\s])((?:@[\w.-]+\/)?[\w.-]+|['"][^'"]+['"])\s*:/g)].map((m) =>
    m[1]!.replace(/['"]/g, ''),
  );
  const strings = [...body.matchAll(/['"`](?:commonjs2?\s+)?((?:@[\w.-]+\/)?[\w.-]+)['"`]/g)].map((m) => m[1]!);
  return { external: [...new Set([...keys, ...strings])], targetAt: target.index };
}

interface NxTarget {
  executor: string;
  options: Record<string, unknown>;
}

/** The nx build targets of a project.json that bundle third-party packages, and which stay external. */
export function nxBundling(
  json: string,
): { executor: string; external: string[] | 'all'; bundledOnly?: string[] } | undefined {
  let targets: Record<string, NxTarget>;
  try {
    targets = ((JSON.parse(json) as { targets?: Record<string, NxTarget> }).targets ?? {}) as Record<string, NxTarget>;
  } catch {
    return undefined;
  }
  for (const t of Object.values(targets)) {
    const o = t.options ?? {};
    if (/^@(?:nx|nrwl)\/webpack:webpack$/.test(t.executor ?? '')) {
      const deps = o.externalDependencies ?? 'all';
      if (deps === 'all') continue;
      return { executor: t.executor, external: Array.isArray(deps) ? deps.map(String) : [] };
    }
    if (/^@(?:nx|nrwl)\/esbuild:esbuild$/.test(t.executor ?? '')) {
      if (o.bundle === false) continue;
      const external = Array.isArray(o.external) ? o.external.map(String) : [];
      if (o.thirdParty === true) return { executor: t.executor, external };
      if (Array.isArray(o.excludeFromExternal) && o.excludeFromExternal.length > 0) {
        return { executor: t.executor, external: 'all', bundledOnly: o.excludeFromExternal.map(String) };
      }
    }
  }
  return undefined;
}

function lineOf(text: string, index: number): { line: number; text: string } {
  return { line: lineNumberAt(text, index), text: lineTextAt(text, index) };
}

/** The full line holding `index`, exactly as written (for an edit's `old`). */
function rawLine(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end < 0 ? undefined : end);
}

function unique(text: string, part: string): boolean {
  return part !== '' && text.split(part).length === 2;
}

/** Every bundling of the service that puts instrumented libraries (of `libraries`) into the bundle. */
export async function bundlings(
  ctx: Pick<CheckContext, 'root' | 'repo' | 'services'>,
  service: Service,
  libraries: string[],
): Promise<Bundling[]> {
  const out: Bundling[] = [];
  const inside = (external: string[] | 'all', only?: string[]) =>
    external === 'all' ? libraries.filter((l) => only?.includes(l)) : libraries.filter((l) => !isExternal(l, external));

  // package.json scripts: esbuild CLI.
  const pkgPath = inService(service, 'package.json');
  const pkg = await readText(ctx, pkgPath);
  if (pkg !== undefined) {
    let scripts: Record<string, unknown> = {};
    try {
      scripts = (JSON.parse(pkg) as { scripts?: Record<string, unknown> }).scripts ?? {};
    } catch {
      /* not JSON: no scripts */
    }
    for (const [name, value] of Object.entries(scripts)) {
      if (typeof value !== 'string') continue;
      const cli = esbuildCli(value);
      if (!cli) continue;
      const bundled = inside(cli.external);
      if (bundled.length === 0) continue;
      const at = pkg.indexOf(`"${name}"`);
      const old = JSON.stringify(value);
      const fixed = JSON.stringify(value.replace(/(\s--bundle\b)/, '$1 --packages=external'));
      out.push({
        tool: 'esbuild',
        file: pkgPath,
        ...lineOf(pkg, at),
        bundled,
        ...(cli.output ? { output: cli.output } : {}),
        fix: unique(pkg, old) ? { file: pkgPath, edits: [{ old, new: fixed }] } : undefined,
      });
    }
  }

  // Build scripts and configs in the service's folder.
  for (const rel of await repoFiles(ctx)) {
    const within = inServiceRoot(service, rel);
    if (within === undefined || within.includes('node_modules/')) continue;
    const base = within.replace(/^.*\//, '');
    if (/^webpack\.config\.[cm]?[jt]s$/.test(base)) {
      const text = await readText(ctx, rel);
      const cfg = text === undefined ? undefined : webpackConfig(text);
      if (!text || !cfg) continue;
      const bundled = inside(cfg.external);
      if (bundled.length === 0) continue;
      const entries = bundled.map((l) => `${/^[\w$]+$/.test(l) ? l : `'${l}'`}: 'commonjs ${l}'`).join(', ');
      const ext = /\bexternals\s*:\s*([[{])/.exec(text);
      let fix: Bundling['fix'];
      if (ext && ext[1] === '{') fix = { file: rel, edits: [{ old: ext[0], new: `${ext[0]} ${entries},` }] };
      else if (ext) fix = { file: rel, edits: [{ old: ext[0], new: `${ext[0]}{ ${entries} }, ` }] };
      else {
        const line = rawLine(text, cfg.targetAt);
        const indent = /^\s*/.exec(line)![0];
        if (unique(text, line))
          fix = {
            file: rel,
            edits: [
              {
                old: line,
                new: `${line}${line.trimEnd().endsWith(',') ? '' : ','}\n${indent}externals: { ${entries} },`,
              },
            ],
          };
      }
      if (fix && !unique(text, fix.edits[0]!.old)) fix = undefined;
      out.push({ tool: 'webpack', file: rel, ...lineOf(text, cfg.targetAt), bundled, fix });
      continue;
    }
    if (base === 'project.json') {
      const text = await readText(ctx, rel);
      const nx = text === undefined ? undefined : nxBundling(text);
      if (!text || !nx) continue;
      const bundled = inside(nx.external, nx.bundledOnly);
      if (bundled.length === 0) continue;
      const at = Math.max(0, text.indexOf(nx.executor));
      let fix: Bundling['fix'];
      const none = /"externalDependencies"\s*:\s*"none"/.exec(text);
      const list = /"externalDependencies"\s*:\s*\[/.exec(text);
      const third = /"thirdParty"\s*:\s*true/.exec(text);
      if (none) fix = { file: rel, edits: [{ old: none[0], new: '"externalDependencies": "all"' }] };
      else if (list)
        fix = {
          file: rel,
          edits: [{ old: list[0], new: `${list[0]}${bundled.map((l) => JSON.stringify(l)).join(', ')}, ` }],
        };
      else if (third) fix = { file: rel, edits: [{ old: third[0], new: '"thirdParty": false' }] };
      if (fix && !unique(text, fix.edits[0]!.old)) fix = undefined;
      out.push({ tool: 'nx', file: rel, ...lineOf(text, at), bundled, fix });
      continue;
    }
    if (!/\.[cm]?[jt]s$/.test(base)) continue;
    const text = await readText(ctx, rel);
    const cfg = text === undefined ? undefined : esbuildConfig(text);
    if (!text || !cfg) continue;
    const bundled = inside(cfg.external);
    if (bundled.length === 0) continue;
    const list = /\bexternal\s*:\s*\[/.exec(text);
    let fix: Bundling['fix'];
    if (list)
      fix = { file: rel, edits: [{ old: list[0], new: `${list[0]}${bundled.map((l) => `'${l}'`).join(', ')}, ` }] };
    else {
      const line = rawLine(text, cfg.bundleAt);
      const indent = /^\s*/.exec(line)![0];
      if (unique(text, line))
        fix = {
          file: rel,
          edits: [
            { old: line, new: `${line}${line.trimEnd().endsWith(',') ? '' : ','}\n${indent}packages: 'external',` },
          ],
        };
    }
    if (fix && !unique(text, fix.edits[0]!.old)) fix = undefined;
    out.push({
      tool: 'esbuild',
      file: rel,
      ...lineOf(text, cfg.bundleAt),
      bundled,
      ...(cfg.output ? { output: cfg.output } : {}),
      fix,
    });
  }
  return out;
}

/** Whether a start command runs the bundle's output. */
function runsOutput(starts: StartCommand[], output: string | undefined): StartCommand | undefined {
  if (!output) return undefined;
  const clean = output.replace(/^\.\//, '');
  return starts.find((s) => s.command.includes(clean));
}

/** Bundles are large; one over this is not read. */
const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;

/** The built bundle's text (it is usually git-ignored and large, so read from disk directly), when it exists. */
async function bundleHolds(
  ctx: CheckContext,
  service: Service,
  output: string | undefined,
  library: string,
): Promise<boolean | undefined> {
  if (!output) return undefined;
  // Through the safe reader: a bundle path that is a symlink out of the repo, a FIFO or a device is not read.
  const read = readRepoText(ctx.root, path.posix.join(service.root, output), MAX_BUNDLE_BYTES);
  return read.ok ? read.text.includes(`node_modules/${library}/`) : undefined;
}

interface Analysis {
  service: Service;
  bundling: Bundling;
  imports: ImportedLibrary[];
  start?: StartCommand;
  starts: StartCommand[];
  http: boolean;
}

/** The services whose bundle holds instrumented libraries the set-up instruments. */
export async function bundledServices(ctx: CheckContext): Promise<Analysis[]> {
  const out: Analysis[] = [];
  for (const service of ctx.services.filter((s) => s.language === 'node')) {
    const setup = await sdkSetup(ctx, service);
    const imports = importedLibraries(setup.files);
    const libraries = registeredFor(
      setup.files,
      setup.starts,
      imports.map((i) => i.name),
    );
    if (libraries.length === 0) continue;
    const found = await bundlings(ctx, service, libraries);
    if (found.length === 0) continue;
    // Prefer the bundling whose output the service is started from.
    const bundling = found.find((b) => runsOutput(setup.starts, b.output)) ?? found[0]!;
    const start = runsOutput(setup.starts, bundling.output);
    out.push({
      service,
      bundling,
      imports,
      starts: setup.starts,
      http: registersHttp(setup.files, setup.starts),
      ...(start ? { start } : {}),
    });
  }
  return out;
}

/** The finding; from the run it carries the runtime evidence only (the doctor merges it with the static one). */
function finding(
  a: Analysis,
  extra: DoctorEvidence[],
  confidence: Finding['confidence'],
  summary: string,
  withStatic: boolean,
): Finding {
  const { service, bundling } = a;
  const proposals: Proposal[] = [];
  if (bundling.fix) {
    const how =
      bundling.tool === 'webpack'
        ? 'externals'
        : bundling.tool === 'nx'
          ? 'the nx build options'
          : bundling.file.endsWith('package.json')
            ? '--packages=external'
            : "packages: 'external'";
    proposals.push(
      editFile(
        headOf(
          ID,
          service,
          `Keep ${bundling.bundled.join(', ')} out of ${service.name}'s bundle`,
          `bundled libraries are never seen by the instrumentations' require hooks; ${how} leaves them in node_modules, where they are patched`,
          'auto-instrumentation',
        ),
        bundling.fix.file,
        bundling.fix.edits,
      ),
    );
  }
  const evidenceList: DoctorEvidence[] = !withStatic
    ? extra
    : [
        {
          file: bundling.file,
          line: bundling.line,
          text: bundling.text,
          note: `${bundling.tool} bundles ${bundling.bundled.join(', ')} into ${bundling.output ?? 'its output'} (not marked external)`,
        },
        ...a.imports
          .filter((i) => bundling.bundled.includes(i.name))
          .map((i) => ({
            file: i.file,
            line: i.line,
            text: i.text,
            note: `${i.name} is imported here and its instrumentation is registered`,
          })),
        ...(a.start ? [startEvidence(a.start, `the service is started from the bundle (${bundling.output})`)] : []),
        ...extra,
      ];
  return { cause: ID, service: service.id, summary, evidence: evidenceList, confidence, proposals };
}

export const bundledCodeCause: Cause = {
  id: ID,
  async fromRepo(ctx) {
    return (await bundledServices(ctx)).map((a) =>
      finding(
        a,
        [],
        a.start ? 'medium' : 'low',
        `${a.service.name}: ${a.bundling.tool} bundles ${a.bundling.bundled.join(', ')} into the code it runs, so the OpenTelemetry instrumentations never patch ${a.bundling.bundled.length > 1 ? 'them' : 'it'}`,
        true,
      ),
    );
  },
  async fromRun(ctx, run) {
    const out: Finding[] = [];
    for (const a of await bundledServices(ctx)) {
      const missing = missingScopes(run, a.service, a.bundling.bundled, false);
      if (missing.length === 0) continue;
      const extra = runtimeEvidence(missing);
      for (const lib of a.bundling.bundled) {
        const held = await bundleHolds(ctx, a.service, a.bundling.output, lib);
        if (held)
          extra.push({
            file: path.posix.join(a.service.root === '.' ? '' : a.service.root, a.bundling.output!),
            note: `the built bundle contains ${lib}'s own code (node_modules/${lib}/…)`,
          });
      }
      const lost = [...new Set(missing.flatMap((m) => m.missing))];
      out.push(
        finding(
          a,
          extra,
          'high',
          `${a.service.name}: ${a.bundling.bundled.join(', ')} ${a.bundling.bundled.length > 1 ? 'are' : 'is'} bundled by ${a.bundling.tool}, and the probed requests made no span from ${lost.join(', ')}`,
          false,
        ),
      );
    }
    return out;
  },
};
