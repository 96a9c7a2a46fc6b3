/**
 * Cause 12: a sampler that is not parent-based (OTEL_TRACES_SAMPLER=traceidratio / always_off, a bare
 * TraceIdRatioBased(Sampler) / sdktrace.TraceIDRatioBased) decides again in every service, so it drops spans whose
 * parent was sampled upstream: the trace loses the service's part.
 *
 * Static (medium): the sampler, read by the pitfall-sampler-ignores-parent check's own reader, with file:line.
 * Runtime (high): the probes carry a SAMPLED traceparent; the service answered 2xx and no span of that trace arrived.
 */
import { editFile, note } from '../../plan/proposal-builders.js';
import type { Proposal } from '../../types/proposal.js';
import type { Service } from '../../types/scan.js';
import type { CheckContext } from '../../verify/check.js';
import { serviceSamplers, type Sampler } from '../../verify/checks/static/pitfall-sampler-ignores-parent.js';
import { matchBracket, type SourceFile } from '../../source-reading/code.js';
import { readText, serviceSources } from '../../source-reading/repo-files.js';
import type { Cause, DoctorEvidence, Finding } from '../finding.js';
import { describeProbe, headOf, spansDuring } from '../finding-helpers.js';

const ID = 'sampler-drops-sampled-children' as const;

/** Samplers that drop a span whose parent was sampled: not parent-based, and keeping less than everything. */
export async function droppingSamplers(ctx: CheckContext, service: Service): Promise<Sampler[]> {
  if (service.language !== 'node' && service.language !== 'python' && service.language !== 'go') return [];
  const samplers = await serviceSamplers(ctx, service);
  return samplers.filter(
    (s) =>
      !s.parentBased && (s.kind === 'always_off' || (s.kind === 'ratio' && (s.ratio === undefined || s.ratio < 1))),
  );
}

function describe(s: Sampler): string {
  return `${s.source}${s.kind === 'ratio' ? ` (ratio ${s.ratio ?? 'unknown'})` : ''}`;
}

function head(service: Service, why: string) {
  return {
    ...headOf(ID, service, `Make the sampler of ${service.name} follow the parent's decision`, why, 'propagation'),
    step: 'sampling' as const,
  };
}

const WHY =
  'a sampler that is not parent-based drops spans whose parent was sampled, which cuts traces across services';

