/**
 * The bundled demo's orders service (Flask + requests, started by `python app.py` from a Procfile), copied into a temp
 * repo: every step 2–6 plans, applies, byte-compiles, re-plans to nothing, and undoes to the original bytes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { planIn, snapshot, undoIn } from '../../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';
import { applySteps, byKind, createdText, demoOrdersFiles, STEPS_2_TO_6 } from './python-sample.js';
import { withNoActiveVenv } from '../../helpers/no-active-venv.js';

// Where pip installs depends on whether a virtual environment is active (recipes/python/python-env.ts): plan with none.
withNoActiveVenv();

let root: string | undefined;
afterEach(async () => {
  if (root) await removeSampleRepo(root);
  root = undefined;
});

const INPUTS = {
  'business-attributes': 'app.order.id, app.order.sku',
  'tail-sampling': 'none',
  'sampling-percent': 25,
};

describe('python recipes on the demo orders service', () => {
  test('step 2 proposes pinned packages, the set-up module and its start beside the Flask app', async () => {
    root = await makeSampleRepo(await demoOrdersFiles());
    const { proposals } = await planIn(root, 'auto-instrumentation', {}, { tools: ['pip', 'python3'] });
    const mine = proposals.filter((p) => p.service === 'orders').filter((p) => !p.id.endsWith('-venv'));
    expect(mine.map((p) => p.id)).toEqual([
      'orders:otel-packages',
      'orders:otel-packages-install',
      'orders:otel-setup',
      'orders:start-sdk',
    ]);
    const deps = mine[0]!.change;
    expect(deps.kind === 'edit' && deps.edits[0]!.new).toContain(
      'opentelemetry-instrumentation-flask==0.66b1\nopentelemetry-instrumentation-requests==0.66b1\n',
    );
    // No virtual environment in the repo and none active: a new orders/.venv is proposed first, and pip runs from it.
    expect(proposals.find((p) => p.id === 'orders:otel-packages-venv')!.change).toMatchObject({
      kind: 'command',
      command: 'python3 -m venv .venv',
      cwd: 'orders',
    });
    expect(mine[1]!.change).toMatchObject({
      kind: 'command',
      command: '.venv/bin/python -m pip install -r requirements.txt',
      cwd: 'orders',
    });
    expect(mine[1]!.after).toEqual(['orders:otel-packages', 'orders:otel-packages-venv']);
    const setup = createdText(mine, 'orders/otel_setup.py');
    expect(setup).toContain('os.environ.setdefault("OTEL_SERVICE_NAME", "orders")');
    expect(setup).toContain('os.environ.setdefault("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318")');
    expect(setup).toContain('os.environ.setdefault("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")');
    expect(setup).toContain('atexit.register(_provider.shutdown)');
    // Score RES-007: deployment.environment.name defaults to development, merged under Resource.create() so
    // OTEL_RESOURCE_ATTRIBUTES wins; Resource.create() itself adds service.instance.id (RES-001) in the pinned SDK.
    expect(setup).toContain(
      'from opentelemetry.semconv.attributes.deployment_attributes import DEPLOYMENT_ENVIRONMENT_NAME',
    );
    expect(setup).toContain(
      'defaults = Resource({DEPLOYMENT_ENVIRONMENT_NAME: "development"})\n    _provider = TracerProvider(resource=defaults.merge(Resource.create()))\n',
    );
    expect(setup).toContain('RequestsInstrumentor().instrument()');
    expect(setup).not.toContain('{{');
    const start = mine[3]!.change;
    expect(start.kind === 'edit' && start.edits[0]).toEqual({
      old: 'app = Flask(__name__)\n',
      new: expect.stringContaining('configure_tracing()\ninstrument_flask(app)\n'),
    });
  });

  test('without python3 on PATH, creating the virtual environment becomes a note naming python3', async () => {
    root = await makeSampleRepo(await demoOrdersFiles());
    const { proposals } = await planIn(root, 'auto-instrumentation', {}, { tools: [] });
    const venv = proposals.find((p) => p.id === 'orders:otel-packages-venv')!;
    expect(venv.change.kind).toBe('note');
    expect(venv.change.kind === 'note' && venv.change.text).toMatch(
      /python3 is not installed.*python3 -m venv \.venv/s,
    );
  });

  test('with a virtual environment active where trace-guide runs (and none in the repo), pip must refuse to run without one', async () => {
    root = await makeSampleRepo(await demoOrdersFiles());
    const saved = process.env.VIRTUAL_ENV;
    process.env.VIRTUAL_ENV = '/somewhere/else/venv';
    try {
      const { proposals } = await planIn(root, 'auto-instrumentation', {}, { tools: ['pip', 'python3'] });
      expect(proposals.some((p) => p.id === 'orders:otel-packages-venv')).toBe(false);
      expect(proposals.find((p) => p.id === 'orders:otel-packages-install')!.change).toMatchObject({
        kind: 'command',
        command: 'pip install --require-virtualenv -r requirements.txt',
        cwd: 'orders',
      });
    } finally {
      if (saved === undefined) delete process.env.VIRTUAL_ENV;
      else process.env.VIRTUAL_ENV = saved;
    }
  });

  test('steps 2–6 apply, compile, re-plan to nothing, and undo to the exact bytes', async () => {
    root = await makeSampleRepo(await demoOrdersFiles());
    const before = await snapshot(root);
    const { writes, proposals } = await applySteps(root, 'orders', STEPS_2_TO_6, INPUTS);

    const app = await readFile(path.join(root, 'orders/app.py'), 'utf8');
    // Step 3: business spans as with-blocks, the caught inventory error recorded, attributes from the input.
    expect(app).toContain('tracer = trace.get_tracer(__name__)');
    expect(app).toContain(
      '    with tracer.start_as_current_span("create_order") as span:\n        payload = request.get_json',
    );
    expect(app).toContain(
      '    with tracer.start_as_current_span("charge_card") as span:\n        span.set_attribute("app.order.id", order_id)',
    );
    expect(app).toMatch(
      /except requests\.RequestException as exc:\n {12}span\.record_exception\(exc\)\n {12}span\.set_status\(StatusCode\.ERROR, str\(exc\)\)/,
    );
    expect(app).toContain('span.set_attribute("app.order.sku", sku)');
    expect(app.match(/start_as_current_span\(/g)).toHaveLength(2); // few spans: not one per function
    // Step 6: the log format prints the ids.
    expect(app).toContain(
      'format="%(asctime)s %(levelname)s %(name)s trace_id=%(otelTraceID)s span_id=%(otelSpanID)s %(message)s"',
    );

    const setup = await readFile(path.join(root, 'orders/otel_setup.py'), 'utf8');
    // Step 5: parent-based ratio from the percentage; Step 6: LogRecord fields.
    expect(setup).toContain(
      'os.environ.setdefault("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")\nos.environ.setdefault("OTEL_TRACES_SAMPLER_ARG", "0.25")\n',
    );
    expect(setup).toContain('LoggingInstrumentor().instrument(inject_trace_context=True, set_logging_format=False)');
    expect(proposals.propagation).toEqual([]); // requests is already instrumented, no queues, no thread hand-offs

    const requirements = await readFile(path.join(root, 'orders/requirements.txt'), 'utf8');
    expect(requirements.match(/^opentelemetry-/gm)).toHaveLength(5);

    for (const step of STEPS_2_TO_6) {
      const again = await planIn(root, step, INPUTS, { tools: ['pip'] });
      expect(
        again.proposals.filter((p) => p.service === 'orders'),
        `re-planning ${step}`,
      ).toEqual([]);
    }

    await undoIn(root, writes);
    expect(await snapshot(root)).toEqual(before);
  });

  test('tail sampling keeps the services at parentbased_always_on', async () => {
    root = await makeSampleRepo(await demoOrdersFiles());
    await applySteps(root, 'orders', ['auto-instrumentation']);
    const { proposals } = await planIn(root, 'sampling', { 'tail-sampling': 'errors' }, { tools: ['pip'] });
    expect(proposals.filter((p) => p.service === 'orders')).toEqual([]);
    const ratio = await planIn(
      root,
      'sampling',
      { 'tail-sampling': 'none', 'sampling-percent': 10 },
      { tools: ['pip'] },
    );
    expect(byKind(ratio.proposals, 'edit').map((p) => p.id)).toEqual(['orders:head-sampler']);
  });

  test('grpc picks the gRPC exporter package', async () => {
    root = await makeSampleRepo(await demoOrdersFiles());
    const { proposals } = await planIn(root, 'auto-instrumentation', { 'otlp-protocol': 'grpc' }, { tools: ['pip'] });
    const deps = proposals.find((p) => p.id === 'orders:otel-packages')!.change;
    expect(deps.kind === 'edit' && deps.edits[0]!.new).toContain('opentelemetry-exporter-otlp-proto-grpc==1.45.1');
    expect(createdText(proposals, 'orders/otel_setup.py')).toContain(
      '"OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317"',
    );
  });
});
