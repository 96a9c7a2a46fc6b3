/**
 * The proof of the product on the bundled demo (gateway Express → orders Flask → inventory Gin), asserted directly on
 * the spans the built-in receiver got and on the services' own output, not on check summaries.
 *
 * A copy of examples/shop is taken through all six steps with the JSON commands (`plan`, `apply --yes`; the installs
 * really run: npm, pip into a throwaway virtual environment, go get), then the runtime run starts the three services on
 * free ports against the built-in receiver (OTEL_* pointed at it, ORDERS_URL / INVENTORY_URL wired) and this test sends
 * its own requests to the gateway. Finally `trace-guide undo` must restore the demo byte for byte.
 *
 * Nothing is faked. Slow: installs, a first `go run`, 400 requests. No assertion depends on timing; waits are
 * event-driven (store.waitFor) with generous deadlines.
 */
import { rm } from 'node:fs/promises';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { SamplingDecision, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../helpers/cli.js';
import { snapshot, testSkill } from '../helpers/recipe-harness.js';
import { scanRepo } from '../../src/repo/scan.js';
import { RepoReader } from '../../src/repo/repo-reader.js';
import type { CheckContext } from '../../src/verify/check.js';
import type { ReceivedSpan } from '../../src/verify/receiver/span.js';
import type { SpanStore } from '../../src/verify/receiver/span-store.js';
import { buildTraceTree } from '../../src/verify/receiver/trace-tree.js';
import { settle, startRuntimeRun, type RuntimeRun, type StartedService } from '../../src/verify/runtime/runtime-run.js';
import {
  closeAgent,
  copyDemo,
  describeTrace,
  exactBinomialInterval,
  get,
  getMany,
  isAutoInstrumentation,
  oldAttributeNames,
  requireTool,
  traceIdsIn,
  type DemoCopy,
  type Sent,
} from './demo-proof-helpers.js';

const INPUTS = {
  backend: 'local',
  'tail-sampling': 'none',
  'sampling-percent': 25,
  'business-attributes': 'app.order.id,app.sku',
};
const SET = Object.entries(INPUTS).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
const SERVICES = ['gateway', 'orders', 'inventory'] as const;
const WAIT_MS = 60_000;

let demo: DemoCopy | undefined;
let before: Record<string, string>;
let run: RuntimeRun | undefined;
let store: SpanStore;
let gateway: StartedService;
/** The sampled requests of the cross-service test, reused by the later ones. */
let checkouts: Sent[] = [];
let failed: Sent;
/** When the burst without trace context started: log lines before it belong to sampled requests only. */
let burstStartedAt = Number.POSITIVE_INFINITY;

/** The decision of the SDK's own root ratio sampler for a new trace with this id. */
const keptByRatio = (ratio: number, traceId: string) =>
  new TraceIdRatioBasedSampler(ratio).shouldSample(ROOT_CONTEXT, traceId).decision ===
  SamplingDecision.RECORD_AND_SAMPLED;
const serverSpan = (spans: readonly ReceivedSpan[], service: string) =>
  spans.filter((s) => s.serviceName === service && s.kind === 'server');
const byId = (spans: readonly ReceivedSpan[]) => new Map(spans.map((s) => [s.spanId, s]));

/** The chain of ancestors of a span inside its trace (nearest first). */
function ancestors(span: ReceivedSpan, spans: readonly ReceivedSpan[]): ReceivedSpan[] {
  const index = byId(spans);
  const out: ReceivedSpan[] = [];
  for (
    let p = span.parentSpanId ? index.get(span.parentSpanId) : undefined;
    p && !out.includes(p);
    p = p.parentSpanId ? index.get(p.parentSpanId) : undefined
  )
    out.push(p);
  return out;
}

/** A checkout trace is complete once every service's SERVER span is in, including the gateway's async audit call. */
function checkoutComplete(st: SpanStore, traceId: string): boolean {
  const spans = st.spansOfTrace(traceId);
  return (
    serverSpan(spans, 'gateway').length === 1 &&
    spans.some((s) => s.serviceName === 'orders' && s.kind === 'server' && s.attributes['url.path'] === '/orders') &&
    spans.some(
      (s) => s.serviceName === 'orders' && s.kind === 'server' && s.attributes['url.path'] === '/orders/recent',
    ) &&
    serverSpan(spans, 'inventory').length === 1
  );
}

beforeAll(async () => {
  assertBuilt();
  requireTool('npm', ['--version'], 'step 2 installs the OpenTelemetry SDK into the Node gateway with npm');
  requireTool('python3', ['--version'], 'the orders service is Python; pip installs its SDK into a throwaway venv');
  requireTool('go', ['version'], 'the inventory service is Go; go get adds its SDK and go run starts it');
  demo = await copyDemo('tg-demo-proof');
  before = await snapshot(demo.root);

  const planned = await runCli(['plan', demo.root, '--step', '1', ...SET, '--json'], { env: demo.env });
  if (planned.code !== 0) throw new Error(`plan failed: ${planned.stdout}\n${planned.stderr}`);
  for (const step of [1, 2, 3, 4, 5, 6]) {
    const applied = await runCli(['apply', demo.root, '--step', String(step), '--yes', '--json'], {
      env: demo.env,
      timeoutMs: 420_000,
    });
    const failures = applied.code === 0 ? [] : [`exit ${applied.code}`];
    try {
      const result = JSON.parse(applied.stdout) as { results: { proposalId: string; ok: boolean; message?: string }[] };
      failures.push(...result.results.filter((r) => !r.ok).map((r) => `${r.proposalId}: ${r.message ?? ''}`));
    } catch {
      failures.push(`unreadable output: ${applied.stdout.slice(0, 500)}`);
    }
    if (failures.length > 0) throw new Error(`apply step ${step} failed: ${failures.join('; ')}\n${applied.stderr}`);
  }

  // A CheckContext as the check runner builds it; the runtime run starts every scanned service on a free port.
  const scan = await scanRepo(demo.root);
  const ctx: CheckContext = {
    root: demo.root,
    skill: await testSkill(),
    scan,
    inputs: INPUTS,
    services: scan.services,
    repo: new RepoReader(demo.root),
    runtime: () => Promise.reject(new Error('not used: the test starts the run itself')),
  };
  // Free receiver ports too: nothing else on this machine sending to 4318 can mix into the store.
  run = await startRuntimeRun(ctx, {
    ports: 'free',
    env: demo.env,
    receiverHttpPort: 0,
    receiverGrpcPort: 0,
    startTimeoutMs: 180_000,
    spanTimeoutMs: WAIT_MS,
  });
  store = run.store;
  const notRunning = run.services
    .filter((s) => s.status !== 'running')
    .map((s) => `${s.service.id}: ${s.status} ${s.reason ?? ''}`);
  if (notRunning.length > 0) throw new Error(`services did not start:\n${notRunning.join('\n')}`);
  gateway = run.services.find((s) => s.service.id === 'gateway') as StartedService;
}, 1_200_000);

afterAll(async () => {
  closeAgent();
  await run?.close();
  if (demo) {
    await rm(demo.root, { recursive: true, force: true });
    await rm(demo.venv, { recursive: true, force: true });
  }
}, 60_000);

describe('the demo shop, instrumented by trace-guide, proven on the spans it sends', () => {
  it('runs all three services, each caller wired to its callee', () => {
    expect(run!.services.map((s) => `${s.service.id} ${s.status}`).sort()).toEqual([
      'gateway running',
      'inventory running',
      'orders running',
    ]);
    const wiring = run!.services
      .flatMap((s) => s.wiring.map((w) => `${s.service.id}:${w.variable}→${w.targetServiceId}`))
      .sort();
    expect(wiring).toEqual(['gateway:ORDERS_URL→orders', 'orders:INVENTORY_URL→inventory']);
  });

  it('turns each sampled checkout into one trace across gateway → orders → inventory, CLIENT → SERVER at each hop, no orphans', async () => {
    await settle(store, 1_000, 10_000);
    const known = new Set(store.traceIds());
    // One at a time, so each request's spans can only belong to its own trace.
    for (let i = 0; i < 5; i++) checkouts.push(await get(gateway.baseUrl!, '/checkout/widget', true));
    expect(checkouts.map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
    await store.waitFor(
      (st) => checkouts.every((c) => checkoutComplete(st, c.traceId!)),
      WAIT_MS,
      'the five checkout traces',
    );
    await settle(store, 1_000, 10_000);

    // Exactly the five sent traces arrived: nothing split off into a trace of its own.
    const fresh = store.traceIds().filter((id) => !known.has(id));
    expect(fresh.sort()).toEqual(checkouts.map((c) => c.traceId!).sort());

    for (const c of checkouts) {
      const spans = store.spansOfTrace(c.traceId!);
      const shown = describeTrace(spans);
      expect(new Set(spans.map((s) => s.serviceName)), shown).toEqual(new Set(SERVICES));
      const index = byId(spans);

      // The gateway's SERVER span continues the sent traceparent; it is the only span whose parent is not in the trace.
      const [entry] = serverSpan(spans, 'gateway');
      expect(entry!.parentSpanId, shown).toBe(c.parentSpanId);
      const tree = buildTraceTree(spans);
      expect(tree.roots, shown).toEqual([]);
      expect(
        tree.orphans.map((o) => o.span.spanId),
        shown,
      ).toEqual([entry!.spanId]);
      expect(tree.spanCount, shown).toBe(spans.length);

      // gateway → orders: the orders SERVER spans (POST /orders and the async audit GET /orders/recent) are children of
      // gateway CLIENT spans, which descend from the gateway's SERVER span.
      const ordersServers = serverSpan(spans, 'orders');
      expect(ordersServers.map((s) => s.attributes['url.path']).sort(), shown).toEqual(['/orders', '/orders/recent']);
      for (const s of ordersServers) {
        const parent = index.get(s.parentSpanId ?? '');
        expect(parent && `${parent.serviceName} ${parent.kind}`, shown).toBe('gateway client');
        expect(ancestors(parent!, spans), shown).toContain(entry);
      }
      // orders → inventory.
      const [reserve] = serverSpan(spans, 'inventory');
      const parent = index.get(reserve!.parentSpanId ?? '');
      expect(parent && `${parent.serviceName} ${parent.kind}`, shown).toBe('orders client');
      expect(
        ancestors(parent!, spans).map((s) => s.spanId),
        shown,
      ).toContain(ordersServers.find((s) => s.attributes['url.path'] === '/orders')!.spanId);
    }
  }, 180_000);

  it('carries the manual spans of step 3 with the business attributes, and only current semantic-convention names', () => {
    for (const c of checkouts) {
      const spans = store.spansOfTrace(c.traceId!);
      const shown = describeTrace(spans);
      // A hand-written span (not from an instrumentation library) with app.sku in each service, under its SERVER span.
      for (const service of SERVICES) {
        const manual = spans.filter(
          (s) =>
            s.serviceName === service &&
            s.kind === 'internal' &&
            !isAutoInstrumentation(s) &&
            s.attributes['app.sku'] === 'widget',
        );
        expect(manual.length, `${service} business span with app.sku\n${shown}`).toBeGreaterThanOrEqual(1);
        const server = serverSpan(spans, service).find((s) => ancestors(manual[0]!, spans).includes(s));
        expect(server, `${service}: the business span sits under its SERVER span\n${shown}`).toBeDefined();
      }
      expect(
        spans.some((s) => s.serviceName === 'gateway' && s.name === 'checkout'),
        shown,
      ).toBe(true);
      expect(
        spans.some((s) => s.serviceName === 'inventory' && s.name === 'reserve'),
        shown,
      ).toBe(true);
      // The SERVER spans describe the request with the stable HTTP names.
      for (const s of spans.filter((x) => x.kind === 'server')) {
        expect(s.attributes['http.request.method'], `${s.serviceName} ${s.name}`).toMatch(/^(GET|POST)$/);
        expect(s.attributes['http.response.status_code'], `${s.serviceName} ${s.name}`).toBeTypeOf('number');
        expect(s.attributes['http.route'], `${s.serviceName} ${s.name}`).toBeTypeOf('string');
      }
    }
    // No span at all (probes included) uses a deprecated name.
    const old = store
      .spans()
      .flatMap((s) => oldAttributeNames(s).map((name) => `${s.serviceName} "${s.name}": ${name}`));
    expect([...new Set(old)]).toEqual([]);
  });

  it('marks the failing route: error status and an exception event in orders, the service that failed', async () => {
    failed = await get(gateway.baseUrl!, '/fail', true);
    expect(failed.status).toBe(502);
    await store.waitFor(
      (st) =>
        serverSpan(st.spansOfTrace(failed.traceId!), 'gateway').length === 1 &&
        serverSpan(st.spansOfTrace(failed.traceId!), 'orders').length === 1,
      WAIT_MS,
      'the /fail trace',
    );
    await settle(store, 1_000, 10_000);
    const spans = store.spansOfTrace(failed.traceId!);
    const shown = describeTrace(spans);
    const [ordersServer] = serverSpan(spans, 'orders');
    expect(ordersServer!.status.code, shown).toBe('error');
    expect(ordersServer!.attributes['http.response.status_code'], shown).toBe(500);
    const exceptions = spans
      .filter((s) => s.serviceName === 'orders')
      .flatMap((s) => s.events.filter((e) => e.name === 'exception'));
    expect(exceptions.length, shown).toBeGreaterThanOrEqual(1);
    expect(exceptions.map((e) => String(e.attributes['exception.type'])).join(' '), shown).toMatch(
      /PaymentProviderError/,
    );
    expect(
      exceptions.every((e) => typeof e.attributes['exception.stacktrace'] === 'string'),
      shown,
    ).toBe(true);
    // The business span of the failing charge carries app.order.id and the error too.
    expect(
      spans.some(
        (s) =>
          s.serviceName === 'orders' && s.status.code === 'error' && typeof s.attributes['app.order.id'] === 'string',
      ),
      shown,
    ).toBe(true);
    // The gateway answered 502: its SERVER span is an error as well, and the trace has no orphans but the entry.
    expect(serverSpan(spans, 'gateway')[0]!.status.code, shown).toBe('error');
    expect(
      buildTraceTree(spans).orphans.map((o) => o.span.serviceName),
      shown,
    ).toEqual(['gateway']);
  }, 120_000);

  it('puts the trace ids of received traces on the log lines of all three services', () => {
    const received = new Set(store.traceIds());
    const lines = run!.logLines().filter((l) => l.at < burstStartedAt);
    for (const c of [...checkouts, failed]) {
      for (const service of c === failed ? (['gateway', 'orders'] as const) : SERVICES) {
        const hit = lines.filter((l) => l.serviceId === service && traceIdsIn(l.text).includes(c.traceId!));
        expect(
          hit.length,
          `${service} logged no line with trace id ${c.traceId} (${c.path}); its last lines:\n${run!
            .logLines(service)
            .slice(-8)
            .map((l) => l.text)
            .join('\n')}`,
        ).toBeGreaterThanOrEqual(1);
      }
    }
    // Before the burst every request was sampled, so every trace id on any log line names a trace the receiver got.
    const unknown = lines.flatMap((l) =>
      traceIdsIn(l.text)
        .filter((id) => !received.has(id))
        .map((id) => `${l.serviceId}: ${l.text}`),
    );
    expect(unknown).toEqual([]);
  });

  it('keeps a share of new traces consistent with 25 %, and children always follow the gateway’s decision', async () => {
    await settle(store, 1_000, 10_000);
    const known = new Set(store.traceIds());
    const requests = 400;
    burstStartedAt = Date.now();
    // No trace context: the gateway's ParentBased(TraceIdRatio 0.25) root sampler decides; /checkout crosses all three
    // services (after the widget stock of 100 runs out, inventory answers 409 and the gateway passes it through).
    const sent = await getMany(gateway.baseUrl!, '/checkout/widget', requests, 8, false);
    expect(sent.filter((s) => s.status !== 200 && s.status !== 409).map((s) => `${s.status ?? s.error}`)).toEqual([]);
    // A sampled marker afterwards: once its spans from all three services are in, the batch processors have exported
    // the burst's spans too (they export in order); then wait until nothing more arrives.
    const marker = await get(gateway.baseUrl!, '/checkout/widget', true);
    await store.waitFor(
      (st) =>
        ['gateway', 'orders', 'inventory'].every((svc) => serverSpan(st.spansOfTrace(marker.traceId!), svc).length > 0),
      WAIT_MS,
      'the marker request after the burst',
    );
    await settle(store, 2_000, 20_000);

    const burstTraces = store.traces().filter((t) => !known.has(t.traceId) && t.traceId !== marker.traceId);
    const kept = burstTraces.filter((t) =>
      t.spans.some((s) => s.serviceName === 'gateway' && s.kind === 'server' && s.parentSpanId === undefined),
    );
    // Exact, not statistical (a 99 % interval fails one run in a hundred by design): the gateway logs every request's
    // trace id, sampled or not, and TraceIdRatioBased decides from the trace id alone. So the traces that must arrive
    // are exactly the burst's ids that the SDK's own TraceIdRatioBasedSampler(0.25) keeps — no more, no fewer.
    const burstIds = new Set(
      run!
        .logLines('gateway')
        .filter((l) => l.at >= burstStartedAt)
        .flatMap((l) => traceIdsIn(l.text))
        .filter((id) => !known.has(id) && id !== marker.traceId),
    );
    expect(burstIds.size, 'the gateway logs one new trace id per request of the burst').toBe(requests);
    const mustKeep = [...burstIds].filter((id) => keptByRatio(0.25, id)).sort();
    expect(
      kept.map((t) => t.traceId).sort(),
      `kept ${kept.length} of ${requests}; TraceIdRatioBased(0.25) keeps ${mustKeep.length} of these ids`,
    ).toEqual(mustKeep);
    // The figure for the log: the exact 99 % interval of Binomial(400, 0.25), from summed probabilities (no normal
    // approximation): P(X < 78) = 0.39 % and P(X > 123) = 0.40 %, each ≤ 0.5 %.
    const { low, high } = exactBinomialInterval(requests, 0.25, 0.99);
    expect([low, high]).toEqual([78, 123]);

    // No partial traces: every trace with a span of orders or inventory has the gateway's root, and every kept trace
    // went through all three services (including the async audit call of the successful checkouts).
    const partial = burstTraces.filter((t) => !kept.includes(t)).map((t) => `${t.traceId}:\n${describeTrace(t.spans)}`);
    expect(partial).toEqual([]);
    for (const t of kept) {
      expect(t.services, describeTrace(t.spans)).toEqual(['gateway', 'inventory', 'orders']);
      expect(buildTraceTree(t.spans).orphans, describeTrace(t.spans)).toEqual([]);
    }
    console.log(
      `sampling: kept ${kept.length} of ${requests} new traces (${((kept.length / requests) * 100).toFixed(1)} %); exact 99 % interval ${low}–${high}`,
    );
  }, 300_000);

  it('undo restores the demo byte for byte', async () => {
    await run!.close();
    const undo = await runCli(['undo', demo!.root, '--json'], { env: demo!.env, timeoutMs: 120_000 });
    expect(undo.code, undo.stdout + undo.stderr).toBe(0);
    expect(await snapshot(demo!.root)).toEqual(before);
  }, 180_000);
});
