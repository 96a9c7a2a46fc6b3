/**
 * Helpers for test/receiver/sdk-clients.test.ts: install the real OpenTelemetry Python SDK (pip into a venv) and build a
 * program on the real OpenTelemetry Go SDK (modules from the Go module proxy), both in temp dirs, and run them as
 * exporters against the built-in receiver. Nothing here is faked; only the downloads are cached between runs.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sharedCacheDir } from '../helpers/shared-cache.mjs';
import { otelReleaseFor, MODULES } from '../../src/lang/go/recipes/otel-releases.js';

/** The Python SDK release installed from PyPI (sdk and both OTLP exporters move in lockstep). */
export const PYTHON_OTEL_VERSION = '1.45.2';
const PYTHON_PACKAGES = [
  `opentelemetry-sdk==${PYTHON_OTEL_VERSION}`,
  `opentelemetry-exporter-otlp-proto-http==${PYTHON_OTEL_VERSION}`,
  `opentelemetry-exporter-otlp-proto-grpc==${PYTHON_OTEL_VERSION}`,
];

/** What each client program prints on stdout once its spans were exported and acknowledged. */
export interface SentTrace {
  traceId: string;
  parentId: string;
  childId: string;
}

export type ClientProtocol = 'http' | 'grpc';
/** OTEL_EXPORTER_OTLP_COMPRESSION=gzip or unset; both SDKs honour it for both protocols. */
export type ClientCompression = 'none' | 'gzip';

export interface ClientRun {
  protocol: ClientProtocol;
  compression: ClientCompression;
  /** The receiver's base endpoint for the protocol (no /v1/traces). */
  endpoint: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

export class ToolMissingError extends Error {
  constructor(tool: string, why: string) {
    super(
      `${tool} is not installed or not on PATH (${why}). The SDK-client tests need it; install it rather than skip them.`,
    );
    this.name = 'ToolMissingError';
  }
}

/** Runs a command to its end; rejects with its output when it fails (or when it cannot be started at all). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new ToolMissingError(command, `spawn ${command}: ENOENT`) : error);
    });
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout, stderr });
      else {
        reject(
          new Error(
            `\`${command} ${args.join(' ')}\` exited with ${code ?? signal}\n--- stdout ---\n${stdout.slice(-4000)}\n` +
              `--- stderr ---\n${stderr.slice(-4000)}`,
          ),
        );
      }
    });
  });
}

/** The environment for an SDK client: ours without any OTEL_* a developer may have set, plus the exporter's settings. */
export function clientEnv({ protocol, compression, endpoint }: ClientRun): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_')) env[key] = value;
  }
  // Loopback must never go through a proxy (requests and gRPC both honour these).
  env.NO_PROXY = env.no_proxy = '127.0.0.1,localhost';
  env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
  env.OTEL_EXPORTER_OTLP_PROTOCOL = protocol === 'http' ? 'http/protobuf' : 'grpc';
  // Set only for gzip: the Python gRPC exporter refuses the value "none" (InvalidCompressionValueException).
  if (compression === 'gzip') env.OTEL_EXPORTER_OTLP_COMPRESSION = 'gzip';
  return env;
}

/** Reads the ids a client printed as its last stdout line. */
export function parseSentTrace(stdout: string): SentTrace {
  const last = stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(last) as Partial<SentTrace>;
  if (typeof parsed.traceId !== 'string' || typeof parsed.parentId !== 'string' || typeof parsed.childId !== 'string') {
    throw new Error(`the client printed no ids: ${stdout}`);
  }
  return { traceId: parsed.traceId, parentId: parsed.parentId, childId: parsed.childId };
}

export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}

/** Where downloads are kept between runs: a wheelhouse of the pinned packages and pip's HTTP cache. */
function downloadCacheDir(): string {
  return path.join(os.homedir(), '.cache', 'trace-guide-tests');
}

// ---------------------------------------------------------------------------------------------------------------------
// Python

/**
 * The client: a SERVER span with an INTERNAL child that carries attributes of every type, an event, a link to another
 * trace, and a recorded exception with error status; exported with SimpleSpanProcessor through an exporter that
 * remembers each result, so the program exits non-zero when any export was not acknowledged. The endpoint comes from
 * OTEL_EXPORTER_OTLP_ENDPOINT.
 */
