/**
 * Hops between services in the probes' traces: which requests crossed services in one trace, and where a hop broke (a
 * service's SERVER span that started a trace of its own although every probe carried a traceparent).
 */
import type { ReceivedSpan } from '../../receiver/span.js';
import type { Probe, RuntimeRun } from '../../runtime/runtime-run.js';
import { answerOf, probeOfSpan, probeTraceSpans, spanNote, unexpectedRoots, type Evidence } from './probe-analysis.js';

export interface Hop {
  probe: Probe;
  client: ReceivedSpan | undefined;
  server: ReceivedSpan;
}

export interface CrossServiceView {
  /** Probe traces whose spans come from two or more services. */
  crossing: { probe: Probe; spans: ReceivedSpan[]; services: string[] }[];
  /** SERVER spans reached from another service inside a probe trace, with the span they name as parent. */
  hops: Hop[];
  /** A service answered a probe in a new trace: it does not extract the incoming traceparent. */
  notExtracted: Evidence[];
  /** A service received a call from another service without trace context (the caller did not inject it). */
  notInjected: Evidence[];
}

export function crossServiceView(run: RuntimeRun): CrossServiceView {
  const crossing: CrossServiceView['crossing'] = [];
  const hops: Hop[] = [];
  for (const [probe, spans] of probeTraceSpans(run)) {
    const services = [...new Set(spans.map((s) => s.serviceName))].sort();
    if (services.length < 2) continue;
    crossing.push({ probe, spans, services });
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const server of spans.filter((s) => s.kind === 'server' && s.parentSpanId !== probe.parentSpanId)) {
      const parent = server.parentSpanId === undefined ? undefined : byId.get(server.parentSpanId);
      if (parent?.serviceName === server.serviceName && parent.kind !== 'client') continue;
      hops.push({ probe, client: parent, server });
    }
  }
  const answeredBySearch = new Set<string>();
  const notExtracted: Evidence[] = [];
  for (const probe of run.probes) {
    const answer = answerOf(run, probe);
    if (answer && !answer.continuedTrace) {
      answeredBySearch.add(answer.span.spanId);
      notExtracted.push({
        note: `${answer.span.serviceName} answered GET ${probe.path} in a new trace ${answer.span.traceId} instead of the incoming traceparent's ${probe.traceId}: its server does not extract the context`,
      });
    }
  }
  const notInjected: Evidence[] = [];
  for (const root of unexpectedRoots(run)) {
    if (root.kind !== 'server' || answeredBySearch.has(root.spanId)) continue;
    const probe = probeOfSpan(run, root);
    notInjected.push({
      note: `${spanNote(root)} started a new trace${probe ? ` during GET ${probe.url}` : ''}: the call that reached ${root.serviceName} carried no trace context`,
    });
  }
  return { crossing, hops, notExtracted, notInjected };
}
