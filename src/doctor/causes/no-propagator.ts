/**
 * Cause 7: no propagator, or one that does not speak W3C: a request sent with a known traceparent makes the service
 * start a new root SERVER span instead of a child of that traceparent.
 * - Go: the set-up never calls otel.SetTextMapPropagator (Go's default propagator is a no-op). The fix sets the W3C
 *   composite propagator after otel.SetTracerProvider and imports go.opentelemetry.io/otel/propagation.
 * - Node / Python: OTEL_PROPAGATORS leaves out tracecontext (b3, jaeger, xray, none…) while the probes and the other
 *   services send W3C traceparent. The fix puts tracecontext,baggage first and keeps what was there, so callers that
 *   still send the old headers keep working.
 * - Node without any propagator registered (a provider made but never registered): the W3C propagator is registered.
 */
import { editFile } from '../../plan/proposal-builders.js';
import type { Proposal } from '../../types/proposal.js';
import { GoFileEdit } from '../../lang/go/recipes/go-file-edit.js';
import { lineAt, parenContent } from '../../lang/go/recipes/go-syntax.js';
import type { Service } from '../../types/scan.js';
import { sdkSetup } from '../../source-reading/sdk-setup.js';
import { evidence, type SourceFile } from '../../source-reading/code.js';
import { otelSettings, setting, type Setting } from '../../source-reading/otel-settings.js';
import { readText } from '../../source-reading/repo-files.js';
import type { CheckContext } from '../../verify/check.js';
import type { Cause, DoctorEvidence, Finding } from '../finding.js';
import { describeProbe, headOf, spansDuring } from '../finding-helpers.js';

