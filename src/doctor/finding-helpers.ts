import type { Evidence, Service } from '../types/scan.js';
import type { ReceivedSpan } from '../verify/receiver/span.js';
import type { Probe, RuntimeRun } from '../verify/runtime/runtime-run.js';
import type { DoctorEvidence } from './finding.js';

export function fromEvidence(e: Evidence, note: string): DoctorEvidence {
  return { file: e.file, line: e.line, text: e.text, note };
}

export function msOf(nanos: bigint): number {
  return Number(nanos / 1_000_000n);
}

/** Spans that started while this probe was in flight (probes are sent one at a time). */
export function spansDuring(run: RuntimeRun, probe: Probe): ReceivedSpan[] {
  return run.store.spans().filter((s) => {
    const at = msOf(s.startTimeUnixNano);
    return s.traceId === probe.traceId || (at >= probe.startedAt - 50 && at <= probe.endedAt + 50);
  });
}

export function describeProbe(p: Probe): string {
  return `GET ${p.url} with traceparent 00-${p.traceId}-${p.parentSpanId}-01 → ${p.status ?? p.error ?? 'no answer'}`;
}

export function headOf(
  cause: string,
  service: Service | undefined,
  title: string,
  why: string,
  step: 'backend' | 'auto-instrumentation' | 'propagation',
) {
  return {
    id: `doctor-${cause}${service ? `-${service.id.replace(/[^\w-]/g, '_')}` : ''}`,
    step,
    ...(service ? { service: service.id } : {}),
    title,
    why,
  };
}
