/** service.name missing: spans arrive as unknown_service:… — runtime. Fix: an OTEL_SERVICE_NAME default in the setup. */
import { editFile, note } from '../../plan/proposal-builders.js';
import type { Proposal } from '../../types/proposal.js';
import type { Service } from '../../types/scan.js';
import { sdkSetup } from '../../source-reading/sdk-setup.js';
import type { SourceFile } from '../../source-reading/code.js';
import type { Cause, Finding } from '../finding.js';
import { describeProbe, headOf, spansDuring } from '../finding-helpers.js';

const ID = 'service-name-missing' as const;

function head(service: Service) {
  return headOf(
    ID,
    service,
    `Name ${service.name} in its traces`,
    'without service.name every span is reported as unknown_service',
    'auto-instrumentation',
  );
}

/**
 * A default service name set before the SDK reads its environment, which OTEL_SERVICE_NAME still overrides: Node and
 * Python get one line before the set-up's first statement / first OpenTelemetry import; Go, whose resource is built in
 * code, gets the attribute to add as a note (its resource.New call has too many shapes to rewrite safely).
 */
export function serviceNameFix(service: Service, file: SourceFile): Proposal[] {
  const lines = file.text.split('\n');
  const once = (line: string) => file.text.split(line).length === 2;
  if (service.language === 'node') {
    const first = lines.find(
      (l) => l.trim() !== '' && !/^\s*(['"])use strict\1;?\s*$/.test(l) && !l.startsWith('#!') && !/^\s*\/[/*]/.test(l),
    );
    if (!first || !once(first)) return [];
    const set = `process.env.OTEL_SERVICE_NAME ??= ${JSON.stringify(service.name)};`;
    // Static imports are hoisted above any statement, so in ESM the line goes after them (the SDK starts below).
    const lastImport = [...lines].reverse().find((l) => /^\s*import\s/.test(l) || /^\s*\}?\s*from\s+['"]/.test(l));
    if (lastImport)
      return once(lastImport) && /['"];?\s*$/.test(lastImport)
        ? [editFile(head(service), file.path, [{ old: lastImport, new: `${lastImport}\n${set}` }])]
        : [];
    return [editFile(head(service), file.path, [{ old: first, new: `${set}\n${first}` }])];
  }
  if (service.language === 'python') {
    const firstOtel = lines.find((l) => /^(?:from|import)\s+opentelemetry\b/.test(l));
    if (!firstOtel || !once(firstOtel)) return [];
    const set = `import os\nos.environ.setdefault("OTEL_SERVICE_NAME", ${JSON.stringify(service.name)})`;
    return [editFile(head(service), file.path, [{ old: firstOtel, new: `${set}\n${firstOtel}` }])];
  }
  return [
    note(
      head(service),
      `Give ${file.path}'s resource a service name: resource.WithAttributes(semconv.ServiceName(${JSON.stringify(service.name)})) in resource.New (with resource.WithFromEnv() so OTEL_SERVICE_NAME still overrides it), or set OTEL_SERVICE_NAME=${service.name} where the service is started.`,
    ),
  ];
}

export const serviceNameCause: Cause = {
  id: ID,
  async fromRun(ctx, run) {
    const out: Finding[] = [];
    for (const service of ctx.services) {
      const probes = run.probes.filter((p) => p.serviceId === service.id && p.status !== undefined);
      const hits = probes.flatMap((p) =>
        spansDuring(run, p)
          .filter((s) => (s.serviceName ?? 'unknown_service').startsWith('unknown_service'))
          .slice(0, 1)
          .map((s) => ({ p, s })),
      );
      if (hits.length === 0) continue;
      const { p, s } = hits[0]!;
      const setup = await sdkSetup(ctx, service);
      const file = setup.setupFiles[0];
      const proposals: Proposal[] = file ? serviceNameFix(service, file) : [];
      out.push({
        cause: ID,
        service: service.id,
        summary: `${service.name}: the SDK's resource has no service.name, so its spans arrive as ${s.serviceName ?? 'unknown_service'}`,
        evidence: [
          { note: `${describeProbe(p)}: span "${s.name}" arrived with service.name=${s.serviceName ?? '(none)'}` },
          ...(file
            ? [
                {
                  file: file.path,
                  line: 1,
                  note: 'the SDK set-up, where no service name is given (neither OTEL_SERVICE_NAME nor a service.name resource attribute took effect)',
                },
              ]
            : []),
        ],
        confidence: 'high',
        proposals,
      });
    }
    return out;
  },
};