/** OTEL_TRACES_SAMPLER=traceidratio → parentbased_traceidratio (always_off → parentbased_always_off) on the line it is set. */
async function envFix(ctx: CheckContext, service: Service, s: Sampler): Promise<Proposal | undefined> {
  const text = await readText(ctx, s.evidence.file);
  const line = s.evidence.text;
  if (text === undefined || !line || text.split(line).length !== 2) return undefined;
  const fixed = line.replace(
    /(OTEL_TRACES_SAMPLER\b['"]?\s*(?:[:=,]|\?\?=|\|\|=)?\s*['"]?)(traceidratio|always_off)\b/i,
    (_m, pre: string, v: string) => `${pre}parentbased_${v.toLowerCase()}`,
  );
  if (fixed === line) return undefined;
  return editFile(head(service, WHY), s.evidence.file, [{ old: line, new: fixed }]);
}

const CALL = /(new\s+)?((?:[\w$]+\.)*)(TraceIdRatioBasedSampler|TraceIdRatioBased|TraceIDRatioBased)\s*\(/g;

function lineOffset(text: string, line: number): number {
  let at = 0;
  for (let i = 1; i < line; i++) at = text.indexOf('\n', at) + 1;
  return at;
}

/** Wraps the ratio sampler written at the evidence line in ParentBased, adding the import where one is needed. */
function codeFix(file: SourceFile, service: Service, s: Sampler): Proposal | undefined {
  const from = lineOffset(file.text, s.evidence.line);
  CALL.lastIndex = from;
  const m = CALL.exec(file.code);
  if (!m || file.text.lastIndexOf('\n', m.index) + 1 !== from) return undefined;
  const close = matchBracket(file.skeleton, m.index + m[0].length - 1);
  if (close < 0) return undefined;
  const call = file.text.slice(m.index, close + 1);
  if (file.text.split(call).length !== 2) return undefined;
  const prefix = m[2] ?? '';
  const edits: { old: string; new: string }[] = [];
  if (file.lang === 'node') {
    if (!m[1]) return undefined;
    edits.push({ old: call, new: `new ${prefix}ParentBasedSampler({ root: ${call} })` });
    if (!prefix && !/\bParentBasedSampler\b/.test(file.code)) {
      const imp =
        /(?:(?:const|let|var)\s*\{[^}]*\}\s*=\s*require\s*\(\s*(['"])@opentelemetry\/sdk-trace-(?:base|node)\1\s*\)|import\s*\{[^}]*\}\s*from\s*(['"])@opentelemetry\/sdk-trace-(?:base|node)\2)/.exec(
          file.code,
        );
      const stmt =
        imp && /\bTraceIdRatioBasedSampler\b/.test(imp[0])
          ? file.text.slice(imp.index, imp.index + imp[0].length)
          : undefined;
      if (!stmt || file.text.split(stmt).length !== 2) return undefined;
      edits.unshift({
        old: stmt,
        new: stmt.replace(/\bTraceIdRatioBasedSampler\b/, 'ParentBasedSampler, TraceIdRatioBasedSampler'),
      });
    }
  } else if (file.lang === 'python') {
    edits.push({ old: call, new: `${prefix}ParentBased(root=${call})` });
    if (!prefix && !/\bParentBased\b/.test(file.code)) {
      const imp = /from\s+opentelemetry\.sdk\.trace\.sampling\s+import\s+[^\n]*\bTraceIdRatioBased\b[^\n]*/.exec(
        file.code,
      );
      const stmt = imp ? file.text.slice(imp.index, imp.index + imp[0].length) : undefined;
      if (!stmt || stmt.includes('(') || file.text.split(stmt).length !== 2) return undefined;
      edits.unshift({ old: stmt, new: stmt.replace(/\bTraceIdRatioBased\b/, 'ParentBased, TraceIdRatioBased') });
    }
  } else {
    if (!prefix) return undefined;
    edits.push({ old: call, new: `${prefix}ParentBased(${call})` });
  }
  return editFile(head(service, WHY), file.path, edits);
}

function noteFix(service: Service, samplers: Sampler[]): Proposal {
  const how =
    service.language === 'go'
      ? 'wrap it: sdktrace.ParentBased(sdktrace.TraceIDRatioBased(ratio))'
      : service.language === 'python'
        ? 'wrap it: ParentBased(root=TraceIdRatioBased(ratio)), or set OTEL_TRACES_SAMPLER=parentbased_traceidratio'
        : 'wrap it: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }), or set OTEL_TRACES_SAMPLER=parentbased_traceidratio';
  return note(
    head(service, WHY),
    `${samplers.map((s) => `${describe(s)} at ${s.evidence.file}:${s.evidence.line}`).join(', ')}: ${how}. No safe edit was found for it.`,
  );
}

async function proposals(ctx: CheckContext, service: Service, samplers: Sampler[]): Promise<Proposal[]> {
  const files = await serviceSources(ctx, service);
  const out: Proposal[] = [];
  for (const s of samplers) {
    const file = files.find((f) => f.path === s.evidence.file);
    const fix = s.source.startsWith('OTEL_TRACES_SAMPLER=')
      ? await envFix(ctx, service, s)
      : file
        ? codeFix(file, service, s)
        : undefined;
    if (!fix) return [noteFix(service, samplers)];
    out.push(fix);
  }
  return out;
}

function samplerEvidence(s: Sampler): DoctorEvidence {
  return {
    file: s.evidence.file,
    line: s.evidence.line,
    ...(s.evidence.text ? { text: s.evidence.text } : {}),
    note:
      s.kind === 'always_off'
        ? `${s.source} is not parent-based: it drops every span, also those whose parent was sampled`
        : `${describe(s)} is not parent-based: it samples again by trace id and ignores that the parent was sampled`,
  };
}

export const samplerDropsChildrenCause: Cause = {
  id: ID,
  async fromRepo(ctx) {
    const out: Finding[] = [];
    for (const service of ctx.services) {
      const samplers = await droppingSamplers(ctx, service);
      if (samplers.length === 0) continue;
      out.push({
        cause: ID,
        service: service.id,
        summary: `${service.name}: ${samplers.map(describe).join(', ')} is not parent-based, so it drops spans whose parent was sampled and breaks traces across services`,
        evidence: samplers.map(samplerEvidence),
        confidence: 'medium',
        proposals: await proposals(ctx, service, samplers),
      });
    }
    return out;
  },
  async fromRun(ctx, run) {
    const out: Finding[] = [];
    for (const service of ctx.services) {
      const samplers = await droppingSamplers(ctx, service);
      if (samplers.length === 0) continue;
      const answered = run.probes.filter(
        (p) => p.serviceId === service.id && p.status !== undefined && p.status >= 200 && p.status < 300,
      );
      const dropped = answered.filter((p) => !run.store.hasTrace(p.traceId));
      if (dropped.length === 0) continue;
      const evidence: DoctorEvidence[] = dropped.slice(0, 3).map((p) => {
        const others = spansDuring(run, p).filter((s) => s.traceId !== p.traceId);
        return {
          note: `${describeProbe(p)}: the request was answered, but no span of its sampled trace ${p.traceId} arrived${
            others.length > 0
              ? `, while ${others.length} other span(s) of other traces did (${others
                  .slice(0, 3)
                  .map((s) => `"${s.name}" in ${s.traceId}`)
                  .join(', ')})`
              : ''
          }`,
        };
      });
      const kept = answered.length - dropped.length;
      if (dropped.length > 3 || kept > 0)
        evidence.push({
          note: `${dropped.length} of ${answered.length} answered probes lost their sampled trace${kept > 0 ? `; ${kept} kept it` : ''}`,
        });
      out.push({
        cause: ID,
        service: service.id,
        summary: `${service.name}: requests with a sampled traceparent were answered but none of their spans arrived — ${samplers.map(describe).join(', ')} ignores the parent's sampling decision`,
        evidence,
        confidence: 'high',
        proposals: await proposals(ctx, service, samplers),
      });
    }
    return out;
  },
};
