/**
 * Propagation proven on one service. With a single running service no request can cross services, but the service
 * still propagates: every probe carries a sampled traceparent with a known trace id and parent span id, and the SERVER
 * span that answers it must continue exactly that context (same trace id, parent = the traceparent's span id). The
 * spans the service makes for the request (its own work, CLIENT spans of its outbound calls, which the client
 * instrumentation injects from) must stay in that trace under that one root, with no orphan.
 */
import type { ReceivedSpan } from '../../receiver/span.js';
import type { Probe, RuntimeRun } from '../../runtime/runtime-run.js';
import { answerOf, probeLabel, spanNote, type Evidence } from './probe-analysis.js';

export interface SingleServiceView {
  /** Probes whose SERVER span continued the incoming traceparent: trace id and parent span id match. */
  continued: { probe: Probe; server: ReceivedSpan; spans: ReceivedSpan[]; clients: ReceivedSpan[] }[];
  /** What breaks propagation inside the service: a SERVER span in a new trace, a second root, an orphan. */
  problems: Evidence[];
}

function traceparentOf(probe: Probe): string {
  return `00-${probe.traceId}-${probe.parentSpanId}-01`;
}

/** A probe that reached a route: answered, and not a 404 (a path the app does not have proves nothing). */
function reachedRoute(probe: Probe): boolean {
  return probe.status !== undefined && probe.status !== 404;
}

export function singleServiceView(run: RuntimeRun, serviceId: string): SingleServiceView {
  const continued: SingleServiceView['continued'] = [];
  const problems: Evidence[] = [];
  for (const probe of run.probes.filter((p) => p.serviceId === serviceId && reachedRoute(p))) {
    const answer = answerOf(run, probe);
    if (!answer) continue;
    if (!answer.continuedTrace) {
      problems.push({
        note: `${probeLabel(probe)} sent traceparent ${traceparentOf(probe)}; ${spanNote(answer.span)} started a new trace instead: the server does not extract the incoming context`,
      });
      continue;
    }
    if (answer.span.kind !== 'server') {
      problems.push({
        note: `${probeLabel(probe)}: the span that continued traceparent ${traceparentOf(probe)} is ${spanNote(answer.span)}, not a SERVER span`,
      });
      continue;
    }
    const spans = run.store.spansOfTrace(probe.traceId);
    const ids = new Set(spans.map((s) => s.spanId));
    const roots = spans.filter((s) => s.parentSpanId === undefined || s.parentSpanId === probe.parentSpanId);
    if (roots.length !== 1) {
      problems.push({
        note: `${probeLabel(probe)}: trace ${probe.traceId} has ${roots.length} spans under the incoming traceparent (${roots.map((r) => `"${r.name}"`).join(', ')}), expected the one SERVER span`,
      });
    }
    for (const s of spans) {
      if (s.parentSpanId !== undefined && s.parentSpanId !== probe.parentSpanId && !ids.has(s.parentSpanId)) {
        problems.push({ note: `${spanNote(s)}: orphan in trace ${probe.traceId}, its parent never arrived` });
      }
    }
    continued.push({ probe, server: answer.span, spans, clients: spans.filter((s) => s.kind === 'client') });
  }
  return { continued, problems };
}

export function continuedNote(c: SingleServiceView['continued'][number]): Evidence {
  const out =
    c.clients.length > 0
      ? `; ${c.clients.length} outbound CLIENT span(s) in the same trace (${c.clients.map((s) => `"${s.name}"`).join(', ')})`
      : '';
  return {
    note: `${probeLabel(c.probe)} sent traceparent ${traceparentOf(c.probe)}; ${c.server.serviceName} SERVER "${c.server.name}" has trace ${c.server.traceId} and parent ${c.server.parentSpanId} — the incoming context${out}`,
  };
}
