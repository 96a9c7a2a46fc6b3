/**
 * Cause 7: no propagator (or a mismatched one): a request sent with a known traceparent makes the service start a new
 * root SERVER span instead of a child of that traceparent.
 */
import { editFile } from '../../plan/build.js';
import type { Proposal } from '../../plan/proposal.js';
import type { Service } from '../../repo/scan-schema.js';
import { sdkSetup } from '../../verify/checks/static/support/sdk-setup.js';
import { evidence, type SourceFile } from '../../verify/checks/static/support/code.js';
import type { CheckContext } from '../../verify/check.js';
import type { Cause, DoctorEvidence, Finding } from '../finding.js';
import { describeProbe, headOf, spansDuring } from '../util.js';

const ID = 'no-propagator' as const;
const PROVIDER = /new\s+(?:Basic|Node)TracerProvider\s*\(|new\s+NodeSDK\s*\(/;

function nodeFix(service: Service, file: SourceFile): Proposal[] {
  const m = PROVIDER.exec(file.code);
  if (!m) return [];
  const start = file.text.lastIndexOf('\n', m.index) + 1;
  const end = file.text.indexOf('\n', m.index);
  const line = file.text.slice(start, end === -1 ? undefined : end);
  if (file.text.split(line).length !== 2) return [];
  const esm = /^\s*import\s/m.test(file.code);
  const set = esm
    ? "import('@opentelemetry/api').then(async (api) => api.propagation.setGlobalPropagator(new (await import('@opentelemetry/core')).W3CTraceContextPropagator()));"
    : "require('@opentelemetry/api').propagation.setGlobalPropagator(new (require('@opentelemetry/core').W3CTraceContextPropagator)());";
  return [
    editFile(
      headOf(ID, service, `Register the W3C trace-context propagator in ${service.name}`, 'incoming traceparent headers are ignored without a propagator', 'propagation'),
      file.path,
      [{ old: line, new: `${set}\n${line}` }],
    ),
  ];
}

async function setupFile(ctx: CheckContext, service: Service): Promise<SourceFile | undefined> {
  const setup = await sdkSetup(ctx, service);
  return setup.setupFiles[0];
}

export const noPropagatorCause: Cause = {
  id: ID,
  async fromRepo(ctx) {
    const out: Finding[] = [];
    for (const service of ctx.services.filter((s) => s.language === 'go')) {
      const setup = await sdkSetup(ctx, service);
      if (setup.setupFiles.length === 0 || setup.files.some((f) => /\bSetTextMapPropagator\s*\(/.test(f.code))) continue;
      const file = setup.setupFiles[0]!;
      const m = /\botel\.SetTracerProvider\s*\([^)\n]*\)/.exec(file.code);
      const at = evidence(file, m?.index ?? 0);
      const proposals = m && file.text.split(m[0]).length === 2
        ? [
            editFile(headOf(ID, service, `Register the W3C propagators in ${service.name}`, 'otel.SetTracerProvider without SetTextMapPropagator leaves the no-op propagator', 'propagation'), file.path, [
              { old: m[0], new: `${m[0]}\n\totel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})) // import "go.opentelemetry.io/otel/propagation"` },
            ]),
          ]
        : [];
      out.push({
        cause: ID,
        service: service.id,
        summary: `${service.name}: the Go SDK is set up without otel.SetTextMapPropagator, so incoming traceparent headers are ignored and outgoing ones are not sent`,
        evidence: [{ file: at.file, line: at.line, ...(at.text ? { text: at.text } : {}), note: 'SetTracerProvider here; SetTextMapPropagator nowhere in the service' }],
        confidence: 'medium',
        proposals,
      });
    }
    return out;
  },
  async fromRun(ctx, run) {
    const out: Finding[] = [];
    for (const service of ctx.services) {
      const probes = run.probes.filter((p) => p.serviceId === service.id && p.status !== undefined);
      const broken: DoctorEvidence[] = [];
      for (const p of probes) {
        const spans = spansDuring(run, p);
        if (spans.some((s) => s.traceId === p.traceId && s.parentSpanId === p.parentSpanId)) continue;
        const roots = spans.filter((s) => s.kind === 'server' && s.parentSpanId === undefined && s.traceId !== p.traceId);
        if (roots.length === 0) continue;
        const r = roots[0]!;
        broken.push({
          note: `${describeProbe(p)}: SERVER span "${r.name}" (${r.serviceName ?? '?'}) arrived as a new root, trace ${r.traceId}, not a child of ${p.parentSpanId} in ${p.traceId}`,
        });
      }
      if (broken.length === 0) continue;
      const file = service.language === 'node' ? await setupFile(ctx, service) : undefined;
      out.push({
        cause: ID,
        service: service.id,
        summary: `${service.name}: no propagator extracts the incoming traceparent, so every request starts a new trace`,
        evidence: broken,
        confidence: 'high',
        proposals: file ? nodeFix(service, file) : [],
      });
    }
    return out;
  },
};