const ID = 'no-propagator' as const;
const PROVIDER = /new\s+(?:Basic|Node)TracerProvider\s*\(|new\s+NodeSDK\s*\(/;
const PROPAGATION_PKG = 'go.opentelemetry.io/otel/propagation';
/** A propagator chosen in code, which wins over OTEL_PROPAGATORS (the same reading as the propagators-configured check). */
const CODE_PROPAGATOR: Record<'node' | 'python', RegExp> = {
  node: /\b(?:textMapPropagator\s*:|propagation\s*\.\s*setGlobalPropagator\s*\(|propagator\s*:)/,
  python: /\bset_global_textmap\s*\(/,
};

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
      headOf(
        ID,
        service,
        `Register the W3C trace-context propagator in ${service.name}`,
        'incoming traceparent headers are ignored without a propagator',
        'propagation',
      ),
      file.path,
      [{ old: line, new: `${set}\n${line}` }],
    ),
  ];
}

/**
 * otel.SetTextMapPropagator(W3C TraceContext + Baggage) on the line after otel.SetTracerProvider(…), with the
 * propagation package imported (under the file's own name for it when it already imports it renamed).
 */
function goFix(service: Service, file: SourceFile): Proposal[] {
  const m = /\botel\.SetTracerProvider\s*\(/.exec(file.code);
  if (!m) return [];
  const call = parenContent(file.text, m.index + m[0].length - 1);
  const line = lineAt(file.text, m.index);
  if (!call || call.close >= line.end || file.text.slice(call.close + 1, line.end).trim() !== '') return [];
  const alias = new RegExp(`^\\s*(?:import\\s+)?(\\w+)\\s+"${PROPAGATION_PKG.replace(/[./]/g, '\\$&')}"`, 'm').exec(
    file.text,
  )?.[1];
  const name = alias && alias !== '_' && alias !== '.' ? alias : 'propagation';
  const indent = /^[ \t]*/.exec(line.text)![0];
  const edit = new GoFileEdit(file.path, file.text);
  const newline = line.text.endsWith('\n') ? '' : '\n';
  if (
    !edit.insertAfter(
      line.text,
      `${newline}${indent}otel.SetTextMapPropagator(${name}.NewCompositeTextMapPropagator(${name}.TraceContext{}, ${name}.Baggage{}))\n`,
    )
  )
    return [];
  edit.need({ path: PROPAGATION_PKG });
  return [
    editFile(
      headOf(
        ID,
        service,
        `Register the W3C propagators in ${service.name}`,
        'otel.SetTracerProvider without SetTextMapPropagator leaves the no-op propagator',
        'propagation',
      ),
      file.path,
      edit.finish(),
    ),
  ];
}

function propagatorList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/** tracecontext,baggage first, then what was there (none dropped: it would switch every propagator off). */
export function withW3cFirst(value: string): string {
  const rest = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && !['tracecontext', 'baggage', 'none'].includes(s.toLowerCase()));
  return ['tracecontext', 'baggage', ...rest].join(',');
}

/** The OTEL_PROPAGATORS a Node / Python service really runs with, when no propagator is chosen in its code. */
async function propagatorsSetting(ctx: CheckContext, service: Service): Promise<Setting | undefined> {
  if (service.language !== 'node' && service.language !== 'python') return undefined;
  const setup = await sdkSetup(ctx, service);
  if (setup.files.some((f) => CODE_PROPAGATOR[service.language as 'node' | 'python'].test(f.code))) return undefined;
  return setting(await otelSettings(ctx, service), 'OTEL_PROPAGATORS');
}

const lacksTraceContext = (s: Setting | undefined): s is Setting =>
  s !== undefined && !propagatorList(s.value).includes('tracecontext');

/** The edit of the setting's own line: its value becomes tracecontext,baggage,<what was there>. */
async function settingFix(ctx: CheckContext, service: Service, s: Setting): Promise<Proposal[]> {
  const text = await readText(ctx, s.evidence.file);
  if (text === undefined) return [];
  const lines = text.split('\n').filter((l) => {
    const at = l.indexOf('OTEL_PROPAGATORS');
    return at !== -1 && l.indexOf(s.value, at + 'OTEL_PROPAGATORS'.length) !== -1 && !/^\s*#/.test(l);
  });
  if (lines.length !== 1) return [];
  const line = lines[0]!;
  if (text.split(line).length !== 2) return [];
  const at = line.indexOf(s.value, line.indexOf('OTEL_PROPAGATORS') + 'OTEL_PROPAGATORS'.length);
  const fixed = withW3cFirst(s.value);
  return [
    editFile(
      headOf(
        ID,
        service,
        `Put tracecontext,baggage first in ${service.name}'s OTEL_PROPAGATORS`,
        `OTEL_PROPAGATORS=${s.value} ignores the W3C traceparent the other services and the probes send; ${fixed} reads it and keeps ${s.value} for callers that still send those headers`,
        'propagation',
      ),
      s.evidence.file,
      [{ old: line, new: line.slice(0, at) + fixed + line.slice(at + s.value.length) }],
    ),
  ];
}

function settingEvidence(s: Setting, note: string): DoctorEvidence {
  return { file: s.evidence.file, line: s.evidence.line, ...(s.evidence.text ? { text: s.evidence.text } : {}), note };
}

/** Static: a Go set-up without SetTextMapPropagator. */
async function goFromRepo(ctx: CheckContext, service: Service): Promise<Finding | undefined> {
  const setup = await sdkSetup(ctx, service);
  if (setup.setupFiles.length === 0 || setup.files.some((f) => /\bSetTextMapPropagator\s*\(/.test(f.code)))
    return undefined;
  const file = setup.setupFiles[0]!;
  const m = /\botel\.SetTracerProvider\s*\(/.exec(file.code);
  const at = evidence(file, m?.index ?? 0);
  return {
    cause: ID,
    service: service.id,
    summary: `${service.name}: the Go SDK is set up without otel.SetTextMapPropagator, so incoming traceparent headers are ignored and outgoing ones are not sent`,
    evidence: [
      {
        file: at.file,
        line: at.line,
        ...(at.text ? { text: at.text } : {}),
        note: 'SetTracerProvider here; SetTextMapPropagator nowhere in the service (the Go default propagator is a no-op)',
      },
    ],
    confidence: 'medium',
    proposals: goFix(service, file),
  };
}

/** Static: OTEL_PROPAGATORS without tracecontext, with the W3C settings of the other services it disagrees with. */
async function mismatchFromRepo(ctx: CheckContext, service: Service): Promise<Finding | undefined> {
  const own = await propagatorsSetting(ctx, service);
  if (!lacksTraceContext(own)) return undefined;
  const others: DoctorEvidence[] = [];
  for (const other of ctx.services) {
    if (other.id === service.id) continue;
    const theirs = await propagatorsSetting(ctx, other);
    if (theirs && propagatorList(theirs.value).includes('tracecontext'))
      others.push(
        settingEvidence(
          theirs,
          `${other.name} sends W3C traceparent (OTEL_PROPAGATORS=${theirs.value}), which ${service.name} does not read`,
        ),
      );
  }
  return {
    cause: ID,
    service: service.id,
    summary: `${service.name}: OTEL_PROPAGATORS=${own.value} leaves out tracecontext, so the W3C traceparent ${others.length > 0 ? 'the other services send' : 'callers send'} is ignored and every request starts a new trace`,
    evidence: [
      settingEvidence(
        own,
        `OTEL_PROPAGATORS=${own.value}: no tracecontext, so W3C traceparent is neither read nor written`,
      ),
      ...others,
    ],
    confidence: 'medium',
    proposals: await settingFix(ctx, service, own),
  };
}

export const noPropagatorCause: Cause = {
  id: ID,
  async fromRepo(ctx) {
    const out: Finding[] = [];
    for (const service of ctx.services) {
      const found = service.language === 'go' ? await goFromRepo(ctx, service) : await mismatchFromRepo(ctx, service);
      if (found) out.push(found);
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
        const roots = spans.filter(
          (s) => s.kind === 'server' && s.parentSpanId === undefined && s.traceId !== p.traceId,
        );
        if (roots.length === 0) continue;
        const r = roots[0]!;
        broken.push({
          note: `${describeProbe(p)}: SERVER span "${r.name}" (${r.serviceName ?? '?'}) arrived as a new root, trace ${r.traceId}, not a child of ${p.parentSpanId} in ${p.traceId}`,
        });
      }
      if (broken.length === 0) continue;
      const mismatch = await propagatorsSetting(ctx, service);
      if (lacksTraceContext(mismatch)) {
        out.push({
          cause: ID,
          service: service.id,
          summary: `${service.name}: its propagators do not match — OTEL_PROPAGATORS=${mismatch.value} leaves out tracecontext, so the W3C traceparent it is sent is ignored and every request starts a new trace`,
          evidence: [...broken, settingEvidence(mismatch, `OTEL_PROPAGATORS=${mismatch.value} (no tracecontext)`)],
          confidence: 'high',
          proposals: await settingFix(ctx, service, mismatch),
        });
        continue;
      }
      const setup =
        service.language === 'node' || service.language === 'go'
          ? (await sdkSetup(ctx, service)).setupFiles[0]
          : undefined;
      const go =
        service.language === 'go' &&
        setup !== undefined &&
        !(await sdkSetup(ctx, service)).files.some((f) => /\bSetTextMapPropagator\s*\(/.test(f.code));
      out.push({
        cause: ID,
        service: service.id,
        summary: go
          ? `${service.name}: no propagator extracts the incoming traceparent (otel.SetTextMapPropagator is never called, and Go's default is a no-op), so every request starts a new trace`
          : `${service.name}: no propagator extracts the incoming traceparent, so every request starts a new trace`,
        evidence: broken,
        confidence: 'high',
        proposals: !setup
          ? []
          : service.language === 'node'
            ? nodeFix(service, setup)
            : go
              ? goFix(service, setup)
              : [],
      });
    }
    return out;
  },
};
