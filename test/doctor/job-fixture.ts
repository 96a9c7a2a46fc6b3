/**
 * Real Node programs for the no-flush-on-exit and sampler causes, with the project's devDependency OpenTelemetry SDK
 * (BasicTracerProvider, BatchSpanProcessor, OTLP/HTTP exporter configured from the OTEL_* variables):
 * - a job: no port, makes a few spans, and ends — without shutting the provider down (its batch is lost) or awaiting
 *   provider.shutdown() first (fixed);
 * - an HTTP service whose sampler is a bare TraceIdRatioBasedSampler (ratio 0: never samples, whatever the parent
 *   said), or the same ratio wrapped in ParentBasedSampler (fixed: follows the sampled parent of every probe).
 */
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { makeSampleRepo } from '../helpers/sample-repo.js';
import { stopAndListen } from './node-service-source.js';

export interface JobOptions {
  /** Awaits provider.shutdown() before the job ends. */
  shutdown: boolean;
  /** Ends with an explicit process.exit(0) instead of letting the event loop empty. */
  explicitExit?: boolean;
}

function jobSource(o: JobOptions): string {
  return `'use strict';
const api = require('@opentelemetry/api');
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'nightly-report' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
const tracer = provider.getTracer('nightly-report');

async function main() {
  const run = tracer.startSpan('build report');
  const ctx = api.trace.setSpan(api.ROOT_CONTEXT, run);
  for (const part of ['orders', 'refunds', 'stock']) {
    const step = tracer.startSpan('collect ' + part, { attributes: { 'report.part': part } }, ctx);
    await new Promise((resolve) => setTimeout(resolve, 5));
    step.end();
  }
  run.end();
  console.log('report written: 3 parts');
${o.shutdown ? '  await provider.shutdown();\n' : ''}}

main()${o.explicitExit ? '.then(() => process.exit(0))' : ''};
`;
}

/** A repo with one job package (`jobs/`, started by `npm start` = `node report.js`, no port). */
export async function makeJobRepo(o: JobOptions): Promise<string> {
  const root = await makeSampleRepo(
    {
      'jobs/package.json': JSON.stringify(
        {
          name: 'nightly-report',
          version: '1.0.0',
          private: true,
          main: 'report.js',
          scripts: { start: 'node report.js' },
        },
        null,
        2,
      ),
      'jobs/report.js': jobSource(o),
    },
    { prefix: 'tg-doctor-job-' },
  );
  await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'jobs', 'node_modules'), 'dir');
  return root;
}

export interface SampledService {
  port: number;
  /** Wraps the ratio sampler in ParentBasedSampler (the fix). */
  parentBased: boolean;
}

function serverSource(s: SampledService): string {
  const sampler = s.parentBased
    ? 'new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0) })'
    : 'new TraceIdRatioBasedSampler(0)';
  return `'use strict';
const http = require('node:http');
const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { BasicTracerProvider, BatchSpanProcessor, ${s.parentBased ? 'ParentBasedSampler, ' : ''}TraceIdRatioBasedSampler } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const PORT = Number(process.env.PORT || ${s.port});
api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'checkout' }),
  sampler: ${sampler},
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
const tracer = provider.getTracer('checkout');

const server = http.createServer((req, res) => {
  const route = (req.url || '/').split('?')[0];
  const parent = api.propagation.extract(api.ROOT_CONTEXT, req.headers);
  const span = tracer.startSpan('GET ' + route, { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': route } }, parent);
  span.setAttribute('http.response.status_code', 200);
  span.end();
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});

${stopAndListen()}`;
}

/** A repo with one HTTP service (`checkout/`, `npm start`, PORT from the environment). */
export async function makeSampledRepo(s: SampledService): Promise<string> {
  const root = await makeSampleRepo(
    {
      'checkout/package.json': JSON.stringify(
        { name: 'checkout', version: '1.0.0', private: true, main: 'server.js', scripts: { start: 'node server.js' } },
        null,
        2,
      ),
      'checkout/server.js': serverSource(s),
    },
    { prefix: 'tg-doctor-sampler-' },
  );
  await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'checkout', 'node_modules'), 'dir');
  return root;
}

/**
 * A server (listens on PORT) whose package.json also names job scripts: a traced report in jobs/, and a migration in
 * scripts/ that the doctor must never run. Only read, never started, by the test that uses it.
 */
export async function makeServerWithJobsRepo(port: number): Promise<string> {
  const root = await makeSampleRepo(
    {
      'api/package.json': JSON.stringify(
        {
          name: 'api',
          version: '1.0.0',
          private: true,
          scripts: {
            start: 'node server.js',
            report: 'node jobs/report.js',
            migrate: 'node scripts/migrate.js',
            lint: 'node scripts/lint.js',
          },
        },
        null,
        2,
      ),
      'api/server.js': serverSource({ port, parentBased: true }),
      'api/jobs/report.js': jobSource({ shutdown: true }),
      'api/scripts/migrate.js': `'use strict';\nrequire('../tracing');\nconsole.log('dropping table orders');\n`,
      'api/scripts/lint.js': `'use strict';\nconst { trace } = require('@opentelemetry/api');\nconsole.log(trace);\n`,
    },
    { prefix: 'tg-doctor-jobs-' },
  );
  return root;
}

/** A Flask service and a Go service, read only (never started): their sampler (in code, and in the Go Dockerfile) and flush set-ups. */
export function makePythonAndGoRepo(): Promise<string> {
  return makeSampleRepo(
    {
      'py/requirements.txt': 'flask\nopentelemetry-sdk\nopentelemetry-exporter-otlp\n',
      'py/app.py': `import os
from flask import Flask
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import TraceIdRatioBased

provider = TracerProvider(resource=Resource.create({"service.name": "py"}), sampler=TraceIdRatioBased(0.25), shutdown_on_exit=False)
trace.set_tracer_provider(provider)
app = Flask(__name__)


@app.get("/")
def index():
    return "ok"


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "5000")))
`,
      'gosvc/Dockerfile':
        'FROM golang:1.22\nWORKDIR /app\nCOPY . .\nENV OTEL_TRACES_SAMPLER=traceidratio OTEL_TRACES_SAMPLER_ARG=0.1\nCMD ["go", "run", "."]\n',
      'gosvc/go.mod': 'module example.com/gosvc\n\ngo 1.22\n\nrequire go.opentelemetry.io/otel/sdk v1.28.0\n',
      'gosvc/main.go': `package main

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func main() {
	exporter, _ := otlptracehttp.New(context.Background())
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithSampler(sdktrace.TraceIDRatioBased(0.1)))
	otel.SetTracerProvider(tp)
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	_ = http.ListenAndServe(":8080", nil)
}
`,
    },
    { prefix: 'tg-doctor-pygo-' },
  );
}
