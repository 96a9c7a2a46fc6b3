/**
 * pitfall-sampler-ignores-parent: a root-only sampler (traceidratio, always_on, a bare TraceIdRatioBased in code) decides
 * again in every service, so a trace loses its middle. Every service must use a parent-based sampler. It also compares
 * the head sampler with what the sampling step asked for: parentbased_traceidratio at the chosen ratio, or keep-all
 * (parentbased_always_on) when a Collector tail-samples — a mismatch is a warning, not a failure of this item.
 */
import type { Evidence, Service } from '../../../types/scan.js';
import type { Check, CheckContext } from '../../check.js';
import type { PlanContext } from '../../../plan/context.js';
import { samplingRatio, tailSamplingInCollector } from '../../../plan/recipes/exporter.js';
import { callArgs, enclosingCalls, evidence, type SourceFile } from '../../../source-reading/code.js';
import { combine, type Finding } from './support/result.js';
import { checkedServices } from '../../../source-reading/repo-files.js';
import { otelSettings, setting } from '../../../source-reading/otel-settings.js';
import { sdkSetup } from '../../../source-reading/sdk-setup.js';

const ITEM = 'pitfall-sampler-ignores-parent';

export const pitfallSamplerIgnoresParent: Check = {
  itemId: ITEM,
  async run(ctx) {
    const findings: Finding[] = [];
    for (const service of checkedServices(ctx)) findings.push(await serviceFinding(ctx, service));
    return combine(ITEM, findings, 'no Node, Python or Go service to check');
  },
};

/** The exporter helpers only read the skill and the answers. */
function planView(ctx: CheckContext): PlanContext {
  return { skill: ctx.skill, inputs: ctx.inputs } as unknown as PlanContext;
}

/** The ratio the sampling step asks the SDKs for (1 when a Collector tail-samples). */
export function expectedHeadRatio(ctx: CheckContext): { ratio: number; tail: boolean } {
  const view = planView(ctx);
  return { ratio: samplingRatio(view), tail: tailSamplingInCollector(view) };
}

export interface Sampler {
  parentBased: boolean;
  kind: 'ratio' | 'always_on' | 'always_off';
  ratio?: number;
  evidence: Evidence;
  source: string;
}

