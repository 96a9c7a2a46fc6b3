/**
 * no-propagator (cause 7), on real services: a Go net/http service on the real Go OTel SDK that never calls
 * otel.SetTextMapPropagator (Go's default propagator is a no-op), and a Node service on the real NodeSDK whose
 * OTEL_PROPAGATORS=b3 ignores the probes' W3C traceparent. Each time the doctor (every cause of the registry) names
 * no-propagator and no other cause; its own proposal is applied, and the re-run finds nothing, with the SERVER span a
 * child of the probe's traceparent. Then static readings on written files (no process): services that disagree.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { noPropagatorCause, withW3cFirst } from '../../src/doctor/causes/no-propagator.js';
import { diagnose, type Diagnosis } from '../../src/doctor/diagnose.js';
import { applyProposals } from '../../src/edit/apply.js';
import { previewProposals } from '../../src/edit/preview.js';
import { freePort } from '../../src/verify/runtime/ports.js';
import type { RuntimeRun, RuntimeRunOptions } from '../../src/verify/runtime/runtime-run.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';
import { fixtureContext } from '../checks/runtime/node-fixture.js';
import { staticContext } from '../checks/static/helpers.js';
import { GO_SERVE_UNTIL_SIGTERM, goEnv, makeGoRepo } from './context-dropped-fixture.js';
import { makeDoctorRepo } from './doctor-fixture.js';
import { nodeSdkModules } from './node-sdk-install.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function doctorAt(
  root: string,
  options: RuntimeRunOptions = {},
): Promise<{ diagnosis: Diagnosis; run: RuntimeRun }> {
  const fixture = await fixtureContext(root, {}, { ports: 'free', spanTimeoutMs: 4_000, settleMs: 500, ...options });
  cleanup.push(() => fixture.close());
  const diagnosis = await diagnose(fixture.ctx);
  return { diagnosis, run: fixture.started()! };
}

/** The SERVER spans that arrived for each probe: is each a child of the probe's traceparent? */
function serverParents(run: RuntimeRun): { name: string; childOfProbe: boolean }[] {
  return run.probes.flatMap((p) =>
    run.store
      .spans()
      .filter((s) => s.kind === 'server' && (s.traceId === p.traceId || s.parentSpanId === undefined))
      .map((s) => ({ name: s.name, childOfProbe: s.traceId === p.traceId && s.parentSpanId === p.parentSpanId })),
  );
}

// The handler extracts through the global propagator; the set-up (its own file, which does not import propagation)
// sets the tracer provider and nothing else.
const GO_HANDLER = `package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

var tracer trace.Tracer

func checkout(w http.ResponseWriter, r *http.Request) {
	ctx := otel.GetTextMapPropagator().Extract(r.Context(), propagation.HeaderCarrier(r.Header))
	ctx, span := tracer.Start(ctx, "GET /checkout", trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("http.request.method", "GET"), attribute.String("url.path", "/checkout")))
	defer span.End()
	_, child := tracer.Start(ctx, "reserve stock")
	child.End()
	span.SetAttributes(attribute.Int("http.response.status_code", 200))
	fmt.Fprintln(w, "ok")
}

func main() {
	tp, err := setupTracing(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	tracer = tp.Tracer("no-propagator-fixture")

${GO_SERVE_UNTIL_SIGTERM}`;

const GO_SETUP = `package main

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func setupTracing(ctx context.Context) (*sdktrace.TracerProvider, error) {
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, err
	}
	res, err := resource.New(ctx, resource.WithAttributes(attribute.String("service.name", "shop")))
	if err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	return tp, nil
}
`;

