/**
 * otel-packages-missing and otel-versions-mismatch. The Node tests run real services (their own node_modules of
 * symlinks, see packages-fixture.ts) through the whole doctor; the Python / Go / declared-only Node tests are static:
 * manifests and sources written by the test, the causes' fromRepo only, no process started.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packagesMissingCause } from '../../src/doctor/causes/packages-missing.js';
import { versionsMismatchCause } from '../../src/doctor/causes/versions-mismatch.js';
import { diagnose } from '../../src/doctor/diagnose.js';
import type { Finding } from '../../src/doctor/finding.js';
import { previewProposals } from '../../src/edit/preview.js';
import { freePort } from '../../src/verify/runtime/ports.js';
import { makeSampleRepo, removeSampleRepo, type SampleFiles } from '../helpers/sample-repo.js';
import { fixtureContext } from '../checks/runtime/node-fixture.js';
import {
  basicProviderServer,
  cachedInstall,
  makePackagesRepo,
  PROJECT_MODULES,
  registeredProviderServer,
  type PackagesService,
} from './packages-fixture.js';
import { withNoActiveVenv } from '../helpers/no-active-venv.js';

// Where pip installs depends on whether a virtual environment is active (recipes/python/python-env.ts): plan with none.
withNoActiveVenv();

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function doctor(s: Omit<PackagesService, 'port' | 'source'> & { source: (port: number) => string }) {
  const port = await freePort();
  const root = await makePackagesRepo({ ...s, port, source: s.source(port) });
  cleanup.push(() => removeSampleRepo(root));
  const fixture = await fixtureContext(root, {}, { ports: 'free', spanTimeoutMs: 4_000, settleMs: 500 });
  cleanup.push(() => fixture.close());
  return { root, diagnosis: await diagnose(fixture.ctx) };
}

async function staticContext(files: SampleFiles) {
  const root = await makeSampleRepo(files, { prefix: 'tg-doctor-static-' });
  cleanup.push(() => removeSampleRepo(root));
  const fixture = await fixtureContext(root);
  cleanup.push(() => fixture.close());
  return { root, ctx: fixture.ctx };
}

async function cleanPreview(root: string, f: Finding) {
  const previews = await previewProposals(root, f.proposals);
  expect(previews.length).toBeGreaterThan(0);
  for (const p of previews) expect(p.problem).toBeUndefined();
  return previews.map((p) => p.text).join('\n');
}

const BASIC_DEPS = {
  '@opentelemetry/api': '^1.9.1',
  '@opentelemetry/core': '^2.12.1',
  '@opentelemetry/sdk-trace-base': '^2.12.1',
  '@opentelemetry/exporter-trace-otlp-http': '^0.223.1',
  '@opentelemetry/resources': '^2.12.1',
};
const BASIC_LINKS = Object.fromEntries(Object.keys(BASIC_DEPS).map((n) => [n, PROJECT_MODULES]));

describe('otel-packages-missing and otel-versions-mismatch, on real Node services', { timeout: 60_000 }, () => {
  it('names the exporter package that is declared but not installed, from the crash at start', async () => {
    const { '@opentelemetry/exporter-trace-otlp-http': _left, ...links } = BASIC_LINKS;
    const { root, diagnosis } = await doctor({ source: basicProviderServer, dependencies: BASIC_DEPS, links });
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['otel-packages-missing']);
    expect(diagnosis.services[0]!.status).toBe('failed');
    const [f] = diagnosis.findings;
    expect(f!.confidence).toBe('high');
    expect(f!.summary).toMatch(/@opentelemetry\/exporter-trace-otlp-http is imported but not installed/);
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        file: 'svc/server.js',
        line: 6,
        text: expect.stringContaining("require('@opentelemetry/exporter-trace-otlp-http')"),
      }),
    );
    expect(f!.evidence.map((e) => e.note).join('\n')).toMatch(
      /crashed at start: Cannot find module '@opentelemetry\/exporter-trace-otlp-http'/,
    );
    const text = await cleanPreview(root, f!);
    expect(f!.proposals[0]!.change).toMatchObject({
      kind: 'command',
      command: 'npm install --save-exact --no-audit --no-fund @opentelemetry/exporter-trace-otlp-http@^0.223.1',
      cwd: 'svc',
      touches: ['svc/package.json', 'svc/package-lock.json'],
    });
    expect(text).toContain('npm install');
  });

  it('finds nothing on the same service with the package installed, after spans arrived', async () => {
    const { diagnosis } = await doctor({ source: basicProviderServer, dependencies: BASIC_DEPS, links: BASIC_LINKS });
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.spansArrived).toBeGreaterThan(0);
  });

  // Runtime: @opentelemetry/api 1.10.0 in the service, sdk-trace-node 2.12.0 (peer api <1.10.0) registering its provider
  // through its own api 1.9.1 — the service's api rejects that global, so every tracer is a no-op and nothing is sent.
  const sdk = () =>
    cachedInstall('otel-sdk-trace-node-2.12.0', [
      '@opentelemetry/sdk-trace-node@2.12.0',
      '@opentelemetry/sdk-trace-base@2.12.0',
      '@opentelemetry/resources@2.12.0',
      '@opentelemetry/api@1.9.1',
    ]);
  const api110 = () => cachedInstall('otel-api-1.10.0', ['@opentelemetry/api@1.10.0']);
  const registered = async (api: string) => {
    const a = path.join(await sdk(), 'node_modules');
    return {
      source: registeredProviderServer,
      dependencies: {
        '@opentelemetry/api': api,
        '@opentelemetry/sdk-trace-node': '2.12.0',
        '@opentelemetry/sdk-trace-base': '2.12.0',
        '@opentelemetry/resources': '2.12.0',
        '@opentelemetry/exporter-trace-otlp-http': '^0.223.1',
      },
      links: {
        '@opentelemetry/api': api === '1.10.0' ? path.join(await api110(), 'node_modules') : a,
        '@opentelemetry/sdk-trace-node': a,
        '@opentelemetry/sdk-trace-base': a,
        '@opentelemetry/resources': a,
        '@opentelemetry/exporter-trace-otlp-http': PROJECT_MODULES,
      },
    };
  };

  it("names an api outside the SDK's peer range when the service answers but sends no span (runtime)", async () => {
    const { root, diagnosis } = await doctor(await registered('1.10.0'));
    expect(diagnosis.spansArrived).toBe(0);
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['otel-versions-mismatch']);
    const [f] = diagnosis.findings;
    expect(f!.confidence).toBe('high');
    expect(f!.summary).toMatch(
      /@opentelemetry\/api 1\.10\.0 is outside the range .*@opentelemetry\/sdk-trace-node 2\.12\.0 accepts \(>=1\.0\.0 <1\.10\.0\)/,
    );
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        file: 'svc/node_modules/@opentelemetry/api/package.json',
        note: expect.stringMatching(/1\.10\.0 is installed/),
      }),
    );
    expect(f!.evidence.map((e) => e.note).join('\n')).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/ .*→ 200; no span arrived/,
    );
    await cleanPreview(root, f!);
    expect(f!.proposals[0]!.change).toMatchObject({
      kind: 'command',
      command: 'npm install --save-exact --no-audit --no-fund @opentelemetry/api@1.9.1',
      cwd: 'svc',
    });
  });

  it('finds nothing when the service and the SDK share one api', async () => {
    const { diagnosis } = await doctor(await registered('1.9.1'));
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.spansArrived).toBeGreaterThan(0);
  });
});

const FLASK_APP = `from flask import Flask
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.flask import FlaskInstrumentor

provider = TracerProvider()
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
trace.set_tracer_provider(provider)

app = Flask(__name__)
FlaskInstrumentor().instrument_app(app)


@app.get("/")
def index():
    return "ok"
`;

describe('otel-packages-missing and otel-versions-mismatch, static (written manifests, no process)', () => {
  it('Python: the exporter and the Flask instrumentation the set-up imports, missing from requirements.txt', async () => {
    const { root, ctx } = await staticContext({
      'api/requirements.txt': 'flask==3.0.3\nopentelemetry-sdk==1.45.1\n',
      'api/app.py': FLASK_APP,
    });
    const [f, ...rest] = await packagesMissingCause.fromRepo!(ctx);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ cause: 'otel-packages-missing', service: 'api', confidence: 'medium' });
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        file: 'api/app.py',
        line: 5,
        note: expect.stringMatching(/opentelemetry-exporter-otlp-proto-http\); not declared/),
      }),
    );
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        file: 'api/app.py',
        line: 6,
        note: expect.stringMatching(/opentelemetry-instrumentation-flask\); not declared/),
      }),
    );
    const text = await cleanPreview(root, f!);
    expect(text).toContain('+opentelemetry-exporter-otlp-proto-http==1.45.1');
    expect(text).toContain('+opentelemetry-instrumentation-flask==0.66b1');
    // No virtual environment in the repo and none active: a new api/.venv first, and pip runs from it.
    expect(f!.proposals.map((p) => p.change.kind)).toEqual(['edit', 'command', 'command']);
    expect(f!.proposals[1]!.change).toMatchObject({ command: 'python3 -m venv .venv', cwd: 'api' });
    expect(f!.proposals[2]!.change).toMatchObject({
      command: '.venv/bin/python -m pip install -r requirements.txt',
      cwd: 'api',
    });
    // Declared, they are no finding; and nothing here is a version mismatch.
    const ok = await staticContext({
      'api/requirements.txt':
        'flask==3.0.3\nopentelemetry-sdk==1.45.1\nopentelemetry-exporter-otlp-proto-http==1.45.1\nopentelemetry-instrumentation-flask==0.66b1\n',
      'api/app.py': FLASK_APP,
    });
    expect(await packagesMissingCause.fromRepo!(ok.ctx)).toEqual([]);
    expect(await versionsMismatchCause.fromRepo!(ok.ctx)).toEqual([]);
  });

  it('Python: a set-up choosing the gRPC or HTTP exporter by protocol needs only one of them declared', async () => {
    const app = FLASK_APP.replace(
      'from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter\n',
      'import os\nif os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL") == "grpc":\n    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter\nelse:\n    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter\n',
    );
    const base = 'flask==3.0.3\nopentelemetry-sdk==1.45.1\nopentelemetry-instrumentation-flask==0.66b1\n';
    const one = await staticContext({
      'api/requirements.txt': `${base}opentelemetry-exporter-otlp-proto-http==1.45.1\n`,
      'api/app.py': app,
    });
    expect(await packagesMissingCause.fromRepo!(one.ctx)).toEqual([]);
    // With neither declared, both are reported.
    const none = await staticContext({ 'api/requirements.txt': base, 'api/app.py': app });
    const [f] = await packagesMissingCause.fromRepo!(none.ctx);
    expect(f?.summary).toContain('opentelemetry-exporter-otlp-proto-grpc, opentelemetry-exporter-otlp-proto-http');
  });

  it('Python: opentelemetry-instrument with the distro only lacks the exporter its protocol selects and the framework instrumentation', async () => {
    const { root, ctx } = await staticContext({
      'web/requirements.txt': 'flask==3.0.3\nopentelemetry-distro==0.66b1\n',
      'web/Procfile':
        'web: OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf opentelemetry-instrument flask --app app run --port 8000\n',
      'web/app.py':
        'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\ndef index():\n    return "ok"\n',
    });
    const [f] = await packagesMissingCause.fromRepo!(ctx);
    expect(f!.summary).toMatch(
      /opentelemetry-exporter-otlp-proto-http, opentelemetry-instrumentation-flask are needed .* but not declared/,
    );
    expect(f!.evidence[0]).toMatchObject({
      file: 'web/Procfile',
      line: 1,
      note: expect.stringMatching(/OTEL_TRACES_EXPORTER=otlp over http\/protobuf/),
    });
    const text = await cleanPreview(root, f!);
    expect(text).toContain('+opentelemetry-exporter-otlp-proto-http==1.45.1');
    // distro[otlp] brings both OTLP exporters.
    const ok = await staticContext({
      'web/requirements.txt':
        'flask==3.0.3\nopentelemetry-distro[otlp]==0.66b1\nopentelemetry-instrumentation-flask==0.66b1\n',
      'web/Procfile': 'web: opentelemetry-instrument flask --app app run --port 8000\n',
      'web/app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
    });
    expect(await packagesMissingCause.fromRepo!(ok.ctx)).toEqual([]);
  });

  it('Python: an instrumentation of another contrib release than the SDK pin (1.N ↔ 0.(N+21)), and the installed venv beating the pins', async () => {
    const reqs =
      'flask==3.0.3\nopentelemetry-api==1.45.1\nopentelemetry-sdk==1.45.1\nopentelemetry-exporter-otlp-proto-http==1.45.1\nopentelemetry-instrumentation-flask==0.60b0\n';
    const { root, ctx } = await staticContext({ 'api/requirements.txt': reqs, 'api/app.py': FLASK_APP });
    const [f] = await versionsMismatchCause.fromRepo!(ctx);
    expect(f).toMatchObject({ cause: 'otel-versions-mismatch', confidence: 'medium' });
    expect(f!.summary).toMatch(
      /opentelemetry-sdk 1\.45\.1 goes with the 0\.66b1 contrib release .* opentelemetry-instrumentation-flask is 0\.60b0/,
    );
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        file: 'api/requirements.txt',
        line: 5,
        text: 'opentelemetry-instrumentation-flask==0.60b0',
      }),
    );
    const text = await cleanPreview(root, f!);
    expect(text).toContain('+opentelemetry-instrumentation-flask==0.66b1');
    expect(f!.proposals.at(-1)!.change).toMatchObject({
      kind: 'command',
      command: '.venv/bin/python -m pip install -r requirements.txt',
    });

    // Pins agree, but the virtualenv has an older SDK installed: installed beats declared.
    const site = 'api/.venv/lib/python3.11/site-packages';
    const venv = await staticContext({
      'api/requirements.txt': reqs.replace('0.60b0', '0.66b1'),
      'api/app.py': FLASK_APP,
      [`${site}/opentelemetry_sdk-1.39.1.dist-info/METADATA`]: 'Name: opentelemetry-sdk\n',
    });
    const [g] = await versionsMismatchCause.fromRepo!(venv.ctx);
    expect(g!.summary).toMatch(/opentelemetry-sdk 1\.39\.1 needs opentelemetry-api 1\.39\.1/);
    expect(g!.evidence[0]!.file).toBe(`${site}/opentelemetry_sdk-1.39.1.dist-info`);
  });

  it('Python with Poetry: the alignment is one `poetry add` of the packages off the pins, touching pyproject.toml and poetry.lock', async () => {
    const { root, ctx } = await staticContext({
      'svc/pyproject.toml':
        '[tool.poetry]\nname = "svc"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "3.0.3"\nopentelemetry-sdk = "1.45.1"\nopentelemetry-exporter-otlp-proto-http = "1.45.1"\nopentelemetry-instrumentation-flask = "0.63b0"\n',
      'svc/poetry.lock': '# lock\n',
      'svc/app.py': FLASK_APP,
    });
    // Poetry is not needed to propose its command: a stand-in on PATH (never run) makes the tool lookup find one.
    const bin = path.join(root, '.bin');
    await mkdir(bin);
    await writeFile(path.join(bin, 'poetry'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const saved = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${saved ?? ''}`;
    const [f] = await versionsMismatchCause.fromRepo!(ctx).finally(() => {
      process.env.PATH = saved;
    });
    expect(f!.evidence).toContainEqual(expect.objectContaining({ file: 'svc/pyproject.toml', line: 10 }));
    await cleanPreview(root, f!);
    expect(f!.proposals[0]!.change).toMatchObject({
      kind: 'command',
      command: 'poetry add opentelemetry-instrumentation-flask@0.66b1',
      touches: ['svc/pyproject.toml', 'svc/poetry.lock'],
    });
  });

  const MAIN_GO = `package main

import (

	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func main() {
	exp, _ := otlptracehttp.New(nil)
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp)))
	http.ListenAndServe(":8080", otelhttp.NewHandler(http.NotFoundHandler(), "root"))
}
`;

  it('Go: imported modules go.mod does not require, got at the otel version it already has', async () => {
    const { root, ctx } = await staticContext({
      'svc/go.mod':
        'module example.com/svc\n\ngo 1.24\n\nrequire (\n\tgo.opentelemetry.io/contrib/instrumentation/net/http/otelhttp v0.66.0\n\tgo.opentelemetry.io/otel v1.41.0\n)\n',
      'svc/main.go': MAIN_GO,
    });
    const [f] = await packagesMissingCause.fromRepo!(ctx);
    expect(f!.summary).toMatch(
      /go\.mod does not require go\.opentelemetry\.io\/otel\/exporters\/otlp\/otlptrace\/otlptracehttp, go\.opentelemetry\.io\/otel\/sdk/,
    );
    expect(f!.evidence).toContainEqual(expect.objectContaining({ file: 'svc/main.go', line: 9 }));
    await cleanPreview(root, f!);
    expect(f!.proposals[0]!.change).toMatchObject({
      kind: 'command',
      command:
        'go get go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp@v1.41.0 go.opentelemetry.io/otel/sdk@v1.41.0 && go mod tidy',
      touches: ['svc/go.mod', 'svc/go.sum'],
    });
    expect(await versionsMismatchCause.fromRepo!(ctx)).toEqual([]);
  });

  it('Go: otel modules at different versions and a contrib built against a newer otel', async () => {
    const { root, ctx } = await staticContext({
      'svc/go.mod':
        'module example.com/svc\n\ngo 1.25\n\nrequire (\n\tgo.opentelemetry.io/contrib/instrumentation/net/http/otelhttp v0.71.0\n\tgo.opentelemetry.io/otel v1.41.0\n\tgo.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp v1.41.0\n\tgo.opentelemetry.io/otel/sdk v1.38.0\n)\n',
      'svc/main.go': MAIN_GO,
    });
    expect(await packagesMissingCause.fromRepo!(ctx)).toEqual([]);
    const [f] = await versionsMismatchCause.fromRepo!(ctx);
    expect(f!.summary).toMatch(/different versions \(otel v1\.41\.0, .*otel\/sdk v1\.38\.0\)/);
    expect(f!.summary).toMatch(
      /otelhttp v0\.71\.0 is built against go\.opentelemetry\.io\/otel v1\.46\.0 or later, but go\.mod requires v1\.41\.0/,
    );
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({ file: 'svc/go.mod', line: 9, text: 'go.opentelemetry.io/otel/sdk v1.38.0' }),
    );
    await cleanPreview(root, f!);
    expect((f!.proposals[0]!.change as { command: string }).command).toBe(
      'go get go.opentelemetry.io/otel@v1.46.0 go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp@v1.46.0 go.opentelemetry.io/otel/sdk@v1.46.0 go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp@v0.71.0 && go mod tidy',
    );
  });

  it("Node, declared ranges only (nothing installed): two 0.x trains, aligned to the recipes' pins for its Node (engines >=22.15.0: the 3.x train)", async () => {
    const { root, ctx } = await staticContext({
      'svc/package.json': JSON.stringify(
        {
          name: 'svc',
          version: '1.0.0',
          scripts: { start: 'node --require ./tracing.js server.js' },
          dependencies: {
            '@opentelemetry/sdk-node': '^0.300.0',
            '@opentelemetry/exporter-trace-otlp-proto': '^0.223.1',
            '@opentelemetry/api': '^1.10.0',
          },
          engines: { node: '>=22.15.0' },
        },
        null,
        2,
      ),
      'svc/package-lock.json': '{}\n',
      'svc/tracing.js':
        "const { NodeSDK } = require('@opentelemetry/sdk-node');\nconst { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');\nnew NodeSDK({ traceExporter: new OTLPTraceExporter() }).start();\n",
      'svc/server.js': "require('node:http').createServer((q, r) => r.end('ok')).listen(3000);\n",
    });
    const [f] = await versionsMismatchCause.fromRepo!(ctx);
    expect(f!.summary).toMatch(
      /0\.x OpenTelemetry packages are from different releases \(0\.223: @opentelemetry\/exporter-trace-otlp-proto; 0\.300: @opentelemetry\/sdk-node\)/,
    );
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        file: 'svc/package.json',
        line: 9,
        note: '@opentelemetry/exporter-trace-otlp-proto is declared as ^0.223.1 (not installed)',
      }),
    );
    await cleanPreview(root, f!);
    expect(f!.proposals[0]!.change).toMatchObject({
      kind: 'command',
      command:
        'npm install --save-exact --no-audit --no-fund @opentelemetry/api@1.10.0 @opentelemetry/exporter-trace-otlp-proto@0.300.0 @opentelemetry/sdk-node@0.300.0',
      touches: ['svc/package.json', 'svc/package-lock.json'],
    });
    // With no node_modules at all, declared imports are not reported as missing (an install brings them).
    expect(await packagesMissingCause.fromRepo!(ctx)).toEqual([]);
  });

  it('Node, declared ranges only (nothing installed): two 0.x trains, on Node 20 (engines >=20) aligned to the 2.x train, never told to take the 3.x train that does not support its Node', async () => {
    const { root, ctx } = await staticContext({
      'svc/package.json': JSON.stringify(
        {
          name: 'svc',
          version: '1.0.0',
          scripts: { start: 'node --require ./tracing.js server.js' },
          dependencies: {
            '@opentelemetry/sdk-node': '^0.210.0',
            '@opentelemetry/exporter-trace-otlp-proto': '^0.223.1',
            '@opentelemetry/api': '^1.9.0',
          },
          engines: { node: '>=20' },
        },
        null,
        2,
      ),
      'svc/package-lock.json': '{}\n',
      'svc/tracing.js':
        "const { NodeSDK } = require('@opentelemetry/sdk-node');\nconst { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');\nnew NodeSDK({ traceExporter: new OTLPTraceExporter() }).start();\n",
      'svc/server.js': "require('node:http').createServer((q, r) => r.end('ok')).listen(3000);\n",
    });
    const [f] = await versionsMismatchCause.fromRepo!(ctx);
    expect(f!.summary).toMatch(
      /0\.x OpenTelemetry packages are from different releases \(0\.223: @opentelemetry\/exporter-trace-otlp-proto; 0\.210: @opentelemetry\/sdk-node\)/,
    );
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        file: 'svc/package.json',
        line: 9,
        note: '@opentelemetry/exporter-trace-otlp-proto is declared as ^0.223.1 (not installed)',
      }),
    );
    await cleanPreview(root, f!);
    expect(f!.proposals[0]!.change).toMatchObject({
      kind: 'command',
      command:
        'npm install --save-exact --no-audit --no-fund @opentelemetry/api@1.9.1 @opentelemetry/exporter-trace-otlp-proto@0.223.0 @opentelemetry/sdk-node@0.223.0',
      touches: ['svc/package.json', 'svc/package-lock.json'],
    });
    // With no node_modules at all, declared imports are not reported as missing (an install brings them).
    expect(await packagesMissingCause.fromRepo!(ctx)).toEqual([]);
  });
});