const CODE_SAMPLERS: { re: RegExp; kind: Sampler['kind'] }[] = [
  { re: /\b(?:TraceIdRatioBasedSampler|TraceIdRatioBased|TraceIDRatioBased)\s*\(/g, kind: 'ratio' },
  { re: /\b(?:AlwaysOnSampler|AlwaysSample|ALWAYS_ON)\b\s*\(?/g, kind: 'always_on' },
];

function codeSamplers(f: SourceFile): Sampler[] {
  const out: Sampler[] = [];
  for (const { re, kind } of CODE_SAMPLERS) {
    for (const m of f.code.matchAll(re)) {
      // Only samplers given to a provider count (not imports): look at the calls around it.
      const outer = enclosingCalls(f.skeleton, m.index);
      const parentBased =
        outer.some((n) => /ParentBased/.test(n)) ||
        /\broot\s*[:=]\s*$/.test(f.code.slice(Math.max(0, m.index - 30), m.index).replace(/new\s+$/, ''));
      const used =
        parentBased ||
        outer.some((n) => /WithSampler|TracerProvider|NodeSDK|NodeTracerProvider/.test(n)) ||
        /\bsampler\s*[:=]\s*(?:new\s+)?$/.test(f.code.slice(Math.max(0, m.index - 20), m.index));
      if (!used) continue;
      let ratio: number | undefined;
      if (kind === 'ratio' && m[0].endsWith('(')) {
        const arg = callArgs(f, m.index + m[0].length - 1).text.trim();
        ratio = Number(arg);
        if (!Number.isFinite(ratio)) {
          const c = new RegExp(`\\b${arg.replace(/[^\w]/g, '')}\\s*(?::=|=)\\s*([\\d.]+)`).exec(f.code);
          ratio = c ? Number(c[1]) : undefined;
        }
      }
      out.push({
        parentBased,
        kind,
        ...(ratio !== undefined && Number.isFinite(ratio) ? { ratio } : {}),
        evidence: evidence(f, m.index),
        source: m[0].replace(/\s*\($/, ''),
      });
    }
  }
  return out;
}

/** The samplers a service configures (environment and code), first the environment's. */
export async function serviceSamplers(ctx: CheckContext, service: Service): Promise<Sampler[]> {
  const settings = await otelSettings(ctx, service);
  const samplers: Sampler[] = [];
  const env = setting(settings, 'OTEL_TRACES_SAMPLER');
  if (env) {
    const v = env.value.trim().toLowerCase();
    const arg = setting(settings, 'OTEL_TRACES_SAMPLER_ARG');
    const kind: Sampler['kind'] = /traceidratio/.test(v) ? 'ratio' : /always_off/.test(v) ? 'always_off' : 'always_on';
    const ratio = kind === 'ratio' ? (arg ? Number(arg.value) : 1) : undefined;
    samplers.push({
      parentBased: v.startsWith('parentbased_'),
      kind,
      ...(ratio !== undefined ? { ratio } : {}),
      evidence: env.evidence,
      source: `OTEL_TRACES_SAMPLER=${env.value}`,
    });
  }
  const setup = await sdkSetup(ctx, service);
  for (const f of setup.files) samplers.push(...codeSamplers(f));
  return samplers;
}

async function serviceFinding(ctx: CheckContext, service: Service): Promise<Finding> {
  const name = service.name;
  const samplers = await serviceSamplers(ctx, service);
  const setup = await sdkSetup(ctx, service);
  const ignoring = samplers.filter((s) => !s.parentBased && s.kind !== 'always_off');
  if (ignoring.length > 0) {
    return {
      status: 'fail',
      message: `${name}: ${ignoring.map((s) => s.source).join(', ')} ignores the parent's decision, so each service samples the same trace again`,
      evidence: ignoring.map((s) => s.evidence),
      fix:
        service.language === 'go'
          ? 'Wrap it: sdktrace.ParentBased(sdktrace.TraceIDRatioBased(ratio)).'
          : 'Use parentbased_traceidratio (OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=ratio) or ParentBased(root=TraceIdRatioBased(ratio)) in code.',
    };
  }
  if (setup.setupFiles.length === 0 && !setup.agentStart && samplers.length === 0)
    return { status: 'fail', message: `${name}: no OpenTelemetry SDK setup found`, evidence: [] };
  const { ratio: expected, tail } = expectedHeadRatio(ctx);
  const effective =
    samplers.length === 0
      ? 1
      : samplers[0]!.kind === 'always_on'
        ? 1
        : samplers[0]!.kind === 'always_off'
          ? 0
          : samplers[0]!.ratio;
  const desc =
    samplers.length === 0
      ? 'the SDK default (parentbased_always_on)'
      : samplers.map((s) => s.source + (s.ratio !== undefined ? ` ratio ${s.ratio}` : '')).join(', ');
  const ev =
    samplers.length > 0 ? samplers.map((s) => s.evidence) : setup.setupFiles.map((f) => ({ file: f.path, line: 1 }));
  if (effective !== undefined && Math.abs(effective - expected) > 1e-9) {
    return {
      status: 'warn',
      message: `${name}: parent-based, but keeps ${effective * 100}% of new traces where the sampling step asks for ${expected * 100}%${tail ? ' (the Collector tail-samples, so the SDKs keep everything)' : ''}`,
      evidence: ev,
      fix: tail
        ? 'Set OTEL_TRACES_SAMPLER=parentbased_always_on: the Collector applies the percentage after it has seen errors.'
        : `Set OTEL_TRACES_SAMPLER=parentbased_traceidratio and OTEL_TRACES_SAMPLER_ARG=${expected}.`,
    };
  }
  return { status: 'pass', message: `${name}: ${desc} follows the parent's decision`, evidence: ev };
}