describe('doctor: no-propagator on a real Go service', { timeout: 180_000 }, () => {
  it('names the missing SetTextMapPropagator from a new-root SERVER span; its fix (with the import) compiles and joins the trace', async () => {
    // The context-dropped Go repo (go.mod pinned for the local toolchain, go.sum tidied for the same modules), with
    // this test's two files in place of its main.go.
    const root = await makeGoRepo();
    cleanup.push(() => removeSampleRepo(root));
    await writeFile(path.join(root, 'shop/main.go'), GO_HANDLER);
    await writeFile(path.join(root, 'shop/otel.go'), GO_SETUP);
    const goOptions: RuntimeRunOptions = { env: goEnv(), startTimeoutMs: 120_000, spanTimeoutMs: 5_000 };

    const { diagnosis, run } = await doctorAt(root, goOptions);
    expect(diagnosis.services).toEqual([{ id: 'shop', status: 'running' }]);
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['no-propagator']);
    const [f] = diagnosis.findings;
    expect(f!.service).toBe('shop');
    expect(f!.confidence).toBe('high');
    expect(f!.summary).toMatch(/otel\.SetTextMapPropagator is never called, and Go's default is a no-op/);
    const probe = run.probes.find((p) => p.path === '/checkout')!;
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({ file: 'shop/otel.go', line: 23, text: 'otel.SetTracerProvider(tp)' }),
    );
    expect(f!.evidence.map((e) => e.note).join('\n')).toContain(
      `/checkout with traceparent 00-${probe.traceId}-${probe.parentSpanId}-01 → 200: SERVER span "GET /checkout" (shop) arrived as a new root`,
    );
    expect(serverParents(run)).toEqual([{ name: 'GET /checkout', childOfProbe: false }]);

    expect(f!.proposals).toHaveLength(1);
    const [preview] = await previewProposals(root, f!.proposals);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain(
      '+	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))',
    );
    expect(preview?.text).toContain('+	"go.opentelemetry.io/otel/propagation"');
    expect(preview?.text).not.toContain('// import');

    // Applied, the service compiles (the re-run is a fresh `go run`), and the doctor finds nothing.
    await run.close();
    const applied = await applyProposals(root, f!.proposals);
    expect(applied.results.every((r) => r.ok)).toBe(true);
    expect(await readFile(path.join(root, 'shop/otel.go'), 'utf8')).toContain(
      '\t"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"\n\t"go.opentelemetry.io/otel/propagation"\n\t"go.opentelemetry.io/otel/sdk/resource"\n',
    );
    const fixed = await doctorAt(root, goOptions);
    expect(fixed.diagnosis.services).toEqual([{ id: 'shop', status: 'running' }]);
    expect(fixed.diagnosis.findings).toEqual([]);
    expect(fixed.diagnosis.spansArrived).toBeGreaterThan(0);
    expect(serverParents(fixed.run)).toEqual([{ name: 'GET /checkout', childOfProbe: true }]);
  });
});

describe('doctor: propagators that do not match, on a real NodeSDK service', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    await nodeSdkModules();
  }, 240_000);

  it('OTEL_PROPAGATORS=b3 ignores the W3C traceparent: names the mismatch; tracecontext,baggage,b3 fixes it', async () => {
    const root = await makeDoctorRepo({ port: await freePort(), serviceName: 'svc', propagatorsSetting: 'b3' });
    cleanup.push(() => removeSampleRepo(root));
    const { diagnosis, run } = await doctorAt(root);
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['no-propagator']);
    const [f] = diagnosis.findings;
    expect(f!.confidence).toBe('high');
    expect(f!.summary).toMatch(/^svc: its propagators do not match — OTEL_PROPAGATORS=b3 leaves out tracecontext/);
    const lines = (await readFile(path.join(root, 'svc/server.js'), 'utf8')).split('\n');
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        file: 'svc/server.js',
        line: lines.indexOf("process.env.OTEL_PROPAGATORS ??= 'b3';") + 1,
        text: "process.env.OTEL_PROPAGATORS ??= 'b3';",
      }),
    );
    expect(f!.evidence.map((e) => e.note).join('\n')).toMatch(/SERVER span "GET \/" \(svc\) arrived as a new root/);
    expect(serverParents(run).every((s) => !s.childOfProbe)).toBe(true);

    const [preview] = await previewProposals(root, f!.proposals);
    expect(f!.proposals).toHaveLength(1);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain("+process.env.OTEL_PROPAGATORS ??= 'tracecontext,baggage,b3';");

    await run.close();
    const applied = await applyProposals(root, f!.proposals);
    expect(applied.results.every((r) => r.ok)).toBe(true);
    const fixed = await doctorAt(root);
    expect(fixed.diagnosis.findings).toEqual([]);
    expect(fixed.diagnosis.spansArrived).toBeGreaterThan(0);
    expect(serverParents(fixed.run).length).toBeGreaterThan(0);
    expect(serverParents(fixed.run).every((s) => s.childOfProbe)).toBe(true);
  });
});

