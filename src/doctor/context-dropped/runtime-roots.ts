/**
 * The runtime side of the context-dropped cause: while a probe with a sampled traceparent was in flight and the
 * service's SERVER span continued it, other spans of the same service arrived as roots of traces of their own.
 */
import type { Service } from '../../types/scan.js';
import { answerOf, probeOfSpan, spanNote, unexpectedRoots } from '../../verify/checks/runtime/probe-analysis.js';
import type { ReceivedSpan } from '../../verify/receiver/span.js';
import type { RuntimeRun } from '../../verify/runtime/runtime-run.js';
import type { DoctorEvidence } from '../finding.js';
import { describeProbe } from '../finding-helpers.js';

function rootNote(run: RuntimeRun, root: ReceivedSpan): string {
  const inTrace = run.store.spansOfTrace(root.traceId).length;
  return `${spanNote(root)} arrived as the root of a new trace (${inTrace} span${inTrace === 1 ? '' : 's'} in it)`;
}

/** The run's unexpected roots that are not entry spans (SERVER or CONSUMER). */
export function nonEntryRoots(run: RuntimeRun): ReceivedSpan[] {
  return unexpectedRoots(run).filter((r) => r.kind !== 'server' && r.kind !== 'consumer');
}

/**
 * One note per probe of `service` whose SERVER span continued the probe's trace while other spans of that service (from
 * `roots`) started traces of their own during the probe.
 */
export function extraRootNotes(run: RuntimeRun, service: Service, roots: ReceivedSpan[]): DoctorEvidence[] {
  const notes: DoctorEvidence[] = [];
  for (const probe of run.probes.filter((p) => p.serviceId === service.id && p.status !== undefined)) {
    const answer = answerOf(run, probe);
    // A SERVER span that did not continue the traceparent is the propagator's cause, not this one.
    if (!answer?.continuedTrace) continue;
    const entry = answer.span;
    const extra = roots.filter(
      (r) =>
        r.traceId !== probe.traceId &&
        r.serviceName === entry.serviceName &&
        r.startTimeUnixNano >= entry.startTimeUnixNano &&
        probeOfSpan(run, r) === probe,
    );
    if (extra.length === 0) continue;
    notes.push({
      note: `${describeProbe(probe)}: SERVER span "${entry.name}" (${entry.serviceName}) continued trace ${probe.traceId}, but ${extra.map((r) => rootNote(run, r)).join('; ')} — ${extra.length === 1 ? 'it' : 'they'} should have been in trace ${probe.traceId} under "${entry.name}" (span ${entry.spanId})`,
    });
  }
  return notes;
}