export const PYTHON_CLIENT = `import json
import sys

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.trace import Link, SpanContext, SpanKind, Status, StatusCode, TraceFlags


class RecordingExporter(SpanExporter):
    """Passes spans on and remembers whether every export was acknowledged."""

    def __init__(self, inner):
        self.inner = inner
        self.results = []

    def export(self, spans):
        result = self.inner.export(spans)
        self.results.append(result)
        return result

    def shutdown(self):
        self.inner.shutdown()

    def force_flush(self, timeout_millis=30000):
        return self.inner.force_flush(timeout_millis)


def make_exporter(protocol):
    if protocol == "http":
        # No endpoint argument: the SDK reads OTEL_EXPORTER_OTLP_ENDPOINT and appends /v1/traces.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        return OTLPSpanExporter()
    if protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
        return OTLPSpanExporter(insecure=True)
    raise SystemExit("unknown protocol " + protocol)


class PaymentError(Exception):
    pass


def main():
    protocol = sys.argv[1]
    exporter = RecordingExporter(make_exporter(protocol))
    provider = TracerProvider(resource=Resource.create({"service.name": "py-svc"}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("sdk-clients-test", "1.2.3")

    with tracer.start_as_current_span(
        "GET /checkout",
        kind=SpanKind.SERVER,
        attributes={"http.request.method": "GET", "http.route": "/checkout"},
    ) as parent:
        # A link to a span of another trace (say, the message that started this work).
        linked = SpanContext(
            trace_id=0x5B8EFFF798038103D269B633813FC60C,
            span_id=0xEEE19B7EC3C1B174,
            is_remote=True,
            trace_flags=TraceFlags(TraceFlags.SAMPLED),
        )
        with tracer.start_as_current_span(
            "charge card",
            kind=SpanKind.INTERNAL,
            links=[Link(linked, {"link.reason": "retry"})],
            record_exception=False,
            set_status_on_exception=False,
        ) as child:
            child.set_attribute("payment.provider", "acme")
            child.set_attribute("http.response.status_code", 502)
            child.set_attribute("order.id", 9007199254740993)
            child.set_attribute("order.total", 99.5)
            child.set_attribute("payment.retried", True)
            child.set_attribute("order.items", ["book", "pen"])
            child.set_attribute("order.quantities", [1, 3])
            child.add_event("cache.miss", {"cache.key": "user:42", "cache.attempt": 2})
            try:
                raise PaymentError("card declined")
            except PaymentError as error:
                child.record_exception(error)
                child.set_status(Status(StatusCode.ERROR, "card declined"))

    provider.shutdown()
    failed = [r for r in exporter.results if r is not SpanExportResult.SUCCESS]
    if failed or len(exporter.results) != 2:
        print("export over %s was not acknowledged: %r" % (protocol, exporter.results), file=sys.stderr)
        sys.exit(1)
    print(json.dumps({
        "traceId": trace.format_trace_id(parent.get_span_context().trace_id),
        "parentId": trace.format_span_id(parent.get_span_context().span_id),
        "childId": trace.format_span_id(child.get_span_context().span_id),
    }))


main()
`;

export interface PythonClient {
  dir: string;
  python: string;
  script: string;
}

/**
 * Makes a venv in `dir` and installs the pinned SDK and exporters from PyPI. The wheels are downloaded once into a
 * wheelhouse (per Python version and SDK release) under ~/.cache (PIP_CACHE_DIR points beside it); later runs install
 * from it offline, which takes seconds instead of a resolution against the index.
 */
export async function preparePythonClient(dir: string): Promise<PythonClient> {
  const venv = path.join(dir, 'venv');
  // Without pip inside (that alone takes ~10 s); the host's pip installs into it with --python.
  await run('python3', ['-m', 'venv', '--without-pip', venv]);
  const python = path.join(venv, 'bin', 'python');
  await installFromWheelhouse(python, `otel-python-${PYTHON_OTEL_VERSION}`, PYTHON_PACKAGES);
  return writePythonScript(dir, python);
}