describe('no-propagator on written files (static, no process)', () => {
  it('services that disagree: the b3 service is named with both settings; the W3C one is not', async () => {
    const root = await makeSampleRepo(
      {
        'web/package.json': JSON.stringify(
          {
            name: 'web',
            scripts: { start: 'node tracing.js' },
            dependencies: { '@opentelemetry/sdk-node': '^0.300.0' },
          },
          null,
          2,
        ),
        'web/tracing.js':
          "process.env.OTEL_PROPAGATORS ??= 'tracecontext,baggage';\nconst { NodeSDK } = require('@opentelemetry/sdk-node');\nnew NodeSDK({ serviceName: 'web' }).start();\n",
        'legacy/package.json': JSON.stringify(
          {
            name: 'legacy',
            scripts: { start: 'node tracing.js' },
            dependencies: { '@opentelemetry/sdk-node': '^0.300.0' },
          },
          null,
          2,
        ),
        'legacy/tracing.js':
          "const { NodeSDK } = require('@opentelemetry/sdk-node');\nnew NodeSDK({ serviceName: 'legacy' }).start();\n",
        'legacy/.env': 'PORT=3001\nOTEL_PROPAGATORS=jaeger,none\n',
      },
      { prefix: 'tg-doctor-prop-' },
    );
    cleanup.push(() => removeSampleRepo(root));
    const ctx = await staticContext(root);
    const found = await noPropagatorCause.fromRepo!(ctx);
    expect(found.map((f) => [f.cause, f.service, f.confidence])).toEqual([['no-propagator', 'legacy', 'medium']]);
    const [f] = found;
    expect(f!.summary).toBe(
      'legacy: OTEL_PROPAGATORS=jaeger,none leaves out tracecontext, so the W3C traceparent the other services send is ignored and every request starts a new trace',
    );
    expect(f!.evidence).toEqual([
      expect.objectContaining({ file: 'legacy/.env', line: 2, text: 'OTEL_PROPAGATORS=jaeger,none' }),
      expect.objectContaining({
        file: 'web/tracing.js',
        line: 1,
        text: "process.env.OTEL_PROPAGATORS ??= 'tracecontext,baggage';",
        note: expect.stringMatching(/^web sends W3C traceparent/),
      }),
    ]);
    const [preview] = await previewProposals(root, f!.proposals);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain('+OTEL_PROPAGATORS=tracecontext,baggage,jaeger');
  });

  it('a propagator chosen in code wins over the setting, so no finding', async () => {
    const root = await makeSampleRepo(
      {
        'api/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node tracing.js' } }, null, 2),
        'api/tracing.js':
          "process.env.OTEL_PROPAGATORS ??= 'b3';\nconst api = require('@opentelemetry/api');\nconst { W3CTraceContextPropagator } = require('@opentelemetry/core');\nconst { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');\napi.propagation.setGlobalPropagator(new W3CTraceContextPropagator());\nnew BasicTracerProvider({});\n",
      },
      { prefix: 'tg-doctor-prop-' },
    );
    cleanup.push(() => removeSampleRepo(root));
    expect(await noPropagatorCause.fromRepo!(await staticContext(root))).toEqual([]);
  });

  it('keeps the old propagators after tracecontext,baggage', () => {
    expect(withW3cFirst('b3')).toBe('tracecontext,baggage,b3');
    expect(withW3cFirst('xray, b3multi')).toBe('tracecontext,baggage,xray,b3multi');
    expect(withW3cFirst('none')).toBe('tracecontext,baggage');
    expect(withW3cFirst('baggage,jaeger')).toBe('tracecontext,baggage,jaeger');
  });
});
