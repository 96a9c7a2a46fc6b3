/**
 * What the runtime checks read from a runtime run: which span answered which probe, which service.name each started
 * service reports, the spans and roots of the probe window, and the shared "could not run" results.
 */
import type { CheckContext } from '../../check.js';
import type { CheckResult } from '../../../types/check-result.js';
import type { ReceivedSpan } from '../../receiver/span.js';
import type { Probe, RuntimeRun, StartedService } from '../../runtime/runtime-run.js';

export type Evidence = CheckResult['evidence'][number];

export function result(
  itemId: string,
  status: CheckResult['status'],
  summary: string,
  evidence: Evidence[] = [],
  fix?: string,
): CheckResult {
  return { itemId, status, summary, evidence, ...(fix ? { fix } : {}) };
}

/** The run, or a skipped result saying why there is none (the receiver could not start, no service could start). */
export async function runFor(
  ctx: CheckContext,
  itemId: string,
): Promise<{ run: RuntimeRun } | { skipped: CheckResult }> {
  let run: RuntimeRun;
  try {
    run = await ctx.runtime();
  } catch (error) {
    return {
      skipped: result(
        itemId,
        'skipped',
        `the services could not be started against the built-in receiver: ${(error as Error).message}`,
      ),
    };
  }
  if (run.services.length === 0)
    return { skipped: result(itemId, 'skipped', 'no services were chosen, so nothing was started') };
  if (!run.services.some((s) => s.status === 'running')) return { skipped: didNotStart(itemId, run) };
  return { run };
}

export function notRunning(run: RuntimeRun): StartedService[] {
  return run.services.filter((s) => s.status !== 'running');
}

export function running(run: RuntimeRun): StartedService[] {
  return run.services.filter((s) => s.status === 'running');
}

/** "service did not start: <stderr tail>" for each service that is not running. */
export function didNotStart(itemId: string, run: RuntimeRun): CheckResult {
  const down = notRunning(run);
  const summary = down
    .map((s) => `${s.service.name}: service did not start: ${s.reason ?? 'unknown reason'}`)
    .join(' | ');
  return result(
    itemId,
    'skipped',
    summary.length > 600 ? `${summary.slice(0, 600)}…` : summary,
    down.map((s) => ({
      note: `${s.service.name} (${s.command ?? 'no command'}): service did not start: ${s.reason ?? 'unknown reason'}`,
    })),
    'Make each service start with its start command (install its dependencies, free its port), then run the checks again.',
  );
}

function stringAttr(span: ReceivedSpan, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = span.attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

function pathOfSpan(span: ReceivedSpan): string | undefined {
  const direct = stringAttr(span, 'url.path', 'http.target');
  if (direct) return direct.split('?')[0];
  const full = stringAttr(span, 'url.full', 'http.url');
  if (!full) return undefined;
  try {
    return new URL(full).pathname;
  } catch {
    return undefined;
  }
}

function startMs(span: ReceivedSpan): number {
  return Number(span.startTimeUnixNano / 1_000_000n);
}

/** True when the span started while the probe was in flight (with a little slack for clocks and rounding). */
function inProbe(span: ReceivedSpan, probe: Probe): boolean {
  const at = startMs(span);
  return at >= probe.startedAt - 20 && at <= probe.endedAt + 20;
}

export interface ProbeAnswer {
  span: ReceivedSpan;
  /** True when the span continued the probe's traceparent; false when found by path and time in a trace of its own. */
  continuedTrace: boolean;
}

/** The span that answered the probe: the child of its traceparent, or else a SERVER span for its path started during it. */
export function answerOf(run: RuntimeRun, probe: Probe): ProbeAnswer | undefined {
  const child = run.store
    .spansOfTrace(probe.traceId)
    .filter((s) => s.parentSpanId === probe.parentSpanId)
    .sort((a, b) => Number(a.kind !== 'server') - Number(b.kind !== 'server'))[0];
  if (child) return { span: child, continuedTrace: true };
  const byPath = run.store
    .spans()
    .filter(
      (s) => s.kind === 'server' && inProbe(s, probe) && pathOfSpan(s) === probe.path && s.traceId !== probe.traceId,
    )
    .sort((a, b) => startMs(a) - startMs(b))[0];
  return byPath ? { span: byPath, continuedTrace: false } : undefined;
}

export function probesOf(run: RuntimeRun, serviceId: string): Probe[] {
  return run.probes.filter((p) => p.serviceId === serviceId);
}

/** The service.name values each started service reported on the spans that answered its probes. */
export function reportedNames(run: RuntimeRun, serviceId: string): string[] {
  const names = new Set<string>();
  for (const probe of probesOf(run, serviceId)) {
    const answer = answerOf(run, probe);
    if (answer) names.add(answer.span.serviceName);
  }
  return [...names];
}

/** Spans that started inside the probe window. */
export function windowSpans(run: RuntimeRun): ReceivedSpan[] {
  return run.store.spans().filter((s) => {
    const at = startMs(s);
    return at >= run.probeWindow.start - 20 && at <= run.probeWindow.end;
  });
}

/** The probe a span belongs to: by trace id, else by the time it started. */
export function probeOfSpan(run: RuntimeRun, span: ReceivedSpan): Probe | undefined {
  return run.probes.find((p) => p.traceId === span.traceId) ?? run.probes.find((p) => inProbe(span, p));
}

/**
 * Spans that start a trace of their own during the probes. Every probe carries a sampled traceparent, so every span the
 * services make for it has a parent; a root means some code dropped the context (or a server ignored traceparent).
 */
export function unexpectedRoots(run: RuntimeRun): ReceivedSpan[] {
  return windowSpans(run).filter((s) => s.parentSpanId === undefined);
}

/** The spans of the probes' own traces. */
export function probeTraceSpans(run: RuntimeRun): Map<Probe, ReceivedSpan[]> {
  const map = new Map<Probe, ReceivedSpan[]>();
  for (const probe of run.probes) map.set(probe, run.store.spansOfTrace(probe.traceId));
  return map;
}

export function spanNote(span: ReceivedSpan): string {
  return `${span.serviceName} "${span.name}" [${span.kind}] trace ${span.traceId} span ${span.spanId}${span.parentSpanId ? ` parent ${span.parentSpanId}` : ''}`;
}

export function probeLabel(probe: Probe): string {
  return `${probe.method ?? 'GET'} ${probe.url}${probe.status !== undefined ? ` → ${probe.status}` : probe.error ? ` → ${probe.error}` : ''}`;
}

/** Where the services' spans may have gone when none arrived: the store's own diagnosis. */
export function arrivalDiagnosis(run: RuntimeRun): Evidence[] {
  const notes: Evidence[] = [{ note: `receiver: ${run.store.describe()}` }];
  if (run.waitProblem) notes.push({ note: run.waitProblem });
  return notes;
}

/** Fails take precedence; then services that did not start make the check skipped; otherwise pass/warn as given. */
export function withDownServices(itemId: string, run: RuntimeRun, outcome: CheckResult): CheckResult {
  if (outcome.status === 'fail' || notRunning(run).length === 0) return outcome;
  const skipped = didNotStart(itemId, run);
  return { ...skipped, evidence: [...outcome.evidence, ...skipped.evidence] };
}
