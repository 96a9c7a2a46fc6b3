/**
 * Go recipes (steps 2, 5, 6) on real services: the demo's Gin inventory, a net/http and an Echo service. Plan → apply
 * through the real engine, with the `go get` commands run for real against the module proxy → `go vet ./...` → undo
 * restores every byte (go.mod and go.sum included) → re-planning after apply proposes nothing again.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProposals } from '../../../src/edit/apply.js';
import { undoWrites } from '../../../src/edit/undo.js';
import type { Proposal } from '../../../src/types/proposal.js';
import type { AppliedWrite } from '../../../src/session/schema.js';
import { planIn, snapshot } from '../../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';
import { goVet, inventoryFiles } from './go-helpers.js';

const saved = { GOFLAGS: process.env.GOFLAGS, GOTOOLCHAIN: process.env.GOTOOLCHAIN };
beforeAll(() => {
  process.env.GOFLAGS = '-mod=mod';
  process.env.GOTOOLCHAIN = 'local';
});
afterAll(() => {
  process.env.GOFLAGS = saved.GOFLAGS;
  process.env.GOTOOLCHAIN = saved.GOTOOLCHAIN;
});

const repos: string[] = [];
afterAll(async () => {
  for (const r of repos) await removeSampleRepo(r);
});

async function applyAll(root: string, proposals: Proposal[]): Promise<AppliedWrite[]> {
  const outcome = await applyProposals(
    root,
    proposals.filter((p) => p.change.kind !== 'note'),
    { runCommands: true, commandTimeoutMs: 120_000 },
  );
  const failed = outcome.results.filter((r) => !r.ok);
  if (failed.length > 0)
    throw new Error(`apply failed: ${failed.map((r) => `${r.proposalId}: ${r.message}`).join('; ')}`);
  return outcome.writes;
}

const kinds = (ps: Proposal[]) => ps.map((p) => `${p.id}:${p.change.kind}`);

describe('Go recipes on the demo inventory service (Gin)', () => {
  it('instruments, samples and correlates; the result compiles; undo restores every byte; re-planning is a no-op', async () => {
    const root = await makeSampleRepo(await inventoryFiles());
    repos.push(root);
    const before = await snapshot(root);
    const inputs = { 'tail-sampling': 'none', 'sampling-percent': 10 };
    const writes: AppliedWrite[] = [];

    const step2 = await planIn(root, 'auto-instrumentation', inputs);
    expect(kinds(step2.proposals)).toEqual([
      'inventory:tracing-setup:create',
      'inventory:call-setup:edit',
      'inventory:go-get-otel:command',
    ]);
    const setup = step2.proposals[0]!.change;
    expect(setup.kind === 'create' && setup.path).toBe('inventory/tracing.go');
    const tracingGo = setup.kind === 'create' ? setup.content : '';
    expect(tracingGo).toContain('otelDefaultServiceName = "inventory"');
    expect(tracingGo).toContain(
      'propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})',
    );
    expect(tracingGo).toContain('if os.Getenv("OTEL_TRACES_SAMPLER") == "" {');
    expect(tracingGo).toContain('resource.WithFromEnv()');
    // Score RES-001 / RES-007: a per-process service.instance.id and a deployment.environment.name default, both set
    // before WithFromEnv so OTEL_RESOURCE_ATTRIBUTES wins over them (go vet below compiles them against semconv).
    expect(tracingGo).toContain(
      '\t\tresource.WithAttributes(\n\t\t\tsemconv.ServiceName(otelDefaultServiceName),\n\t\t\tsemconv.DeploymentEnvironmentName(otelDefaultEnvironment),\n' +
        '\t\t\tsemconv.ServiceInstanceID(newServiceInstanceID()), // tells two running copies of the service apart\n\t\t),\n\t\tresource.WithFromEnv(),',
    );
    expect(tracingGo).toContain('otelDefaultEnvironment = "development"');
    expect(tracingGo).toContain('flushOnSignal(shutdown)'); // main does not handle SIGTERM itself
    expect(tracingGo).not.toMatch(/\{\{|\}\}/);
    const get = step2.proposals[2]!.change;
    expect(get.kind === 'command' && get.command).toMatch(
      /^go get go\.opentelemetry\.io\/otel@v1\.46\.0 .*otelgin@v0\.65\.0 && go mod tidy$/,
    );
    expect(get.kind === 'command' && get.touches).toEqual(['inventory/go.mod', 'inventory/go.sum']);
    writes.push(...(await applyAll(root, step2.proposals)));
    const main = await readFile(path.join(root, 'inventory/main.go'), 'utf8');
    expect(main).toMatch(
      /func main\(\) \{\n\tshutdownTracing := setupTracing\(context\.Background\(\)\)\n\tdefer shutdownTracing/,
    );
    expect(main).toContain('\tr := gin.New()\n\tr.Use(otelgin.Middleware("inventory"))\n');
    const gomod = await readFile(path.join(root, 'inventory/go.mod'), 'utf8');
    expect(gomod).toMatch(/^go 1\.25\.0$/m); // the pinned release fits the module's go directive
    expect(gomod).toMatch(/go\.opentelemetry\.io\/otel\/sdk v1\.46\.0\n/);

    const step5 = await planIn(root, 'sampling', inputs);
    const sampling = step5.proposals.filter((p) => p.service === 'inventory');
    expect(kinds(sampling)).toEqual(['inventory:head-sampling-ratio:edit']);
    writes.push(...(await applyAll(root, sampling)));
    expect(await readFile(path.join(root, 'inventory/tracing.go'), 'utf8')).toMatch(
      /^\totelDefaultSamplingRatio = 0\.1$/m,
    );

    const step6 = await planIn(root, 'correlation', inputs);
    const correlation = step6.proposals.filter((p) => p.service === 'inventory');
    expect(kinds(correlation)).toEqual(['inventory:trace-log-handler:create', 'inventory:slog-default:edit']);
    writes.push(...(await applyAll(root, correlation)));
    const logged = await readFile(path.join(root, 'inventory/main.go'), 'utf8');
    expect(logged).toContain(
      'slog.InfoContext(c.Request.Context(), fmt.Sprintf("reserved %d x %s, %d left", req.Qty, req.SKU, remaining))',
    );
    expect(logged).toContain('log.Printf("inventory listening on http://%s", addr)'); // no request context there
    expect(await readFile(path.join(root, 'inventory/tracing.go'), 'utf8')).not.toContain('slog.');

    goVet(path.join(root, 'inventory'));

    // Idempotent: with everything applied, none of the three steps proposes Go work again.
    for (const step of ['auto-instrumentation', 'sampling', 'correlation'] as const) {
      const again = await planIn(root, step, inputs);
      expect(again.proposals.filter((p) => p.service === 'inventory')).toEqual([]);
    }

    const undone = await undoWrites(root, writes);
    expect(undone.failed.map((f) => `${f.path}: ${f.message}`)).toEqual([]);
    expect(await snapshot(root)).toEqual(before);
  }, 90_000);
});

const NET_HTTP_MAIN = `package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func orders(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	log.Printf("order received")
	w.WriteHeader(http.StatusCreated)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders", orders)
	go func() {
		log.Fatal(http.ListenAndServe(":8080", mux))
	}()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM)
	<-stop
}
`;

const ECHO_MAIN = `package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func main() {
	e := echo.New()
	e.GET("/ping", func(c echo.Context) error { return c.String(http.StatusOK, "pong") })
	e.Logger.Fatal(e.Start(":8082"))
}
`;

describe('Go auto-instrumentation on net/http and Echo services', () => {
  it('net/http: wraps the handler with otelhttp, keeps main’s own SIGTERM handling, compiles, undo restores', async () => {
    const root = await makeSampleRepo({
      'svc/go.mod': 'module example.com/billing\n\ngo 1.25.0\n',
      'svc/main.go': NET_HTTP_MAIN,
    });
    repos.push(root);
    const before = await snapshot(root);
    const plan = await planIn(root, 'auto-instrumentation', { 'otlp-protocol': 'grpc' });
    expect(kinds(plan.proposals)).toEqual([
      'svc:tracing-setup:create',
      'svc:call-setup:edit',
      'svc:go-get-otel:command',
    ]);
    const setup = plan.proposals[0]!.change;
    const text = setup.kind === 'create' ? setup.content : '';
    expect(text).toContain('otelDefaultServiceName = "billing"');
    expect(text).toContain('otelDefaultProtocol = "grpc"');
    expect(text).toContain('otelDefaultEndpoint = "http://localhost:4317"');
    expect(text).not.toContain('flushOnSignal'); // main returns on SIGTERM, so the deferred flush runs
    const writes = await applyAll(root, plan.proposals);
    expect(await readFile(path.join(root, 'svc/main.go'), 'utf8')).toContain(
      'http.ListenAndServe(":8080", otelhttp.NewHandler(mux, "billing"))',
    );
    goVet(path.join(root, 'svc'));
    expect((await planIn(root, 'auto-instrumentation')).proposals).toEqual([]);
    expect((await undoWrites(root, writes)).failed).toEqual([]);
    expect(await snapshot(root)).toEqual(before);
  }, 60_000);

  it('Echo: adds otelecho as the first middleware and compiles', async () => {
    const root = await makeSampleRepo({
      'go.mod': 'module example.com/pinger\n\ngo 1.25.0\n\nrequire github.com/labstack/echo/v4 v4.13.3\n',
      'main.go': ECHO_MAIN,
    });
    repos.push(root);
    const plan = await planIn(root, 'auto-instrumentation');
    const get = plan.proposals.find((p) => p.change.kind === 'command')!.change;
    expect(get.kind === 'command' && get.command).toContain('otelecho@v0.60.0');
    await applyAll(root, plan.proposals);
    expect(await readFile(path.join(root, 'main.go'), 'utf8')).toContain(
      '\te := echo.New()\n\te.Use(otelecho.Middleware("pinger"))\n',
    );
    goVet(root);
  }, 60_000);
});

describe('Go recipes: existing tracing and missing tools', () => {
  it('proposes a migration note, not a second tracer, next to opentracing', async () => {
    const root = await makeSampleRepo({
      'legacy/go.mod':
        'module example.com/legacy\n\ngo 1.25.0\n\nrequire github.com/opentracing/opentracing-go v1.2.0\n',
      'legacy/main.go':
        'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/opentracing/opentracing-go"\n)\n\nfunc main() {\n\t_ = opentracing.GlobalTracer()\n\thttp.ListenAndServe(":8080", nil)\n}\n',
    });
    repos.push(root);
    const plan = await planIn(root, 'auto-instrumentation');
    expect(kinds(plan.proposals)).toEqual(['legacy:migrate-tracer:note']);
    const change = plan.proposals[0]!.change;
    expect(change.kind === 'note' && change.text).toContain('go.opentelemetry.io/otel/bridge/opentracing');
  });

  it('gives a note instead of go get when go is not installed', async () => {
    const root = await makeSampleRepo(await inventoryFiles());
    repos.push(root);
    const plan = await planIn(root, 'auto-instrumentation', {}, { tools: [] });
    const last = plan.proposals[plan.proposals.length - 1]!;
    expect(last.change.kind).toBe('note');
    expect(last.change.kind === 'note' && last.change.text).toContain('go get go.opentelemetry.io/otel@v1.46.0');
  });
});
