/**
 * The shutdown-flush proof: does a service export the spans it still holds when it is stopped with SIGTERM?
 *
 * For each started service with a probe that produced its SERVER span, the run's instance is stopped and the service is
 * started again with the batch processor's schedule delay far longer than the proof lasts (OTEL_BSP_SCHEDULE_DELAY), so
 * its timer cannot export anything; one probe request is sent, the process group gets SIGTERM shortly after the answer
 * (long enough for the server to end its span, well within a second), and the probe's SERVER span must arrive — which
 * only a flush on shutdown can deliver. The service is then started again as before, for the checks that follow.
 */
import type { SpanStore } from '../receiver/span-store.js';
import type { ReceivedSpan } from '../receiver/span.js';
import { httpRequest, newSpanId, newTraceId, reachedRoute, traceparent } from './probe-request.js';
import type { Probe, StartedService } from './runtime-run.js';
import type { ServiceProcess } from './service-process.js';

/** The schedule delay of the proof instance: no timer export can happen while the proof lasts. */
export const PROOF_SCHEDULE_DELAY_MS = 120_000;
/** SIGTERM this long after the probe's answer: servers end their span right after the response is written. */
export const SIGTERM_AFTER_MS = 300;

export type ShutdownOutcome =
  /** The probe's SERVER span arrived after SIGTERM: the buffered span was flushed on shutdown. */
  | 'delivered'
  /** It never arrived: the span was lost with the process. */
  | 'lost'
  /** It arrived before SIGTERM: the set-up exports sooner than the schedule delay asked, so nothing was proven. */
  | 'early'
  /** The proof could not run for this service (no probe with a SERVER span, the proof instance did not start...). */
  | 'not-run';

export interface ShutdownProof {
  serviceId: string;
  serviceName: string;
  command?: string;
  outcome: ShutdownOutcome;
  /** Why it could not run, or what was seen. */
  detail: string;
  url?: string;
  traceId?: string;
  status?: number;
  /** Milliseconds from the probe's answer to SIGTERM. */
  signalAfterMs?: number;
  /** Milliseconds from SIGTERM until the process group was gone, and whether SIGKILL was needed. */
  stoppedAfterMs?: number;
  killed?: boolean;
  /** The SERVER span that answered, when it arrived. */
  span?: ReceivedSpan;
  /** Milliseconds from SIGTERM to the span's arrival (negative: it arrived before). */
  arrivedAfterMs?: number;
}

/** A started instance of a service, or why it could not be started. */
export type Launch =
  | { ok: true; proc: ServiceProcess; baseUrl: string }
  | { ok: false; reason: string; proc?: ServiceProcess };

export interface ShutdownProofDeps {
  store: SpanStore;
  services: readonly StartedService[];
  probes: readonly Probe[];
  /** Stops the run's instance of the service (SIGTERM, SIGKILL after the grace). */
  stopCurrent(serviceId: string): Promise<void>;
  /** Starts the service's command with its run environment plus `extraEnv`; resolves once it listens, or why not. */
  launch(service: StartedService, extraEnv: Record<string, string>): Promise<Launch>;
  /** Makes `launch`'s process the run's instance of the service again (for the checks after the proof). */
  adopt(service: StartedService, launched: Launch): void;
  stopGraceMs: number;
}

function entrySpan(store: SpanStore, traceId: string, parentSpanId: string): ReceivedSpan | undefined {
  return store.spansOfTrace(traceId).find((s) => s.parentSpanId === parentSpanId && s.kind === 'server');
}

/** The service's probe to repeat: one that reached its route (2xx/3xx, the stated status if any) with its SERVER span in the run. */
function probeToRepeat(deps: ShutdownProofDeps, serviceId: string): Probe | undefined {
  return deps.probes.find(
    (p) =>
      p.serviceId === serviceId &&
      !p.expectError &&
      reachedRoute(p) &&
      p.status !== undefined &&
      p.status >= 200 &&
      p.status < 400 &&
      entrySpan(deps.store, p.traceId, p.parentSpanId) !== undefined,
  );
}

async function proveOne(deps: ShutdownProofDeps, s: StartedService): Promise<ShutdownProof> {
  const base = { serviceId: s.service.id, serviceName: s.service.name, ...(s.command ? { command: s.command } : {}) };
  const probe = probeToRepeat(deps, s.service.id);
  if (!probe || !s.baseUrl) {
    return {
      ...base,
      outcome: 'not-run',
      detail: `no probe of ${s.service.name} answered with its SERVER span in this run, so there is no request whose spans a stop could lose`,
    };
  }
  await deps.stopCurrent(s.service.id);
  const proof = await deps.launch(s, { OTEL_BSP_SCHEDULE_DELAY: String(PROOF_SCHEDULE_DELAY_MS) });
  let outcome: ShutdownProof;
  if (!proof.ok) {
    outcome = {
      ...base,
      outcome: 'not-run',
      detail: `started again with OTEL_BSP_SCHEDULE_DELAY=${PROOF_SCHEDULE_DELAY_MS}, ${s.command ?? 'it'} did not serve: ${proof.reason}`,
    };
  } else {
    outcome = await probeThenTerminate(deps, base, probe, s, proof);
  }
  // The service again as the run started it, for the checks after this one.
  const again = await deps.launch(s, {});
  deps.adopt(s, again);
  return outcome;
}

