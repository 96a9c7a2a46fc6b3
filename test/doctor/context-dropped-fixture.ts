/**
 * Real services for the context-dropped cause. Node: plain node:http on the project's devDependency SDK
 * (BasicTracerProvider, BatchSpanProcessor, OTLP/HTTP exporter, W3C propagator) whose handler makes a child span —
 * started from the active context with no context manager registered (the fault), with a context manager registered
 * (an AsyncLocalStorage one, written here since @opentelemetry/context-async-hooks is not installed), or with the
 * parent context passed explicitly. Go: net/http on the real Go OTel SDK (the module versions prepareGoClient pins for
 * the local toolchain) whose handler calls a function that starts its span from context.Background().
 */
import { spawn } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { MODULES, otelReleaseFor } from '../../src/lang/go/recipes/otel-releases.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { makeSampleRepo } from '../helpers/sample-repo.js';
import { stopAndListen } from './node-service-source.js';

/**
 * dropped: no context manager, the child started from the active context. manager / explicit: fixed. wrong-carrier:
 * the child's parent is extracted from the response's headers (which carry none), so it is a root too — a drop the
 * code lint cannot see.
 */
export type NodeVariant = 'dropped' | 'manager' | 'explicit' | 'wrong-carrier';

const CONTEXT_MANAGER = `// A context manager on AsyncLocalStorage: what @opentelemetry/context-async-hooks provides.
class AlsContextManager {
  constructor() {
    this.storage = new AsyncLocalStorage();
  }
  active() {
    return this.storage.getStore() || api.ROOT_CONTEXT;
  }
  with(ctx, fn, thisArg, ...args) {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind(ctx, target) {
    if (typeof target !== 'function') return target;
    const manager = this;
    return function bound(...args) {
      return manager.with(ctx, () => target.apply(this, args));
    };
  }
  enable() {
    return this;
  }
  disable() {
    this.storage.disable();
    return this;
  }
}
api.context.setGlobalContextManager(new AlsContextManager().enable());
`;

function nodeSource(variant: NodeVariant, port: number): string {
  const handler =
    variant === 'explicit' || variant === 'wrong-carrier'
      ? `  const span = tracer.startSpan('GET ' + route, { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': route } }, parent);
  loadCart(${variant === 'explicit' ? 'api.trace.setSpan(parent, span)' : 'api.propagation.extract(api.ROOT_CONTEXT, res.getHeaders())'}, route);
  span.setAttribute('http.response.status_code', 200);
  span.end();
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');`
      : `  tracer.startActiveSpan('GET ' + route, { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': route } }, parent, (span) => {
    loadCart(route);
    span.setAttribute('http.response.status_code', 200);
    span.end();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });`;
  const loadCart =
    variant === 'explicit' || variant === 'wrong-carrier'
      ? `function loadCart(ctx, route) {
  const span = tracer.startSpan('load cart', { attributes: { 'app.route': route } }, ctx);
  span.end();
}`
      : `function loadCart(route) {
  // Started from the active context: the request's span only when a context manager carries it here.
  const span = tracer.startSpan('load cart', { attributes: { 'app.route': route } });
  span.end();
}`;
  return `'use strict';
const http = require('node:http');
${variant === 'manager' ? "const { AsyncLocalStorage } = require('node:async_hooks');\n" : ''}const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const PORT = Number(process.env.PORT || ${port});
api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
${variant === 'manager' ? CONTEXT_MANAGER : ''}const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'cart' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
const tracer = provider.getTracer('context-dropped-fixture');

${loadCart}

const server = http.createServer((req, res) => {
  const route = (req.url || '/').split('?')[0];
  const parent = api.propagation.extract(api.ROOT_CONTEXT, req.headers);
${handler}
});

${stopAndListen()}`;
}

