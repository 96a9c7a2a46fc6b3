/**
 * context-dropped: real services whose request's context is lost inside the process, the doctor naming that cause and
 * no other from what arrived at the receiver; the same services fixed, and the doctor finding nothing after spans
 * arrived. Then the linters on small written files (no process).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contextDroppedCause } from '../../src/doctor/causes/context-dropped.js';
import type { DropSite } from '../../src/doctor/context-dropped/drop-site.js';
import { lintGo } from '../../src/lang/go/doctor/context-lint.js';
import { lintNode } from '../../src/lang/node/doctor/context-lint.js';
import { lintPython } from '../../src/lang/python/doctor/context-lint.js';
import { editPairs } from '../../src/doctor/context-dropped/site-proposals.js';
import { diagnose, type Diagnosis } from '../../src/doctor/diagnose.js';
import { applyProposals } from '../../src/edit/apply.js';
import { previewProposals } from '../../src/edit/preview.js';
import { sourceFile, type Lang } from '../../src/source-reading/code.js';
import { freePort } from '../../src/verify/runtime/ports.js';
import type { RuntimeRun, RuntimeRunOptions } from '../../src/verify/runtime/runtime-run.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { removeSampleRepo } from '../helpers/sample-repo.js';
import { fixtureContext } from '../checks/runtime/node-fixture.js';
import { goEnv, makeGoRepo, makeNodeRepo, type NodeVariant } from './context-dropped-fixture.js';

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

async function nodeDoctor(variant: NodeVariant) {
  const root = await makeNodeRepo(variant, await freePort());
  cleanup.push(() => removeSampleRepo(root));
  return { root, ...(await doctorAt(root)) };
}

/** Names of the spans in the trace each probe sent. */
function probeTraceNames(run: RuntimeRun): string[][] {
  return run.probes.map((p) =>
    run.store
      .spansOfTrace(p.traceId)
      .map((s) => s.name)
      .sort(),
  );
}

const SDK_VERSION = (
  JSON.parse(
    readFileSync(path.join(PROJECT_ROOT, 'node_modules/@opentelemetry/sdk-trace-base/package.json'), 'utf8'),
  ) as { version: string }
).version;

describe('doctor: context-dropped on real Node services', { timeout: 60_000 }, () => {
  it('names the lost context when a child span of the request arrives as a new root (no context manager)', async () => {
    const { root, diagnosis, run } = await nodeDoctor('dropped');
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['context-dropped']);
    const [f] = diagnosis.findings;
    expect(f!.service).toBe('cart');
    expect(f!.confidence).toBe('high');
    expect(f!.summary).toMatch(/one request makes several traces/);
    const probe = run.probes[0]!;
    const runtimeNote = f!.evidence.find((e) => e.file === undefined)!.note;
    expect(runtimeNote).toContain(`traceparent 00-${probe.traceId}-${probe.parentSpanId}-01`);
    expect(runtimeNote).toMatch(/SERVER span "GET \/" \(cart\) continued trace/);
    expect(runtimeNote).toMatch(
      /cart "load cart" \[internal\] trace [0-9a-f]{32} .*arrived as the root of a new trace/,
    );
    expect(runtimeNote).toContain(`should have been in trace ${probe.traceId}`);
    // What arrived really is split: the probe's trace holds only the SERVER span, "load cart" is a root elsewhere.
    expect(probeTraceNames(run)[0]).toEqual(['GET /']);
    expect(run.store.spans().find((s) => s.name === 'load cart')?.parentSpanId).toBeUndefined();
    // The code evidence: where the provider is set up without a context manager, and what relies on one.
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({ file: 'cart/server.js', line: 11, text: 'const provider = new BasicTracerProvider({' }),
    );
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({ file: 'cart/server.js', text: expect.stringContaining('tracer.startActiveSpan(') }),
    );
    const previews = await previewProposals(root, f!.proposals);
    expect(previews).toHaveLength(2);
    for (const p of previews) expect(p.problem).toBeUndefined();
    expect(previews[0]!.text).toContain(
      "+require('@opentelemetry/api').context.setGlobalContextManager(new (require('@opentelemetry/context-async-hooks').AsyncLocalStorageContextManager)().enable());",
    );
    expect(previews[1]!.text).toContain(`+    "@opentelemetry/context-async-hooks": "^${SDK_VERSION}"`);
  });

  it('names it from what arrived alone when no line of the code shows it, and says where to look', async () => {
    const { diagnosis, run } = await nodeDoctor('wrong-carrier');
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['context-dropped']);
    const [f] = diagnosis.findings;
    expect(f!.confidence).toBe('high');
    expect(f!.evidence.every((e) => e.file === undefined)).toBe(true);
    expect(f!.evidence[0]!.note).toMatch(/cart "load cart" \[internal\] .*arrived as the root of a new trace/);
    expect(f!.evidence[1]!.note).toMatch(
      /^no line was pinned down in the code: look for spans started with ROOT_CONTEXT/,
    );
    expect(f!.proposals).toEqual([]);
    expect(probeTraceNames(run)[0]).toEqual(['GET /']);
  });

  it("finds nothing once a context manager is registered, with the child span in the probe's trace", async () => {
    const { diagnosis, run } = await nodeDoctor('manager');
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.spansArrived).toBeGreaterThan(0);
    expect(probeTraceNames(run)[0]).toEqual(['GET /', 'load cart']);
  });

  it('finds nothing when the parent context is passed explicitly (no context manager needed)', async () => {
    const { diagnosis, run } = await nodeDoctor('explicit');
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.spansArrived).toBeGreaterThan(0);
    expect(probeTraceNames(run)[0]).toEqual(['GET /', 'load cart']);
  });
});

