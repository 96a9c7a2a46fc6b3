/**
 * pitfall-wrong-span-kind, runtime half (the item's method is static; this judges the spans that really arrived): a span
 * whose attributes say it handles an incoming request must be SERVER, an outgoing HTTP or database call CLIENT, a
 * message send PRODUCER and a receive CONSUMER; a SERVER span directly under a SERVER span of the same service (the
 * request instrumented twice) and an INTERNAL span carrying the attributes of a call are wrong. Spans whose attributes
 * tell no role are judged only by those two rules.
 */
import type { Check } from '../../check.js';
import type { ReceivedSpan } from '../../receiver/span.js';
import { arrivalDiagnosis, result, runFor, spanNote, withDownServices, type Evidence } from './probe-analysis.js';
import { KINDS_OF_ROLE, roleOf } from './span-roles.js';

const ITEM = 'pitfall-wrong-span-kind';
const MAX_EVIDENCE = 8;

interface Verdict {
  judged: boolean;
  wrong?: string;
}

/**
 * The SERVER span of the same service this span runs inside: walks up through the service's own spans and stops at a
 * span of another service or at an outgoing call (a service that calls itself over HTTP is a new request).
 */
function enclosingServer(span: ReceivedSpan, byId: Map<string, ReceivedSpan>): ReceivedSpan | undefined {
  const seen = new Set<string>();
  let at = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
  while (at && at.serviceName === span.serviceName && !seen.has(at.spanId)) {
    if (at.kind === 'server') return at;
    if (at.kind === 'client' || at.kind === 'producer') return undefined;
    seen.add(at.spanId);
    at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined;
  }
  return undefined;
}

function judge(span: ReceivedSpan, byId: Map<string, ReceivedSpan>): Verdict {
  const outer = span.kind === 'server' ? enclosingServer(span, byId) : undefined;
  if (outer) {
    return {
      judged: true,
      wrong: `is SERVER inside the SERVER span "${outer.name}" of the same service: the request is instrumented twice (or a manual span is SERVER inside a request)`,
    };
  }
  const role = roleOf(span);
  if (role) {
    const allowed = KINDS_OF_ROLE[role.role];
    if (allowed.includes(span.kind)) return { judged: true };
    // A framework's own span inside the request (NestJS's request_context repeats the request's method and route) is
    // not the span that handles the request: the enclosing SERVER span is.
    if (role.role === 'incoming request' && span.kind === 'internal' && enclosingServer(span, byId))
      return { judged: true };
    return {
      judged: true,
      wrong: `is ${span.kind.toUpperCase()} but its attributes (${role.because}) make it ${role.role === 'incoming request' ? 'an' : 'a'} ${role.role}: ${allowed.map((k) => k.toUpperCase()).join(' or ')}`,
    };
  }
  // No role from the attributes: an INTERNAL (or unspecified) span is right for work inside the process; a SERVER span
  // that is no nested request is left to the probes' own check; other kinds cannot be judged without attributes.
  if (span.kind === 'internal' || span.kind === 'unspecified') return { judged: true };
  if (span.kind === 'server') return { judged: true };
  return { judged: false };
}

const FIX =
  "Give each span the kind of its role: the framework instrumentation makes the request's SERVER span (a manual span inside a request is INTERNAL, and the request must be instrumented once: one of opentelemetry-instrument or FlaskInstrumentor, one of the http and framework server instrumentations), CLIENT for outgoing HTTP and database calls, PRODUCER / CONSUMER for sending and receiving messages.";

export const pitfallWrongSpanKindAtRuntime: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const spans = run.store.spans();
    if (spans.length === 0)
      return withDownServices(
        ITEM,
        run,
        result(ITEM, 'skipped', 'no spans arrived, so no span kind could be read', arrivalDiagnosis(run)),
      );
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const wrong: Evidence[] = [];
    const judged: ReceivedSpan[] = [];
    for (const span of spans) {
      const verdict = judge(span, byId);
      if (!verdict.judged) continue;
      judged.push(span);
      if (verdict.wrong) wrong.push({ note: `${spanNote(span)} ${verdict.wrong}` });
    }
    if (wrong.length > 0) {
      return result(
        ITEM,
        'fail',
        `${wrong.length} of ${judged.length} span(s) that arrived have the wrong kind`,
        wrong.slice(0, MAX_EVIDENCE),
        FIX,
      );
    }
    if (judged.length === 0) {
      return withDownServices(
        ITEM,
        run,
        result(
          ITEM,
          'nothing-to-check',
          `nothing to check at runtime: none of the ${spans.length} span(s) that arrived has attributes that tell its role`,
        ),
      );
    }
    const kinds = [...new Set(judged.map((s) => s.kind))];
    return withDownServices(
      ITEM,
      run,
      result(
        ITEM,
        'pass',
        `${judged.length} span(s) of ${kinds.length} kind(s) checked at runtime, each of the kind its role needs`,
        [
          {
            note: `${judged.length} of ${spans.length} span(s) checked; kinds: ${kinds.map((k) => `${k.toUpperCase()} ×${judged.filter((s) => s.kind === k).length}`).join(', ')}`,
          },
        ],
      ),
    );
  },
};
