/**
 * Repos instrumented by hand with the standard OpenTelemetry idioms (not by our recipes) pass the same checks.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exporterEndpointMatchesProtocol } from '../../../src/verify/checks/static/exporter-endpoint-matches-protocol.js';
import { pitfallSamplerIgnoresParent } from '../../../src/verify/checks/static/pitfall-sampler-ignores-parent.js';
import { pitfallSpanNotEnded } from '../../../src/verify/checks/static/pitfall-span-not-ended.js';
import { propagatorsConfigured } from '../../../src/verify/checks/static/propagators-configured.js';
import { sdkStartsBeforeApp } from '../../../src/verify/checks/static/sdk-starts-before-app.js';
import { spansFlushedOnShutdown } from '../../../src/verify/checks/static/spans-flushed-on-shutdown.js';
import { makeSampleRepo } from '../../helpers/sample-repo.js';
import { removeDir, runCheck, show } from './helpers.js';

let root: string;
const inputs = { backend: 'local', 'tail-sampling': 'none', 'sampling-percent': 100 };

beforeAll(async () => {
  root = await makeSampleRepo({
    'api/package.json': JSON.stringify(
      {
        name: 'api',
        scripts: { start: 'node -r ./instrumentation.js index.js' },
        dependencies: {
          express: '^4',
          '@opentelemetry/sdk-node': '^0.200.0',
          '@opentelemetry/exporter-trace-otlp-http': '^0.200.0',
        },
      },
      null,
      2,
    ),
    'api/instrumentation.js': `const { NodeSDK } = require('@opentelemetry/sdk-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
const sdk = new NodeSDK({
  serviceName: 'api',
  traceExporter: new OTLPTraceExporter({ url: 'http://localhost:4318/v1/traces' }),
  instrumentations: [getNodeAutoInstrumentations()],
});
sdk.start();
process.on('SIGTERM', () => { sdk.shutdown().finally(() => process.exit(0)); });
`,
    'api/index.js':
      "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(3000);\n",
    'svc/go.mod':
      'module example.com/svc\n\ngo 1.22\n\nrequire (\n\tgo.opentelemetry.io/otel v1.38.0\n\tgo.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc v1.38.0\n)\n',
    'svc/main.go': `package main

import (
	"context"
	"net/http"
	"os/signal"
	"syscall"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func initTracer(ctx context.Context) (*sdktrace.TracerProvider, error) {
	exp, err := otlptracegrpc.New(ctx, otlptracegrpc.WithEndpoint("localhost:4317"), otlptracegrpc.WithInsecure())
	if err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample())))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return tp, nil
}

func work(ctx context.Context) {
	_, span := otel.Tracer("svc").Start(ctx, "work")
	defer span.End()
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	tp, err := initTracer(ctx)
	if err != nil {
		panic(err)
	}
	defer func() { _ = tp.Shutdown(context.Background()) }()
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { work(r.Context()) })
	srv := &http.Server{Addr: ":8080", Handler: mux}
	go srv.ListenAndServe()
	<-ctx.Done()
	_ = srv.Shutdown(context.Background())
}
`,
  });
});
afterAll(() => removeDir(root));

it.each([
  sdkStartsBeforeApp,
  spansFlushedOnShutdown,
  exporterEndpointMatchesProtocol,
  propagatorsConfigured,
  pitfallSamplerIgnoresParent,
  pitfallSpanNotEnded,
])('$itemId passes on hand-written Node and Go set-ups', async (check) => {
  const r = await runCheck(check, root, inputs);
  expect(r.status, show(r)).toBe('pass');
  expect(r.summary, show(r)).toMatch(/api|svc|span/);
});

it('exporter-endpoint-matches-protocol fails when the hand-written Go gRPC exporter targets 4318', async () => {
  const { variant } = await import('./helpers.js');
  const broken = await variant(root, { 'svc/main.go': (t) => t.replace('localhost:4317', 'localhost:4318') });
  try {
    const r = await runCheck(exporterEndpointMatchesProtocol, broken, inputs);
    expect(r.status, show(r)).toBe('fail');
    expect(r.summary).toMatch(/otlptracegrpc\.WithEndpoint points at port 4318 but the exporter speaks gRPC/);
  } finally {
    await removeDir(broken);
  }
});