describe('doctor: context-dropped on a real Go service', { timeout: 180_000 }, () => {
  it('names a span started from context.Background() in a function the handler calls, and its fix makes one trace', async () => {
    const root = await makeGoRepo();
    cleanup.push(() => removeSampleRepo(root));
    const goOptions: RuntimeRunOptions = { env: goEnv(), startTimeoutMs: 120_000, spanTimeoutMs: 5_000 };
    const { diagnosis, run } = await doctorAt(root, goOptions);
    expect(diagnosis.services).toEqual([{ id: 'shop', status: 'running' }]);
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['context-dropped']);
    const [f] = diagnosis.findings;
    expect(f!.confidence).toBe('high');
    const probe = run.probes.find((p) => p.path === '/checkout')!;
    expect(f!.evidence.map((e) => e.note).join('\n')).toMatch(
      new RegExp(
        `GET http://\\S+/checkout with traceparent 00-${probe.traceId}.*SERVER span "GET /checkout" \\(shop\\) continued trace .*shop "reserve stock" \\[internal\\] .*arrived as the root of a new trace`,
      ),
    );
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        file: 'shop/main.go',
        line: 24,
        text: '_, span := tracer.Start(context.Background(), "reserve stock")',
      }),
    );
    expect(probeTraceNames(run)).toEqual([['GET /checkout']]);

    const [preview] = await previewProposals(root, f!.proposals);
    expect(f!.proposals).toHaveLength(1);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain('+func reserveStock(ctx context.Context, item string) {');
    expect(preview?.text).toContain('+	_, span := tracer.Start(ctx, "reserve stock")');
    expect(preview?.text).toContain('+	reserveStock(r.Context(), "widget")');

    // Applied, the same service compiles, and the doctor finds nothing: "reserve stock" is in the probe's trace.
    await run.close();
    const applied = await applyProposals(root, f!.proposals);
    expect(applied.results.every((r) => r.ok)).toBe(true);
    const fixed = await doctorAt(root, goOptions);
    expect(fixed.diagnosis.services).toEqual([{ id: 'shop', status: 'running' }]);
    expect(fixed.diagnosis.findings).toEqual([]);
    expect(fixed.diagnosis.spansArrived).toBeGreaterThan(0);
    expect(probeTraceNames(fixed.run)).toEqual([['GET /checkout', 'reserve stock']]);
  });
});

// ------------------------------------------------------------------------------------------------ linters (no process)

function file(p: string, lang: Lang, text: string) {
  return sourceFile(p, lang, text);
}

/** The file's text with every fix of its sites applied (each `old` must occur exactly once). */
function fixed(text: string, sites: DropSite[], path: string): string {
  const changes = sites.flatMap((s) => [
    ...(s.file.path === path && s.fix ? [s.fix] : []),
    ...(s.more ?? []).filter((m) => m.file.path === path).map((m) => ({ reps: m.reps })),
  ]);
  const pairs = editPairs(text, changes);
  expect(pairs).toBeDefined();
  let out = text;
  for (const p of pairs!) {
    expect(out.split(p.old)).toHaveLength(2);
    out = out.replace(p.old, () => p.new);
  }
  return out;
}

