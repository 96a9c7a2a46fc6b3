/**
 * Services that already trace: OpenTelemetry by hand or through the opentelemetry-instrument wrapper (no second SDK,
 * env-var notes for the steps that would edit our set-up), and OpenTracing / jaeger-client / ddtrace (a migration note,
 * never a second tracer). Plus the propagation notes for queues and threads, and structlog.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { planIn } from '../../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';
import { applySteps, pyCompile } from './python-sample.js';
import { withNoActiveVenv } from '../../helpers/no-active-venv.js';

// Where pip installs depends on whether a virtual environment is active (recipes/python/python-env.ts): plan with none.
withNoActiveVenv();

let root: string | undefined;
afterEach(async () => {
  if (root) await removeSampleRepo(root);
  root = undefined;
});

const APP =
  'import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\nORDERS = []\n\n\n@app.post("/orders")\ndef create_order():\n    ORDERS.append("order")\n    return "ok"\n';

const mineOf = async (step: Parameters<typeof planIn>[1], inputs = {}) =>
  (await planIn(root!, step, inputs, { tools: ['pip'] })).proposals.filter((p) => p.service === 'svc');

describe('python services with tracing already in place', () => {
  test('the opentelemetry-instrument wrapper: no second SDK; sampling and log correlation as env-var notes', async () => {
    root = await makeSampleRepo({
      'svc/requirements.txt': 'flask==3.1.0\nopentelemetry-distro==0.66b1\n',
      'svc/Procfile': 'web: opentelemetry-instrument python app.py\n',
      'svc/app.py': `${APP}\n\nif __name__ == "__main__":\n    app.run()\n`,
    });
    expect(await mineOf('auto-instrumentation')).toEqual([]);
    const sampling = await mineOf('sampling', { 'tail-sampling': 'none' });
    expect(sampling.map((p) => p.change.kind)).toEqual(['note']);
    expect(sampling[0]!.change.kind === 'note' && sampling[0]!.change.text).toContain(
      'OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1',
    );
    const correlation = await mineOf('correlation');
    expect(correlation[0]!.change.kind === 'note' && correlation[0]!.change.text).toContain(
      'OTEL_PYTHON_LOG_CORRELATION=true',
    );
    // Manual spans work with the wrapper's SDK.
    const spans = await mineOf('manual-spans');
    expect(spans.map((p) => p.id)).toEqual(['svc:spans:svc/app.py']);
  });

  test('OpenTelemetry set up by hand in the code is left alone', async () => {
    root = await makeSampleRepo({
      'svc/requirements.txt': 'flask==3.1.0\nopentelemetry-sdk==1.45.1\n',
      'svc/app.py': `from opentelemetry import trace\n${APP}`,
    });
    expect(await mineOf('auto-instrumentation')).toEqual([]);
  });

  test('packages listed but never started: the set-up is proposed, the listed packages are not added again', async () => {
    root = await makeSampleRepo({
      'svc/requirements.txt': 'flask==3.1.0\nopentelemetry-distro==0.66b1\n',
      'svc/app.py': APP,
    });
    const step2 = await mineOf('auto-instrumentation');
    expect(step2.map((p) => p.id)).toEqual([
      'svc:otel-packages',
      'svc:otel-packages-venv',
      'svc:otel-packages-install',
      'svc:otel-setup',
      'svc:start-sdk',
    ]);
    const deps = step2[0]!.change;
    expect(deps.kind === 'edit' && deps.edits[0]!.new).toBe(
      'flask==3.1.0\nopentelemetry-distro==0.66b1\nopentelemetry-exporter-otlp-proto-http==1.45.1\nopentelemetry-instrumentation-flask==0.66b1\n',
    );
  });

  test('manual spans before the SDK is there: a note pointing back to step 2', async () => {
    root = await makeSampleRepo({ 'svc/requirements.txt': 'flask==3.1.0\n', 'svc/app.py': APP });
    const spans = await mineOf('manual-spans');
    expect(spans.map((p) => [p.id, p.change.kind])).toEqual([['svc:spans-need-sdk', 'note']]);
  });

  test.each([
    [
      'jaeger-client',
      { 'svc/requirements.txt': 'flask==3.1.0\njaeger-client==4.8.0\n', 'svc/app.py': `import jaeger_client\n${APP}` },
    ],
    [
      'opentracing',
      { 'svc/requirements.txt': 'flask==3.1.0\nopentracing==2.4.0\n', 'svc/app.py': `import opentracing\n${APP}` },
    ],
    [
      'ddtrace',
      {
        'svc/requirements.txt': 'flask==3.1.0\nddtrace==2.0.0\n',
        'svc/Procfile': 'web: ddtrace-run python app.py\n',
        'svc/app.py': APP,
      },
    ],
  ])('%s gets a migration note and no second tracer in any step', async (tracer, files) => {
    root = await makeSampleRepo(files);
    const step2 = await mineOf('auto-instrumentation');
    expect(step2.map((p) => [p.id, p.change.kind])).toEqual([['svc:migrate-tracer', 'note']]);
    expect(step2[0]!.change.kind === 'note' && step2[0]!.change.text).toContain(tracer);
    for (const step of ['manual-spans', 'propagation', 'sampling', 'correlation'] as const)
      expect(await mineOf(step), step).toEqual([]);
  });
});

describe('python propagation beyond HTTP', () => {
  test('Kafka producers/consumers, thread pools and structlog get notes with working snippets', async () => {
    root = await makeSampleRepo({
      'svc/requirements.txt': 'flask==3.1.0\nkafka-python==2.0.2\nstructlog==24.4.0\n',
      'svc/app.py': `from concurrent.futures import ThreadPoolExecutor\n\nimport structlog\nfrom kafka import KafkaProducer\n${APP}\npool = ThreadPoolExecutor(4)\n`,
    });
    await applySteps(root, 'svc', ['auto-instrumentation']);
    const notes = await mineOf('propagation');
    expect(notes.map((p) => p.id)).toEqual(['svc:queue-context:kafka-python', 'svc:thread-context:svc/app.py']);
    const kafka = notes[0]!.change.kind === 'note' ? notes[0]!.change.text : '';
    expect(kafka).toContain('inject(carrier)');
    expect(kafka).toContain('context=extract(carrier), kind=SpanKind.CONSUMER');
    expect(kafka).toContain('"messaging.destination.name"');
    expect(notes[1]!.change.kind === 'note' && notes[1]!.change.text).toContain('contextvars.copy_context().run');
    const correlation = await mineOf('correlation');
    const structlogNote = correlation.find((p) => p.id === 'svc:structlog-trace-ids')!;
    expect(structlogNote.change.kind === 'note' && structlogNote.change.text).toContain(
      'trace.format_trace_id(ctx.trace_id)',
    );
  });

  test('the snippets in the notes are valid Python', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'py-snippets-'));
    const templates = path.resolve(
      import.meta.dirname,
      '../../../skills/instrument-distributed-tracing/templates/python',
    );
    const names = [
      'kafka-python-propagation.py',
      'confluent-kafka-propagation.py',
      'pika-propagation.py',
      'thread-context.py',
      'structlog-processor.py',
      'loguru-patcher.py',
    ];
    for (const name of names) await writeFile(path.join(dir, name), await readFile(path.join(templates, name), 'utf8'));
    try {
      await pyCompile(dir, names);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
