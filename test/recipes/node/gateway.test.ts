/** The bundled demo's gateway (Express, CommonJS, console logging, global fetch): every Node step on a copy of it. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';
import { planIn, snapshot } from '../../helpers/recipe-harness.js';
import {
  planNode,
  applyAllSteps,
  copyGateway,
  expectIdempotent,
  expectUndoRestores,
  ids,
  nodeCheck,
  packageJson,
} from './node-harness.js';

const dirs: string[] = [];
async function gateway(): Promise<string> {
  const dir = await makeSampleRepo({});
  dirs.push(dir);
  await copyGateway(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeSampleRepo));
});

describe('demo gateway (Express CJS)', () => {
  test('step 2 proposes pinned deps, npm install, tracing.cjs and the --require flag', async () => {
    const dir = await gateway();
    const plan = await planIn(dir, 'auto-instrumentation', {}, { tools: ['npm'] });
    expect(ids(plan.proposals)).toEqual([
      'gateway:otel-dependencies',
      'gateway:install-otel',
      'gateway:tracing-setup',
      'gateway:load-tracing',
    ]);
    const install = plan.proposals[1]!.change;
    expect(install).toMatchObject({ kind: 'command', cwd: '.', touches: ['package.json', 'package-lock.json'] });
    // The gateway's engines.node is ">=20": the 2.x train (the 3.x train declares engines.node ">=22.15.0").
    expect(install.kind === 'command' && install.command).toContain(
      'npm install --save-exact --no-audit --no-fund @opentelemetry/api@1.9.1 @opentelemetry/sdk-node@0.223.0',
    );
    const deps = plan.proposals[0]!;
    expect(deps.why).toContain(
      'OpenTelemetry JS 2.x train for Node >=20 (package.json engines.node); 3.x needs Node >=22.15.0',
    );
    const setup = plan.proposals[2]!.change;
    expect(setup.kind === 'create' && setup.path).toBe('tracing.cjs');
    const text = setup.kind === 'create' ? setup.content : '';
    expect(text).toContain("process.env.OTEL_SERVICE_NAME ??= 'gateway';");
    expect(text).toContain("process.env.OTEL_EXPORTER_OTLP_ENDPOINT ??= 'http://localhost:4318';");
    expect(text).toContain('resourceFromAttributes({\n    [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME,\n');
    // Score RES-001 / RES-007: a per-process service.instance.id (the serviceinstance detector, before env so
    // OTEL_RESOURCE_ATTRIBUTES still wins) and a deployment.environment.name default the environment overrides.
    expect(text).toContain("process.env.OTEL_NODE_RESOURCE_DETECTORS ??= 'host,process,serviceinstance,env';");
    expect(text).toContain("[ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: 'development',");
    expect(text).toContain(
      "const { ATTR_SERVICE_NAME, ATTR_DEPLOYMENT_ENVIRONMENT_NAME } = require('@opentelemetry/semantic-conventions');",
    );
    // Installed with on(), not once(): a second SIGTERM relayed by a wrapper (tsx) must not end the flush.
    expect(text).toContain("process.on('SIGTERM', onStopSignal);");
    expect(text).toContain("process.removeListener('SIGTERM', onStopSignal);");
    expect(text).not.toMatch(/new Resource\(/);
  });

  test('without npm on PATH the install is a note, not a command', async () => {
    const dir = await gateway();
    const plan = await planIn(dir, 'auto-instrumentation', {}, { tools: [] });
    const install = plan.proposals.find((p) => p.id === 'gateway:install-otel');
    expect(install?.change.kind).toBe('note');
  });

  test('grpc protocol picks the grpc exporter and port 4317', async () => {
    const dir = await gateway();
    const plan = await planIn(dir, 'auto-instrumentation', { 'otlp-protocol': 'grpc' }, { tools: ['npm'] });
    const deps = plan.proposals[0]!.change;
    expect(deps.kind === 'edit' && deps.edits[0]!.new).toContain('@opentelemetry/exporter-trace-otlp-grpc');
    const setup = plan.proposals.find((p) => p.id === 'gateway:tracing-setup')!.change;
    expect(setup.kind === 'create' && setup.content).toContain("OTEL_EXPORTER_OTLP_PROTOCOL ??= 'grpc'");
    expect(setup.kind === 'create' && setup.content).toContain('http://localhost:4317');
  });

  test('all steps apply, the JavaScript parses, package.json stays valid, re-planning is empty, undo restores the bytes', async () => {
    const dir = await gateway();
    const before = await snapshot(dir);
    const inputs = { 'tail-sampling': 'none', 'sampling-percent': 25, 'business-attributes': 'app.order.sku' };
    const run = await applyAllSteps(dir, inputs);

    for (const file of ['server.js', 'tracing.cjs', 'with-span.cjs', 'log-correlation.cjs']) nodeCheck(dir, file);
    const pkg = await packageJson(dir);
    expect(pkg.scripts?.start).toBe('node --require ./tracing.cjs server.js');
    expect(pkg.dependencies?.['@opentelemetry/sdk-node']).toBe('0.223.0');
    expect(pkg.dependencies?.express).toBe('^4.21.2');

    const server = await readFile(path.join(dir, 'server.js'), 'utf8');
    expect(server).toContain("const { withSpan } = require('./with-span.cjs');");
    expect(server).toContain("return await withSpan('checkout', { 'app.order.sku': req.params.sku }, async () => {");
    expect(server.match(/withSpan\('/g)).toHaveLength(3); // few spans: checkout, summary, fail — not /health
    const setup = await readFile(path.join(dir, 'tracing.cjs'), 'utf8');
    expect(setup).toContain(
      "process.env.OTEL_TRACES_SAMPLER ??= 'parentbased_traceidratio';\nprocess.env.OTEL_TRACES_SAMPLER_ARG ??= '0.25';",
    );
    expect(setup).toContain("require('./log-correlation.cjs');");
    expect(ids(run.plans.propagation)).toEqual(['gateway:http-propagation', 'gateway:async-context']);

    await expectIdempotent(dir, inputs);
    await expectUndoRestores(dir, before, run.writes);
  });

  test('with tail sampling the set-up keeps parentbased_always_on and says the Collector samples', async () => {
    const dir = await gateway();
    const run = await applyAllSteps(dir, { 'tail-sampling': 'errors' });
    expect(run.plans.sampling ?? []).toEqual([]);
    const setup = await readFile(path.join(dir, 'tracing.cjs'), 'utf8');
    expect(setup).toContain("OTEL_TRACES_SAMPLER ??= 'parentbased_always_on'");
    // Changing the answer later edits the generated file.
    const proposals = await planNode(dir, 'sampling', { 'tail-sampling': 'none', 'sampling-percent': 5 });
    expect(proposals[0]?.change).toMatchObject({ kind: 'edit', path: 'tracing.cjs' });
  });

  test('the log-correlation wrapper writes a 32-hex trace id and 16-hex span id inside a span', async () => {
    const dir = await gateway();
    await applyAllSteps(dir);
    // Run the generated module against a stand-in for @opentelemetry/api that reports one active span (no SDK installed
    // in the test); this proves the line format, not the SDK.
    const { writeFiles } = await import('../../helpers/sample-repo.js');
    await writeFiles(dir, {
      'node_modules/@opentelemetry/api/package.json': '{"name":"@opentelemetry/api","main":"index.js"}',
      'node_modules/@opentelemetry/api/index.js':
        "const ctx = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };\n" +
        'module.exports = { trace: { getActiveSpan: () => ({ spanContext: () => ctx }) }, isSpanContextValid: () => true };\n',
    });
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, ['-e', "require('./log-correlation.cjs'); console.log('hello')"], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(out.trim()).toMatch(/^hello trace_id=[0-9a-f]{32} span_id=[0-9a-f]{16}$/);
  });
});