const GO_HANDLERS = `package main

import (
	"context"
	"database/sql"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

type store struct {
	db *sql.DB
}

func (s *store) list(ctx context.Context, id string) error {
	rows, err := s.db.Query("SELECT name FROM items WHERE id = ?", id)
	if err != nil {
		return err
	}
	return rows.Close()
}

func handle(w http.ResponseWriter, r *http.Request) {
	_, span := tracer.Start(context.Background(), "handle")
	defer span.End()
	go func() {
		_, audit := tracer.Start(context.TODO(), "audit")
		audit.End()
	}()
}

func ginHandler(c *gin.Context) {
	_, span := tracer.Start(c, "gin work")
	span.End()
	timeout, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	go func() {
		_, later := tracer.Start(c, "later")
		later.End()
	}()
	_ = timeout
}

func main() {
	ctx := context.Background()
	db, _ := sql.Open("postgres", "")
	db.Exec("SELECT 1")
	_ = ctx
}
`;

describe('context-dropped linters', () => {
  it('Go: database/sql without ctx, Background/TODO in a handler and its goroutine, gin.Context as the context', () => {
    const f = file('svc/main.go', 'go', GO_HANDLERS);
    const sites = lintGo([f], '1.22');
    const lines = sites.map((s) => f.text.slice(0, s.index).split('\n').length);
    expect(lines).toEqual([17, 25, 28, 36, 34, 39]);
    expect(sites.map((s) => s.fix !== undefined)).toEqual([true, true, true, true, true, false]);
    expect(sites[5]!.note).toMatch(/no edit proposed \(gin reuses c once the handler returns\)/);
    const out = fixed(f.text, sites, f.path);
    expect(out).toContain('rows, err := s.db.QueryContext(ctx, "SELECT name FROM items WHERE id = ?", id)');
    expect(out).toContain('_, span := tracer.Start(r.Context(), "handle")');
    expect(out).toContain(
      '\tgo func(ctx context.Context) {\n\t\t_, audit := tracer.Start(ctx, "audit")\n\t\taudit.End()\n\t}(context.WithoutCancel(r.Context()))',
    );
    expect(out).toContain('_, span := tracer.Start(c.Request.Context(), "gin work")');
    expect(out).toContain(
      'timeout, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), time.Second)',
    );
    expect(out).toContain('_, later := tracer.Start(c, "later")');
    // main keeps its Background and its db.Exec (no request context there).
    expect(out).toContain('\tctx := context.Background()\n\tdb, _ := sql.Open("postgres", "")\n\tdb.Exec("SELECT 1")');
  });

  it('Go: before go 1.21 (no context.WithoutCancel) the goroutine is reported without an edit', () => {
    const f = file('svc/main.go', 'go', GO_HANDLERS);
    const old = lintGo([f], '1.20');
    const goroutine = old.find((s) => /^a goroutine/.test(s.what))!;
    expect(goroutine.fix).toBeUndefined();
    expect(goroutine.note).toMatch(/no edit proposed \(go.mod is older than go 1.21/);
    expect(old.find((s) => s.note.startsWith('context.WithTimeout'))?.fix).toBeUndefined();
    expect(old.find((s) => s.note.startsWith('tracer.Start(context.Background()'))?.fix).toBeDefined();
  });

  it('Go: a function without ctx gets a ctx parameter and its callers pass theirs; used as a value, it only gets a note', () => {
    const helper = file(
      'svc/stock.go',
      'go',
      `package main

import "context"

func reserve(item string, n int) {
	ctx, span := tracer.Start(context.Background(), "reserve")
	defer span.End()
	save(ctx, item, n)
}
`,
    );
    const handlers = file(
      'svc/handlers.go',
      'go',
      `package main

import (
	"context"
	"net/http"
)

func buy(w http.ResponseWriter, r *http.Request) {
	reserve("a", 1)
}

func work(ctx context.Context) {
	reserve("b", 2)
}
`,
    );
    const sites = lintGo([helper, handlers], '1.26');
    expect(sites).toHaveLength(1);
    expect(fixed(helper.text, sites, helper.path)).toContain(
      'func reserve(ctx context.Context, item string, n int) {\n\tctx, span := tracer.Start(ctx, "reserve")',
    );
    const callers = fixed(handlers.text, sites, handlers.path);
    expect(callers).toContain('reserve(r.Context(), "a", 1)');
    expect(callers).toContain('reserve(ctx, "b", 2)');

    const asValue = file(
      'svc/routes.go',
      'go',
      `package main

func routes() {
	run(reserve)
}
`,
    );
    const [site] = lintGo([helper, handlers, asValue], '1.26');
    expect(site!.fix).toBeUndefined();
    expect(site!.note).toMatch(/no edit proposed \(reserve is used as a value \(svc\/routes\.go:4\)/);
  });

  it('Python: threads and executors whose target starts spans, copied context added; instrumented threading is left alone', () => {
    const text = `import threading
from concurrent.futures import ThreadPoolExecutor
from opentelemetry import trace

tracer = trace.get_tracer(__name__)
pool = ThreadPoolExecutor(4)


def send_email(order_id):
    with tracer.start_as_current_span("send email"):
        pass


def notify(order_id):
    send_email(order_id)


def handle(order_id):
    threading.Thread(target=notify, args=(order_id,)).start()
    pool.submit(send_email, order_id)
    threading.Thread(target=print).start()
`;
    const f = file('svc/app.py', 'python', text);
    const sites = lintPython([f], false);
    expect(sites.map((s) => s.what)).toEqual([
      "threading.Thread runs notify, which starts spans, without the caller's context",
      "executor.submit runs send_email, which starts spans, without the caller's context",
    ]);
    const out = fixed(text, sites, f.path);
    expect(out.startsWith('import contextvars\nimport threading\n')).toBe(true);
    expect(out).toContain(
      'threading.Thread(target=contextvars.copy_context().run, args=(notify, *(order_id,))).start()',
    );
    expect(out).toContain('pool.submit(contextvars.copy_context().run, send_email, order_id)');
    expect(out).toContain('threading.Thread(target=print).start()');
    expect(lintPython([f], true)).toEqual([]);
    const processes = file(
      'svc/jobs.py',
      'python',
      text
        .replace('ThreadPoolExecutor(4)', 'ProcessPoolExecutor(4)')
        .replace('import ThreadPoolExecutor', 'import ProcessPoolExecutor'),
    );
    expect(lintPython([processes], false).find((s) => s.what.startsWith('executor.submit'))?.note).toMatch(
      /no edit proposed \(the file uses a process pool/,
    );
  });

  it('Node: a provider without a context manager when the code relies on the active context; ROOT_CONTEXT as a parent', () => {
    const cjs = `'use strict';
const api = require('@opentelemetry/api');
const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
const provider = new BasicTracerProvider({});
const tracer = provider.getTracer('x');
function handle(req) {
  return tracer.startActiveSpan('handle', (span) => {
    const child = tracer.startSpan('child', {}, api.ROOT_CONTEXT);
    child.end();
    span.end();
  });
}
const parent = api.propagation.extract(api.ROOT_CONTEXT, {});
`;
    const f = file('svc/index.js', 'node', cjs);
    const pkg = {
      path: 'svc/package.json',
      text: '{\n  "name": "svc",\n  "dependencies": {\n    "@opentelemetry/api": "^1.9.0"\n  }\n}\n',
    };
    const got = lintNode([f], { packageJson: pkg, asyncHooksRange: '^2.1.0' });
    expect(got.sites.map((s) => f.text.slice(0, s.index).split('\n').length)).toEqual([4, 7, 8]);
    const out = fixed(cjs, got.sites, f.path);
    expect(out).toContain(
      "require('@opentelemetry/api').context.setGlobalContextManager(new (require('@opentelemetry/context-async-hooks').AsyncLocalStorageContextManager)().enable());\nconst provider = new BasicTracerProvider({});",
    );
    expect(out).toContain("tracer.startSpan('child', {}, api.context.active());");
    expect(out).toContain('api.propagation.extract(api.ROOT_CONTEXT, {})');
    expect(got.packageEdit?.edit.new).toContain('"@opentelemetry/context-async-hooks": "^2.1.0"');

    const node = `import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { context } from '@opentelemetry/api';
const provider = new NodeTracerProvider({ spanProcessors: [] });
export function run(ctx, fn) {
  return context.with(ctx, fn);
}
`;
    const n = file('svc/tracing.mjs', 'node', node);
    const nodeSites = lintNode([n]).sites;
    expect(fixed(node, nodeSites, n.path)).toContain(
      'const provider = new NodeTracerProvider({ spanProcessors: [] });\nprovider.register();',
    );
    expect(lintNode([file('svc/tracing.mjs', 'node', `${node}provider.register();\n`)]).sites).toEqual([]);
    expect(lintNode([n], { agent: true }).sites).toEqual([]);

    const esm = `import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { trace } from '@opentelemetry/api';
export const provider = new BasicTracerProvider({});
export const current = () => trace.getActiveSpan();
`;
    const e = file('svc/otel.mjs', 'node', esm);
    expect(
      fixed(esm, lintNode([e]).sites, e.path),
    ).toBe(`import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context as otelContextApi } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { trace } from '@opentelemetry/api';
otelContextApi.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
export const provider = new BasicTracerProvider({});
export const current = () => trace.getActiveSpan();
`);
  });

  it('is registered with the doctor', async () => {
    const { CAUSES } = await import('../../src/doctor/registry.js');
    expect(CAUSES).toContain(contextDroppedCause);
  });
});