async function probeThenTerminate(
  deps: ShutdownProofDeps,
  base: Pick<ShutdownProof, 'serviceId' | 'serviceName' | 'command'>,
  probe: Probe,
  s: StartedService,
  launched: Extract<Launch, { ok: true }>,
): Promise<ShutdownProof> {
  const url =
    s.baseUrl && probe.url.startsWith(s.baseUrl)
      ? `${launched.baseUrl}${probe.url.slice(s.baseUrl.length)}`
      : probe.url;
  const traceId = newTraceId();
  const parentSpanId = newSpanId();
  // The probe's own request: a user-stated probe keeps its method, headers and body (its query is in the url).
  const answer = await httpRequest({
    method: probe.method ?? 'GET',
    url,
    headers: { ...probe.headers, traceparent: traceparent(traceId, parentSpanId) },
    ...(probe.body !== undefined ? { body: probe.body } : {}),
  });
  const seen = { url, traceId, ...(answer.status !== undefined ? { status: answer.status } : {}) };
  if (answer.status === undefined) {
    await launched.proc.stop(deps.stopGraceMs);
    return {
      ...base,
      ...seen,
      outcome: 'not-run',
      detail: `GET ${url} got no answer (${answer.error ?? 'no status'}) from the instance started for the proof`,
    };
  }
  await new Promise((resolve) => setTimeout(resolve, SIGTERM_AFTER_MS));
  const early = entrySpan(deps.store, traceId, parentSpanId);
  const termAt = Date.now();
  const signalAfterMs = termAt - answer.endedAt;
  if (early) {
    await launched.proc.stop(deps.stopGraceMs);
    return {
      ...base,
      ...seen,
      outcome: 'early',
      span: early,
      signalAfterMs,
      arrivedAfterMs: early.receivedAt - termAt,
      detail: `its SERVER span arrived ${termAt - early.receivedAt} ms before SIGTERM although OTEL_BSP_SCHEDULE_DELAY=${PROOF_SCHEDULE_DELAY_MS}: the set-up exports sooner (a schedule delay or a simple span processor written in its code), so a stop cannot show whether buffered spans are flushed`,
    };
  }
  const arrived = deps.store
    .waitFor(
      (st) => entrySpan(st, traceId, parentSpanId) !== undefined,
      deps.stopGraceMs + 4_000,
      "the probe's SERVER span after SIGTERM",
    )
    .then(
      () => true,
      () => false,
    );
  await launched.proc.stop(deps.stopGraceMs);
  const stoppedAfterMs = Date.now() - termAt;
  const killed = stoppedAfterMs >= deps.stopGraceMs;
  const delivered = await arrived;
  const span = entrySpan(deps.store, traceId, parentSpanId);
  const stopped = `${killed ? `still running ${deps.stopGraceMs} ms after SIGTERM and killed` : `stopped ${stoppedAfterMs} ms after SIGTERM`}`;
  if (!delivered || !span) {
    return {
      ...base,
      ...seen,
      outcome: 'lost',
      signalAfterMs,
      stoppedAfterMs,
      killed,
      detail: `GET ${url} → ${answer.status}, SIGTERM ${signalAfterMs} ms later (OTEL_BSP_SCHEDULE_DELAY=${PROOF_SCHEDULE_DELAY_MS}); ${stopped}; its SERVER span (trace ${traceId}) never arrived: the buffered spans were lost with the process`,
    };
  }
  return {
    ...base,
    ...seen,
    outcome: 'delivered',
    span,
    signalAfterMs,
    stoppedAfterMs,
    killed,
    arrivedAfterMs: span.receivedAt - termAt,
    detail: `GET ${url} → ${answer.status}, SIGTERM ${signalAfterMs} ms later (OTEL_BSP_SCHEDULE_DELAY=${PROOF_SCHEDULE_DELAY_MS}); ${stopped}; its SERVER span "${span.name}" arrived ${span.receivedAt - termAt} ms after SIGTERM`,
  };
}

/** Runs the proof for every running service, one at a time. */
export async function proveShutdownFlush(deps: ShutdownProofDeps): Promise<ShutdownProof[]> {
  const proofs: ShutdownProof[] = [];
  for (const s of deps.services) {
    if (s.status !== 'running') continue;
    proofs.push(await proveOne(deps, s));
  }
  return proofs;
}