/**
 * Installs `packages` into the environment of `python` from a wheelhouse named `name` (per Python version and
 * platform) under ~/.cache: downloaded from PyPI once (into a staging folder renamed into place, marked complete),
 * installed offline on later runs; a damaged wheelhouse is downloaded again.
 */
export async function installFromWheelhouse(python: string, name: string, packages: readonly string[]): Promise<void> {
  const version = (await run('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])).stdout.trim();
  const cache = downloadCacheDir();
  const pipEnv = { ...process.env, PIP_CACHE_DIR: path.join(cache, 'pip'), PIP_DISABLE_PIP_VERSION_CHECK: '1' };
  // Downloaded by one process while the others wait (test/helpers/shared-cache.mjs), so test workers share it safely.
  const download = async (staging: string) => {
    await run('python3', ['-m', 'pip', 'download', '-q', '-d', staging, ...packages], { env: pipEnv });
  };
  const wheelhouseName = `${name}-py${version}-${process.platform}-${process.arch}`;
  const install = (wheelhouse: string): Promise<RunResult> =>
    run(
      'python3',
      ['-m', 'pip', '--python', python, 'install', '-q', '--no-index', '--find-links', wheelhouse, ...packages],
      { env: pipEnv },
    );
  try {
    await install(await sharedCacheDir(wheelhouseName, download));
  } catch {
    // A damaged wheelhouse: download it again.
    await install(await sharedCacheDir(wheelhouseName, download, { rebuild: true }));
  }
}

async function writePythonScript(dir: string, python: string): Promise<PythonClient> {
  const script = path.join(dir, 'client.py');
  await writeFile(script, PYTHON_CLIENT);
  return { dir, python, script };
}

export async function runPythonClient(client: PythonClient, clientRun: ClientRun): Promise<SentTrace> {
  const env = clientEnv(clientRun);
  const { stdout } = await run(client.python, [client.script, clientRun.protocol], { cwd: client.dir, env });
  return parseSentTrace(stdout);
}

// ---------------------------------------------------------------------------------------------------------------------
// Go

/**
 * The same trace from Go: the exporter takes its endpoint from OTEL_EXPORTER_OTLP_ENDPOINT (an http:// scheme means
 * plaintext; the HTTP exporter appends /v1/traces), a batcher flushed by Shutdown, and an error handler that makes any
 * export failure exit non-zero.
 */
export const GO_CLIENT = `package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

type PaymentError struct{ Reason string }

func (e *PaymentError) Error() string { return e.Reason }

func main() {
	protocol := flag.String("protocol", "http", "http or grpc")
	flag.Parse()
	ctx := context.Background()

	var exportErrors []error
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { exportErrors = append(exportErrors, err) }))

	var exporter sdktrace.SpanExporter
	var err error
	switch *protocol {
	case "http":
		exporter, err = otlptracehttp.New(ctx)
	case "grpc":
		exporter, err = otlptracegrpc.New(ctx)
	default:
		err = fmt.Errorf("unknown protocol %q", *protocol)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "exporter:", err)
		os.Exit(2)
	}
	res, err := resource.New(ctx, resource.WithTelemetrySDK(), resource.WithAttributes(attribute.String("service.name", "go-svc")))
	if err != nil {
		fmt.Fprintln(os.Stderr, "resource:", err)
		os.Exit(2)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithResource(res), sdktrace.WithBatcher(exporter))
	tracer := tp.Tracer("sdk-clients-test", trace.WithInstrumentationVersion("1.2.3"))

	ctx, parent := tracer.Start(ctx, "GET /checkout", trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("http.request.method", "GET"), attribute.String("http.route", "/checkout")))
	// A link to a span of another trace (say, the message that started this work).
	linkedTraceID, _ := trace.TraceIDFromHex("5b8efff798038103d269b633813fc60c")
	linkedSpanID, _ := trace.SpanIDFromHex("eee19b7ec3c1b174")
	linked := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: linkedTraceID, SpanID: linkedSpanID, TraceFlags: trace.FlagsSampled, Remote: true,
	})
	_, child := tracer.Start(ctx, "charge card", trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithLinks(trace.Link{SpanContext: linked, Attributes: []attribute.KeyValue{attribute.String("link.reason", "retry")}}))
	child.SetAttributes(
		attribute.String("payment.provider", "acme"),
		attribute.Int("http.response.status_code", 502),
		attribute.Int64("order.id", 9007199254740993),
		attribute.Float64("order.total", 99.5),
		attribute.Bool("payment.retried", true),
		attribute.StringSlice("order.items", []string{"book", "pen"}),
		attribute.Int64Slice("order.quantities", []int64{1, 3}),
	)
	child.AddEvent("cache.miss", trace.WithAttributes(attribute.String("cache.key", "user:42"), attribute.Int("cache.attempt", 2)))
	child.RecordError(&PaymentError{Reason: "card declined"}, trace.WithStackTrace(true))
	child.SetStatus(codes.Error, "card declined")
	child.End()
	parent.End()

	if err := tp.Shutdown(context.Background()); err != nil {
		exportErrors = append(exportErrors, err)
	}
	if len(exportErrors) > 0 {
		for _, e := range exportErrors {
			fmt.Fprintln(os.Stderr, "export error:", e)
		}
		os.Exit(1)
	}
	ids, _ := json.Marshal(map[string]string{
		"traceId":  parent.SpanContext().TraceID().String(),
		"parentId": parent.SpanContext().SpanID().String(),
		"childId":  child.SpanContext().SpanID().String(),
	})
	fmt.Println(string(ids))
}
`;

export interface GoClient {
  dir: string;
  binary: string;
  otelVersion: string;
}

function goEnv(): NodeJS.ProcessEnv {
  // The module and build caches (~/go/pkg/mod, ~/.cache/go-build) are the user's, shared with other runs.
  return {
    ...process.env,
    GOTOOLCHAIN: 'local',
    GOWORK: 'off',
    GO111MODULE: 'on',
    GOFLAGS: '-mod=mod -buildvcs=false',
  };
}

/** The Go toolchain's minor version, e.g. "1.26". */
export async function localGoVersion(): Promise<string> {
  const { stdout } = await run('go', ['env', 'GOVERSION'], { env: goEnv() });
  const match = /^go(\d+\.\d+)/.exec(stdout.trim());
  if (!match?.[1]) throw new Error(`could not read the Go version from \`go env GOVERSION\`: ${stdout}`);
  return match[1];
}

/**
 * Writes go.mod (the otel release the project pins for this Go version) and main.go into `dir`, resolves the rest with
 * `go mod tidy` and builds once; both protocols then run the same binary (what `go run .` would do, without linking twice).
 */
export async function prepareGoClient(dir: string): Promise<GoClient> {
  const goVersion = await localGoVersion();
  const { release, raisesGo } = otelReleaseFor(goVersion);
  if (raisesGo) {
    throw new Error(
      `Go ${goVersion} is older than go ${release.minGo}, the oldest the pinned OpenTelemetry Go releases accept`,
    );
  }
  const goMod = [
    'module example.com/sdkclient',
    '',
    `go ${release.minGo}`,
    '',
    'require (',
    ...[MODULES.otel, MODULES.sdk, MODULES.trace, MODULES.otlpHttp, MODULES.otlpGrpc].map(
      (mod) => `\t${mod} ${release.otel}`,
    ),
    ')',
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'go.mod'), goMod);
  await writeFile(path.join(dir, 'main.go'), GO_CLIENT);
  const env = goEnv();
  await run('go', ['mod', 'tidy'], { cwd: dir, env });
  const binary = path.join(dir, 'sdkclient');
  await run('go', ['build', '-o', binary, '.'], { cwd: dir, env });
  return { dir, binary, otelVersion: release.otel };
}

export async function runGoClient(client: GoClient, clientRun: ClientRun): Promise<SentTrace> {
  const env = clientEnv(clientRun);
  const { stdout } = await run(client.binary, [`-protocol=${clientRun.protocol}`], { cwd: client.dir, env });
  return parseSentTrace(stdout);
}
