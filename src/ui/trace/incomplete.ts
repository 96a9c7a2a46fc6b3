/**
 * Why a span's parent is missing, decided from what the run observed (the spans of every trace, the probes sent).
 * Pure. The verdict says how sure it is: `certain` when the data proves it, `likely` with strong circumstantial
 * evidence, `possible` when it is the best remaining guess.
 */
import type { Probe } from '../../verify/runtime/runtime-run.js';
import type { ReceivedSpan } from '../../verify/receiver/span.js';
import { shortId } from './layout.js';

export type MissingParentKind = 'probe' | 'not-propagated' | 'not-sampled' | 'not-yet-arrived';
export type Certainty = 'certain' | 'likely' | 'possible';

export interface MissingParent {
  kind: MissingParentKind;
  certainty: Certainty;
  /** The full sentence: "parent <id> not received — …". */
  text: string;
  /** The sentence without the parent id: for the line under the waterfall. */
  why: string;
  /** A few words for a waterfall row. */
  short: string;
  /** What the verdict rests on. */
  evidence: string;
}

/** Below this the caller cannot have had time to export its span (batch processors flush every few seconds). */
const FLUSH_GAP_MS = 1000;

const REASON: Record<MissingParentKind, string> = {
  probe: "it is the guide's probe request (it sends a traceparent but exports no span) — expected",
  'not-propagated': "not propagated (the caller's span is in another trace)",
  'not-sampled': 'not sampled by the caller (parent-based sampling)',
  'not-yet-arrived': 'not yet arrived (the caller had not exported when the run ended)',
};

const SHORT: Record<MissingParentKind, string> = {
  probe: 'called by the probe',
  'not-propagated': 'not propagated',
  'not-sampled': 'not sampled by caller',
  'not-yet-arrived': 'not yet arrived',
};

function verdict(parentId: string, kind: MissingParentKind, certainty: Certainty, evidence: string): MissingParent {
  return {
    kind,
    certainty,
    text: `parent ${shortId(parentId)} not received — ${REASON[kind]} (${certainty})`,
    short: `${SHORT[kind]} (${certainty})`,
    why: `${REASON[kind]} (${certainty})`,
    evidence,
  };
}

/** Attribute values a CLIENT span uses to name what it called. */
const PEER_KEYS = [
  'peer.service',
  'server.address',
  'net.peer.name',
  'url.full',
  'http.url',
  'rpc.service',
  'messaging.destination.name',
];

function callsService(client: ReceivedSpan, service: string): boolean {
  const name = service.toLowerCase();
  return PEER_KEYS.some((key) => {
    const value = client.attributes[key];
    return typeof value === 'string' && value.toLowerCase().includes(name);
  });
}

/**
 * Decides, for a span whose parent is not in its trace:
 * 1. the parent id is the one a probe sent → the probe (certain);
 * 2. the parent id is a span of another trace → not propagated (certain);
 * 3. a CLIENT/PRODUCER span of another service, in another trace, spanning this span's time → not propagated
 *    (likely when it names this service, possible otherwise);
 * 4. the run went on receiving spans for a while after this span arrived, so the caller had time to export →
 *    not sampled by the caller (possible); else not yet arrived (possible).
 */
export function missingParentReason(
  orphan: ReceivedSpan,
  all: readonly ReceivedSpan[],
  probes: readonly Probe[] = [],
): MissingParent {
  const parentId = orphan.parentSpanId ?? '?';
  const probe = probes.find((p) => p.traceId === orphan.traceId && p.parentSpanId === parentId);
  if (probe) return verdict(parentId, 'probe', 'certain', `probe GET ${probe.path} to ${probe.serviceId}`);

  const elsewhere = all.find((span) => span.spanId === parentId && span.traceId !== orphan.traceId);
  if (elsewhere) {
    return verdict(
      parentId,
      'not-propagated',
      'certain',
      `${elsewhere.serviceName} ${elsewhere.name} is in trace ${shortId(elsewhere.traceId)}`,
    );
  }

  const callers = all.filter(
    (span) =>
      (span.kind === 'client' || span.kind === 'producer') &&
      span.traceId !== orphan.traceId &&
      span.serviceName !== orphan.serviceName &&
      span.startTimeUnixNano <= orphan.startTimeUnixNano &&
      span.endTimeUnixNano >= orphan.endTimeUnixNano,
  );
  const named = callers.find((span) => callsService(span, orphan.serviceName));
  if (named)
    return verdict(
      parentId,
      'not-propagated',
      'likely',
      `${named.serviceName} ${named.name} (trace ${shortId(named.traceId)}) called ${orphan.serviceName} at that time`,
    );
  if (callers[0]) {
    return verdict(
      parentId,
      'not-propagated',
      'possible',
      `${callers[0].serviceName} ${callers[0].name} (trace ${shortId(callers[0].traceId)}) was calling out at that time`,
    );
  }

  const lastArrival = all.reduce((latest, span) => Math.max(latest, span.receivedAt), 0);
  const waited = lastArrival - orphan.receivedAt;
  if (waited >= FLUSH_GAP_MS) {
    return verdict(
      parentId,
      'not-sampled',
      'possible',
      `spans kept arriving for ${(waited / 1000).toFixed(1)} s after this one, but never its parent`,
    );
  }
  return verdict(
    parentId,
    'not-yet-arrived',
    'possible',
    `it arrived among the last spans of the run (${waited} ms before the end)`,
  );
}