export async function makeNodeRepo(variant: NodeVariant, port: number): Promise<string> {
  const root = await makeSampleRepo(
    {
      'cart/package.json': JSON.stringify(
        { name: 'cart', version: '1.0.0', private: true, main: 'server.js', scripts: { start: 'node server.js' } },
        null,
        2,
      ),
      'cart/server.js': nodeSource(variant, port),
    },
    { prefix: 'tg-doctor-ctx-' },
  );
  await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'cart', 'node_modules'), 'dir');
  return root;
}

/** The Go service: its checkout handler calls reserveStock, which starts its span from context.Background(). */
/**
 * The end of a Go fixture's main(): serve \`checkout\` on 127.0.0.1:$PORT until SIGTERM, then stop the server and flush
 * \`tp\` (the tracer provider). Needs the imports context, log, net/http, os, os/signal and syscall.
 */
export const GO_SERVE_UNTIL_SIGTERM = `	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/checkout", checkout)
	srv := &http.Server{Addr: "127.0.0.1:" + port, Handler: mux}
	go func() {
		if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			log.Fatal(err)
		}
	}()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	<-stop
	_ = srv.Shutdown(context.Background())
	_ = tp.Shutdown(context.Background())
}
`;

export const GO_MAIN = `package main

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
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

var tracer trace.Tracer

func reserveStock(item string) {
	_, span := tracer.Start(context.Background(), "reserve stock")
	span.SetAttributes(attribute.String("app.item", item))
	span.End()
}

func checkout(w http.ResponseWriter, r *http.Request) {
	ctx := otel.GetTextMapPropagator().Extract(r.Context(), propagation.HeaderCarrier(r.Header))
	ctx, span := tracer.Start(ctx, "GET /checkout", trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("http.request.method", "GET"), attribute.String("url.path", "/checkout")))
	defer span.End()
	r = r.WithContext(ctx)
	reserveStock("widget")
	span.SetAttributes(attribute.Int("http.response.status_code", 200))
	fmt.Fprintln(w, "ok")
}

func main() {
	setup := context.Background()
	exporter, err := otlptracehttp.New(setup)
	if err != nil {
		log.Fatal(err)
	}
	res, err := resource.New(setup, resource.WithAttributes(attribute.String("service.name", "shop")))
	if err != nil {
		log.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	tracer = tp.Tracer("context-dropped-fixture")

${GO_SERVE_UNTIL_SIGTERM}`;

/** What the test environment passes to `go` (and to the service's `go run .`): the local toolchain, module mode. */
export function goEnv(): Record<string, string> {
  return { GOTOOLCHAIN: 'local', GOWORK: 'off', GO111MODULE: 'on', GOFLAGS: '-mod=mod -buildvcs=false' };
}

function runGo(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', args, { cwd, env: { ...process.env, ...goEnv() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`go ${args.join(' ')} failed (${code}): ${out}`)),
    );
  });
}

/** A repo with the Go service: go.mod pinned like prepareGoClient (go directive of the local toolchain), go.sum by `go mod tidy`. */
export async function makeGoRepo(): Promise<string> {
  const version = /^go(\d+\.\d+)/.exec((await runGo(['env', 'GOVERSION'], PROJECT_ROOT)).trim())?.[1];
  if (!version) throw new Error('could not read the local Go version');
  const { release, raisesGo } = otelReleaseFor(version);
  if (raisesGo)
    throw new Error(
      `Go ${version} is older than go ${release.minGo}, the oldest the pinned OpenTelemetry Go releases accept`,
    );
  const goMod = [
    'module example.com/shop',
    '',
    `go ${version}`,
    '',
    'require (',
    ...[MODULES.otel, MODULES.sdk, MODULES.trace, MODULES.otlpHttp].map((m) => `\t${m} ${release.otel}`),
    ')',
    '',
  ].join('\n');
  const root = await makeSampleRepo({ 'shop/go.mod': goMod, 'shop/main.go': GO_MAIN }, { prefix: 'tg-doctor-ctx-go-' });
  await runGo(['mod', 'tidy'], path.join(root, 'shop'));
  return root;
}
