/**
 * Go module facts of a service: its go.mod, the go.mod line that requires a module, the module that holds an imported
 * go.opentelemetry.io package, and the version to get a module at.
 */
import type { Evidence, Service } from '../../../types/scan.js';
import { inService } from '../../../plan/context.js';
import type { ModulePin } from '../recipes/go-get.js';
import { parseGoMod, type GoModFile } from '../recipes/go-mod.js';
import { MODULES, OTELECHO_VERSION, OTELGIN_VERSION, otelReleaseFor } from '../recipes/otel-releases.js';
import { lineNumberAt, lineTextAt } from '../../../repo/text.js';
import type { CheckContext } from '../../../verify/check.js';
import { readText } from '../../../source-reading/repo-files.js';

export interface GoModFacts {
  file: string;
  text: string;
  mod: GoModFile;
}

export async function goModOf(ctx: CheckContext, service: Service): Promise<GoModFacts | undefined> {
  const file = inService(service, 'go.mod');
  const text = await readText(ctx, file);
  return text === undefined ? undefined : { file, text, mod: parseGoMod(text) };
}

export function requireEvidence(gomod: GoModFacts, module: string): Evidence {
  const at = gomod.text.search(
    new RegExp(`^\\s*(?:require\\s+)?${module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s+v`, 'm'),
  );
  const i = at < 0 ? 0 : at;
  return { file: gomod.file, line: lineNumberAt(gomod.text, i), text: lineTextAt(gomod.text, i) };
}

/** Nested modules of go.opentelemetry.io/otel (the rest of its packages are in the root module). */
const OTEL_GO_MODULES = [
  'sdk',
  'sdk/metric',
  'sdk/log',
  'trace',
  'metric',
  'log',
  'exporters/otlp/otlptrace',
  'exporters/otlp/otlptrace/otlptracehttp',
  'exporters/otlp/otlptrace/otlptracegrpc',
  'exporters/otlp/otlpmetric/otlpmetrichttp',
  'exporters/otlp/otlpmetric/otlpmetricgrpc',
  'exporters/otlp/otlplog/otlploghttp',
  'exporters/otlp/otlplog/otlploggrpc',
  'exporters/stdout/stdouttrace',
  'exporters/stdout/stdoutmetric',
  'exporters/stdout/stdoutlog',
  'exporters/zipkin',
  'exporters/prometheus',
  'bridge/opentracing',
  'bridge/opencensus',
  'schema',
].map((m) => `go.opentelemetry.io/otel/${m}`);

/** The module that holds an imported go.opentelemetry.io package. */
export function goModuleOf(importPath: string, requires: Map<string, string>): string | undefined {
  if (!importPath.startsWith('go.opentelemetry.io/')) return undefined;
  const known = [...OTEL_GO_MODULES, ...requires.keys()].filter(
    (m) => importPath === m || importPath.startsWith(`${m}/`),
  );
  const nested = known.sort((a, b) => b.length - a.length)[0];
  if (nested && nested !== 'go.opentelemetry.io/otel') return nested;
  if (importPath === 'go.opentelemetry.io/otel' || importPath.startsWith('go.opentelemetry.io/otel/'))
    return 'go.opentelemetry.io/otel';
  // contrib: .../instrumentation/<…>/otelX is a module of its own; so are propagators/<x>, detectors/<…>/<x>.
  const contrib =
    /^(go\.opentelemetry\.io\/contrib\/(?:instrumentation\/(?:[^/]+\/)*?otel\w+|propagators\/\w+|detectors\/(?:[^/]+\/)*?\w+|[^/]+))(?:\/|$)/.exec(
      importPath,
    );
  return contrib?.[1];
}

/** The version to get a Go module at: the otel release go.mod already requires, else the recipes' release for its go directive. */
export function goPinFor(mod: GoModFile, module: string): ModulePin {
  const { release } = otelReleaseFor(mod.goVersion);
  const have = mod.requires.get(MODULES.otel);
  const core = have && /^v1\./.test(have) ? have : release.otel;
  if (module.startsWith('go.opentelemetry.io/otel'))
    return {
      path: module,
      version:
        /\/(?:log|sdk\/log|exporters\/prometheus|exporters\/otlp\/otlplog\/\w+|exporters\/stdout\/stdoutlog|schema)$/.test(
          module,
        )
          ? 'latest'
          : core,
    };
  const contribFor = (pinned: string) => {
    const wantsMinor = Number(/^v0\.(\d+)\./.exec(pinned)?.[1] ?? 0) - 25;
    const coreMinor = Number(/^v1\.(\d+)\./.exec(core)?.[1] ?? 0);
    return wantsMinor <= coreMinor ? pinned : `v0.${coreMinor + 25}.0`;
  };
  if (module === MODULES.otelhttp) return { path: module, version: contribFor(release.otelhttp) };
  if (module === MODULES.otelgin) return { path: module, version: contribFor(OTELGIN_VERSION) };
  if (module === MODULES.otelecho) return { path: module, version: contribFor(OTELECHO_VERSION) };
  return { path: module, version: `v0.${Number(/^v1\.(\d+)\./.exec(core)?.[1] ?? 0) + 25}.0` };
}
