/**
 * Cause 4, python-process-model, on real Python services: a venv with the SDK release the Python recipes pin, FastAPI /
 * uvicorn and Flask / gunicorn, started by the runtime run (PATH with the venv first) against the built-in receiver and
 * probed with a known traceparent. Nothing is faked.
 *
 * - FastAPI whose SDK starts under `if __name__ == "__main__":` before `uvicorn.run("main:app", reload=True)`: the
 *   reloader's child serves without an SDK, no span arrives, and the doctor names this cause (and no other).
 * - The same service with the doctor's own proposal applied: nothing found, spans arrived.
 * - Flask under `gunicorn --preload -w 2` with the SDK started at import (in the master, before fork): with the pinned
 *   SDK its spans do arrive (the batch processor re-creates its thread after fork), so the doctor claims nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/doctor/diagnose.js';
import { applyProposals } from '../../src/edit/apply.js';
import { previewProposals } from '../../src/edit/preview.js';
import { OTEL_CONTRIB_VERSION, OTEL_SDK_VERSION } from '../../src/lang/python/recipes/versions.js';
import { makeSampleRepo, removeSampleRepo, type SampleFiles } from '../helpers/sample-repo.js';
import { fixtureContext } from '../checks/runtime/node-fixture.js';
import { hasPython3, usePythonWebVenv, venvServiceEnv } from './python-venv.js';

const python = await hasPython3();
if (!python) console.warn('python3 is not installed: the python-process-model doctor tests are skipped');

const TRACING = `import os

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor


def configure_tracing():
    os.environ.setdefault("OTEL_SERVICE_NAME", "api")
    provider = TracerProvider(resource=Resource.create())
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    print("tracing started in pid %d" % os.getpid(), flush=True)
    return provider
`;

const UVICORN_MAIN = `import os

import uvicorn
from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from tracing import configure_tracing

app = FastAPI()
FastAPIInstrumentor.instrument_app(app)


@app.get("/orders")
def orders():
    return {"orders": [], "pid": os.getpid()}


if __name__ == "__main__":
    configure_tracing()
    uvicorn.run("main:app", host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), reload=True)
`;

const FLASK_APP = `import os

from flask import Flask
from opentelemetry.instrumentation.flask import FlaskInstrumentor

from tracing import configure_tracing

configure_tracing()
app = Flask(__name__)
FlaskInstrumentor().instrument_app(app)
PORT = int(os.environ.get("PORT", "8000"))


@app.get("/orders")
def orders():
    return {"orders": [], "pid": os.getpid()}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=PORT)
`;

function requirements(framework: string[]): string {
  return (
    [
      ...framework,
      `opentelemetry-sdk==${OTEL_SDK_VERSION}`,
      `opentelemetry-exporter-otlp-proto-http==${OTEL_SDK_VERSION}`,
    ].join('\n') + '\n'
  );
}

const shared = usePythonWebVenv('tg-pyvenv-', python);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function doctor(root: string) {
  const fixture = await fixtureContext(
    root,
    {},
    {
      ports: 'free',
      env: venvServiceEnv(shared.venv()),
      startTimeoutMs: 30_000,
      spanTimeoutMs: 5_000,
      settleMs: 600,
    },
  );
  cleanup.push(() => fixture.close());
  return { diagnosis: await diagnose(fixture.ctx), fixture };
}

async function repo(files: SampleFiles): Promise<string> {
  const root = await makeSampleRepo(files, { prefix: 'tg-doctor-py-' });
  cleanup.push(() => removeSampleRepo(root));
  return root;
}

describe.skipIf(!python)('trace-guide doctor: python-process-model', { timeout: 90_000 }, () => {
  it('names an SDK started under __main__ before uvicorn.run(reload=True), from the spans that never arrived; its fix makes them arrive', async () => {
    const root = await repo({
      'api/requirements.txt': requirements([
        'fastapi==0.165.0',
        'uvicorn==0.54.0',
        `opentelemetry-instrumentation-fastapi==${OTEL_CONTRIB_VERSION}`,
      ]),
      'api/tracing.py': TRACING,
      'api/main.py': UVICORN_MAIN,
    });
    const { diagnosis, fixture } = await doctor(root);
    expect(diagnosis.services).toEqual([{ id: 'api', status: 'running' }]);
    expect(diagnosis.spansArrived).toBe(0);
    // The service really ran as the fault says: uvicorn's reloader parent and its spawned child.
    expect(
      fixture
        .started()!
        .logLines('api')
        .map((l) => l.text)
        .join('\n'),
    ).toMatch(/Started reloader process/);
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['python-process-model']);
    const [f] = diagnosis.findings;
    expect(f!.service).toBe('api');
    expect(f!.confidence).toBe('high');
    expect(f!.summary).toMatch(/never starts in the process that serves requests.*reload=True/);
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({ file: 'api/main.py', line: 19, text: 'configure_tracing()' }),
    );
    expect(f!.evidence).toContainEqual(expect.objectContaining({ file: 'api/main.py', line: 20 }));
    expect(f!.evidence.map((e) => e.note).join('\n')).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/orders with traceparent 00-\w{32}-\w{16}-01 → 200: answered, yet no span arrived/,
    );

    const previews = await previewProposals(root, f!.proposals);
    expect(previews.map((p) => p.problem)).toEqual([undefined]);
    expect(previews[0]!.text).toContain('+configure_tracing()');
    expect(previews[0]!.text).toContain('-    configure_tracing()');

    // The same service fixed — by applying the doctor's proposal — is healthy: spans arrive and nothing is found.
    await fixture.close();
    const applied = await applyProposals(root, f!.proposals);
    expect(applied.results.every((r) => r.ok)).toBe(true);
    const fixed = await doctor(root);
    expect(fixed.diagnosis.findings).toEqual([]);
    expect(fixed.diagnosis.spansArrived).toBeGreaterThan(0);
  });

  it('claims nothing for gunicorn --preload with the SDK started at import: with the pinned SDK those spans do arrive', async () => {
    const root = await repo({
      'web/requirements.txt': requirements([
        'flask==3.1.3',
        'gunicorn==27.0.1',
        `opentelemetry-instrumentation-flask==${OTEL_CONTRIB_VERSION}`,
      ]),
      'web/Procfile': 'web: gunicorn --preload -w 2 -b 127.0.0.1:$PORT app:app\n',
      'web/tracing.py': TRACING,
      'web/app.py': FLASK_APP,
    });
    const { diagnosis, fixture } = await doctor(root);
    expect(diagnosis.services).toEqual([{ id: 'web', status: 'running' }]);
    const lines = fixture
      .started()!
      .logLines('web')
      .map((l) => l.text)
      .join('\n');
    // The set-up ran once, in the master, and two workers were forked from it.
    expect(lines.match(/tracing started in pid/g)).toHaveLength(1);
    expect(lines.match(/Booting worker with pid/g)).toHaveLength(2);
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.spansArrived).toBeGreaterThan(0);
  });
});
