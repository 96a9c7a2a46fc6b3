/**
 * Crash lines: the OpenTelemetry packages a run's output says are missing (Cannot find module, ModuleNotFoundError,
 * "no required module provides package", an OTEL_TRACES_EXPORTER entry point not installed), with the line that says it.
 */
import type { Service } from '../../types/scan.js';
import type { CheckContext } from '../../verify/check.js';
import { otelSettings, setting } from '../../source-reading/otel-settings.js';
import type { RuntimeRun } from '../../verify/runtime/runtime-run.js';
import { exporterPackage, pythonDistOf } from '../../lang/python/doctor/distributions.js';

const CRASH: Array<{ lang: Service['language']; re: RegExp; pkg: (m: RegExpExecArray) => string | undefined }> = [
  { lang: 'node', re: /Cannot find (?:module|package) '(@opentelemetry\/[\w.-]+)[^']*'/, pkg: (m) => m[1] },
  {
    lang: 'python',
    re: /ModuleNotFoundError: No module named '(opentelemetry[\w.]*)'/,
    pkg: (m) => pythonDistOf(m[1]!),
  },
  { lang: 'go', re: /no required module provides package (go\.opentelemetry\.io\/[^\s;:]+)/, pkg: (m) => m[1] },
];

/** Packages the service's output (its crash reason and every output line) says are missing, with the line that says it. */
export async function crashedOn(ctx: CheckContext, run: RuntimeRun, service: Service): Promise<Map<string, string>> {
  const started = run.services.find((s) => s.service.id === service.id);
  const lines = [
    ...(started?.reason ? started.reason.split('\n') : []),
    ...run.logLines(service.id).map((l) => l.text),
  ];
  const out = new Map<string, string>();
  let protocol: string | undefined;
  for (const line of lines) {
    for (const c of CRASH) {
      if (c.lang !== service.language) continue;
      const m = c.re.exec(line);
      const pkg = m ? c.pkg(m) : undefined;
      if (m && pkg && !out.has(pkg)) out.set(pkg, m[0]);
    }
    const entry =
      service.language === 'python'
        ? /Requested component '([\w-]+)' not found in entry point 'opentelemetry_traces_exporter'/.exec(line)
        : null;
    if (entry) {
      protocol ??=
        started?.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ??
        started?.env.OTEL_EXPORTER_OTLP_PROTOCOL ??
        setting(await otelSettings(ctx, service), 'OTEL_EXPORTER_OTLP_PROTOCOL')?.value;
      const pkg = exporterPackage(entry[1]!, protocol);
      if (pkg && !out.has(pkg)) out.set(pkg, `${entry[0]} (OTEL_TRACES_EXPORTER=otlp needs ${pkg})`);
    }
  }
  return out;
}
