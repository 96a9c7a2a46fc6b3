/**
 * The Node loading causes, each on a real Express service traced by the real Node SDK (installed once from npm by
 * node-sdk-install.ts): the doctor (every cause of the registry) names the one fault and no other; then the doctor's own
 * proposals are applied (and the bundle rebuilt with the real esbuild) and the doctor finds nothing, with spans from
 * the http and express instrumentations having arrived. Plus static-only readings of webpack / nx / esbuild configs
 * and ESM set-ups that start nothing.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../../src/doctor/diagnose.js';
import { bundledCodeCause, esbuildCli, nxBundling, webpackConfig } from '../../src/doctor/causes/bundled-code.js';
import { esmWithoutHookCause } from '../../src/doctor/causes/esm-without-hook.js';
import { applyProposals } from '../../src/edit/apply.js';
import { previewProposals } from '../../src/edit/preview.js';
import { freePort } from '../../src/verify/runtime/ports.js';
import type { ReceivedSpan } from '../../src/verify/receiver/span.js';
import { makeSampleRepo, removeSampleRepo, type SampleFiles } from '../helpers/sample-repo.js';
import { fixtureContext } from '../checks/runtime/node-fixture.js';
import { buildBundle, makeLoadingRepo, type LoadingFault } from './node-loading-fixture.js';
import { nodeSdkModules } from './node-sdk-install.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function doctor(root: string): Promise<{ diagnosis: Diagnosis; spans: ReceivedSpan[] }> {
  const fixture = await fixtureContext(root, {}, { ports: 'free', spanTimeoutMs: 4_000, settleMs: 500 });
  try {
    const diagnosis = await diagnose(fixture.ctx);
    return { diagnosis, spans: fixture.started()?.store.spans() ?? [] };
  } finally {
    await fixture.close();
  }
}

async function faultyRepo(fault: LoadingFault): Promise<string> {
  const root = await makeLoadingRepo(fault, await freePort());
  cleanup.push(() => removeSampleRepo(root));
  return root;
}

const scopes = (spans: ReceivedSpan[]) => [...new Set(spans.map((s) => s.scope.name))].sort();

/** Applies every proposal of the one finding (as `trace-guide doctor --fix` would), then re-runs the doctor. */
async function fixAndRerun(root: string, diagnosis: Diagnosis, rebuild = false) {
  const [finding] = diagnosis.findings;
  const outcome = await applyProposals(root, finding!.proposals, { runCommands: false });
  expect(outcome.results.map((r) => [r.ok, r.message])).toEqual(finding!.proposals.map(() => [true, undefined]));
  if (rebuild) await buildBundle(root);
  return doctor(root);
}

describe('doctor: Node loading causes on real sdk-node services', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    // First run on a clean machine: one npm install into ~/.cache/trace-guide-tests (seconds afterwards).
    await nodeSdkModules();
  }, 240_000);

  it('instrumentation-loaded-late: express required before the set-up sends nothing; --require fixes it', async () => {
    const root = await faultyRepo('late');
    const { diagnosis, spans } = await doctor(root);
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['instrumentation-loaded-late']);
    expect(spans).toEqual([]); // neither the http SERVER span nor an express span: http came in with express
    const [f] = diagnosis.findings;
    expect(f!.confidence).toBe('high');
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({ file: 'svc/server.js', line: 2, text: "const express = require('express');" }),
    );
    expect(f!.evidence).toContainEqual(expect.objectContaining({ file: 'svc/server.js', line: 3 }));
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({ file: 'svc/package.json', note: expect.stringMatching(/without --require/) }),
    );
    expect(f!.evidence.map((e) => e.note).join('\n')).toMatch(
      /GET http:\/\/[^ ]+\/hello with traceparent 00-[0-9a-f]{32}-[0-9a-f]{16}-01 → 200: no span arrived; nothing from @opentelemetry\/instrumentation-http, @opentelemetry\/instrumentation-express/,
    );
    const [preview] = await previewProposals(root, f!.proposals);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain('+    "start": "node --require ./instrumentation.js server.js"');

    const fixed = await fixAndRerun(root, diagnosis);
    expect(fixed.diagnosis.findings).toEqual([]);
    expect(fixed.diagnosis.spansArrived).toBeGreaterThan(0);
    expect(scopes(fixed.spans)).toEqual([
      '@opentelemetry/instrumentation-express',
      '@opentelemetry/instrumentation-http',
    ]);
  });

  it('esm-without-loader-hook: the http SERVER span arrives, express spans do not; module.register fixes it', async () => {
    const root = await faultyRepo('esm');
    const { diagnosis, spans } = await doctor(root);
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['esm-without-loader-hook']);
    expect(scopes(spans)).toEqual(['@opentelemetry/instrumentation-http']);
    expect(spans.find((s) => s.kind === 'server')?.name).toBe('GET'); // no route: express was not patched
    const [f] = diagnosis.findings;
    expect(f!.confidence).toBe('high');
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({ file: 'svc/package.json', text: '"type": "module",' }),
    );
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({ file: 'svc/instrumentation.js', line: 6, text: 'const sdk = new NodeSDK({' }),
    );
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({ file: 'svc/server.js', line: 1, text: "import express from 'express';" }),
    );
    expect(f!.evidence.map((e) => e.note).join('\n')).toMatch(
      /→ 200: SERVER "GET" \(@opentelemetry\/instrumentation-http\) arrived; nothing from @opentelemetry\/instrumentation-express/,
    );
    const [preview] = await previewProposals(root, f!.proposals);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain("+register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);");

    const fixed = await fixAndRerun(root, diagnosis);
    expect(fixed.diagnosis.findings).toEqual([]);
    expect(fixed.diagnosis.spansArrived).toBeGreaterThan(0);
    expect(scopes(fixed.spans)).toEqual([
      '@opentelemetry/instrumentation-express',
      '@opentelemetry/instrumentation-http',
    ]);
  });

  it('bundled-code: esbuild --bundle hides express from its instrumentation; --packages=external fixes it', async () => {
    const root = await faultyRepo('bundled');
    const { diagnosis, spans } = await doctor(root);
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['bundled-code']);
    expect(scopes(spans)).toEqual(['@opentelemetry/instrumentation-http']);
    const [f] = diagnosis.findings;
    expect(f!.confidence).toBe('high');
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        file: 'svc/package.json',
        text: expect.stringContaining('"build": "esbuild server.js --bundle'),
      }),
    );
    expect(f!.evidence).toContainEqual(expect.objectContaining({ file: 'svc/server.js', line: 2 }));
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        file: 'svc/dist/server.js',
        note: expect.stringMatching(/contains express's own code/),
      }),
    );
    expect(f!.evidence.map((e) => e.note).join('\n')).toMatch(
      /→ 200: SERVER "GET" \(@opentelemetry\/instrumentation-http\) arrived; nothing from @opentelemetry\/instrumentation-express/,
    );
    const [preview] = await previewProposals(root, f!.proposals);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain(
      '+    "build": "esbuild server.js --bundle --packages=external --platform=node --outfile=dist/server.js",',
    );

    const fixed = await fixAndRerun(root, diagnosis, true);
    expect(fixed.diagnosis.findings).toEqual([]);
    expect(fixed.diagnosis.spansArrived).toBeGreaterThan(0);
    expect(scopes(fixed.spans)).toEqual([
      '@opentelemetry/instrumentation-express',
      '@opentelemetry/instrumentation-http',
    ]);
  });
});

describe('doctor: Node loading causes read from the repo only', () => {
  async function repo(files: SampleFiles) {
    const root = await makeSampleRepo(files, { prefix: 'tg-doctor-loading-static-' });
    cleanup.push(() => removeSampleRepo(root));
    const fixture = await fixtureContext(root);
    cleanup.push(() => fixture.close());
    return { root, ctx: fixture.ctx };
  }
  const pkg = (extra: object = {}) =>
    JSON.stringify(
      {
        name: 'api',
        version: '1.0.0',
        scripts: { start: 'node dist/main.js' },
        dependencies: { express: '5.3.0', pg: '8.16.0' },
        ...extra,
      },
      null,
      2,
    );
  const app =
    "const express = require('express');\nconst { Pool } = require('pg');\nconst app = express();\napp.listen(3000);\n";
  const sdk =
    "const { NodeSDK } = require('@opentelemetry/sdk-node');\nconst { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');\nnew NodeSDK({ instrumentations: [getNodeAutoInstrumentations()] }).start();\n";

  it('reads esbuild CLI flags, webpack externals and nx options', () => {
    expect(esbuildCli('tsc && esbuild src/main.ts --bundle --platform=node --outfile=dist/main.js')).toEqual({
      external: [],
      output: 'dist/main.js',
    });
    expect(esbuildCli('esbuild src/main.ts --bundle --external:pg --external:express')).toEqual({
      external: ['pg', 'express'],
    });
    expect(esbuildCli('esbuild src/main.ts --bundle --packages=external --outfile=out.js')).toEqual({
      external: 'all',
    });
    expect(esbuildCli('esbuild src/main.ts --outfile=out.js')).toBeUndefined();
    expect(
      webpackConfig("module.exports = { target: 'node', externals: { express: 'commonjs express' } };")?.external,
    ).toEqual(['express']);
    expect(
      webpackConfig(
        "module.exports = { target: 'node', externals: ['pg', { '@nestjs/core': 'commonjs @nestjs/core' }] };",
      )?.external,
    ).toEqual(['@nestjs/core', 'pg']);
    expect(
      webpackConfig(
        "const nodeExternals = require('webpack-node-externals');\nmodule.exports = { target: 'node', externals: [nodeExternals()] };",
      )?.external,
    ).toBe('all');
    expect(webpackConfig("module.exports = { target: 'web' };")).toBeUndefined();
    expect(
      nxBundling(
        JSON.stringify({
          targets: { build: { executor: '@nx/webpack:webpack', options: { externalDependencies: 'none' } } },
        }),
      ),
    ).toEqual({ executor: '@nx/webpack:webpack', external: [] });
    expect(
      nxBundling(JSON.stringify({ targets: { build: { executor: '@nx/webpack:webpack', options: {} } } })),
    ).toBeUndefined();
    expect(
      nxBundling(
        JSON.stringify({
          targets: { build: { executor: '@nx/esbuild:esbuild', options: { thirdParty: true, external: ['pg'] } } },
        }),
      ),
    ).toEqual({ executor: '@nx/esbuild:esbuild', external: ['pg'] });
    expect(
      nxBundling(
        JSON.stringify({ targets: { build: { executor: '@nx/esbuild:esbuild', options: { bundle: true } } } }),
      ),
    ).toBeUndefined();
  });

  it('bundled-code from a webpack config without externals, with an externals edit that previews cleanly', async () => {
    const { root, ctx } = await repo({
      'package.json': pkg(),
      'main.js': app,
      'tracing.js': sdk,
      'webpack.config.js':
        "module.exports = {\n  entry: './main.js',\n  target: 'node',\n  output: { filename: 'main.js' },\n};\n",
    });
    const findings = await bundledCodeCause.fromRepo!(ctx);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.summary).toMatch(/webpack bundles express, pg/);
    expect(findings[0]!.evidence[0]).toMatchObject({ file: 'webpack.config.js', line: 3 });
    const [preview] = await previewProposals(root, findings[0]!.proposals);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain("+  externals: { express: 'commonjs express', pg: 'commonjs pg' },");
  });

  it('bundled-code from nx: externalDependencies "none" bundles; the default ("all") does not', async () => {
    const project = (deps?: string) =>
      JSON.stringify(
        {
          name: 'api',
          targets: {
            build: {
              executor: '@nx/webpack:webpack',
              options: { main: 'main.js', ...(deps ? { externalDependencies: deps } : {}) },
            },
          },
        },
        null,
        2,
      );
    const bad = await repo({
      'package.json': pkg(),
      'main.js': app,
      'tracing.js': sdk,
      'project.json': project('none'),
    });
    const findings = await bundledCodeCause.fromRepo!(bad.ctx);
    expect(findings.map((f) => f.evidence[0]?.file)).toEqual(['project.json']);
    const [preview] = await previewProposals(bad.root, findings[0]!.proposals);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain('+        "externalDependencies": "all"');
    const good = await repo({ 'package.json': pkg(), 'main.js': app, 'tracing.js': sdk, 'project.json': project() });
    expect(await bundledCodeCause.fromRepo!(good.ctx)).toEqual([]);
  });

  it('bundled-code from an esbuild build script: packages external is proposed; none when only the SDK is bundled', async () => {
    const build =
      "import { build } from 'esbuild';\nawait build({\n  entryPoints: ['main.js'],\n  bundle: true,\n  platform: 'node',\n  outfile: 'dist/main.js',\n});\n";
    const { root, ctx } = await repo({ 'package.json': pkg(), 'main.js': app, 'tracing.js': sdk, 'build.mjs': build });
    const [f, ...rest] = await bundledCodeCause.fromRepo!(ctx);
    expect(rest).toEqual([]);
    expect(f!.confidence).toBe('medium'); // the start script runs dist/main.js, the bundle's output
    const [preview] = await previewProposals(root, f!.proposals);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain("+  packages: 'external',");
    // Without an instrumentation registered for them, bundling express and pg loses nothing.
    const plain = await repo({
      'package.json': pkg(),
      'main.js': app,
      'tracing.js': "const { NodeSDK } = require('@opentelemetry/sdk-node');\nnew NodeSDK({}).start();\n",
      'build.mjs': build,
    });
    expect(await bundledCodeCause.fromRepo!(plain.ctx)).toEqual([]);
  });

  it('esm-without-loader-hook: an .mjs entry is ESM too; not reported with the hook or auto-instrumentations-node/register', async () => {
    const esmSdk =
      "import { NodeSDK } from '@opentelemetry/sdk-node';\nimport { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';\nnew NodeSDK({ instrumentations: [getNodeAutoInstrumentations()] }).start();\n";
    const files = (start: string, setup: string, type = true): SampleFiles => ({
      'package.json': JSON.stringify(
        { name: 'api', version: '1.0.0', ...(type ? { type: 'module' } : {}), scripts: { start } },
        null,
        2,
      ),
      'server.mjs': "import express from 'express';\nexpress().listen(3000);\n",
      'telemetry.mjs': setup,
    });
    const faulty = await repo(files('node --import ./telemetry.mjs server.mjs', esmSdk));
    const [f] = await esmWithoutHookCause.fromRepo!(faulty.ctx);
    expect(f).toMatchObject({ cause: 'esm-without-loader-hook', confidence: 'medium' });
    const [preview] = await previewProposals(faulty.root, f!.proposals);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain("+import { register } from 'node:module';");
    const mjs = await repo(files('node --import ./telemetry.mjs server.mjs', esmSdk, false));
    const [m] = await esmWithoutHookCause.fromRepo!(mjs.ctx);
    expect(m?.evidence[0]).toMatchObject({ file: 'package.json', note: 'the entry is an .mjs ES module' });
    const hooked = await repo(
      files(
        'node --import ./telemetry.mjs server.mjs',
        `import { register } from 'node:module';\nregister('@opentelemetry/instrumentation/hook.mjs', import.meta.url);\n${esmSdk}`,
      ),
    );
    expect(await esmWithoutHookCause.fromRepo!(hooked.ctx)).toEqual([]);
    const loader = await repo(
      files(
        'node --experimental-loader=@opentelemetry/instrumentation/hook.mjs --import ./telemetry.mjs server.mjs',
        esmSdk,
      ),
    );
    expect(await esmWithoutHookCause.fromRepo!(loader.ctx)).toEqual([]);
    const agent = await repo(
      files('node --import @opentelemetry/auto-instrumentations-node/register server.mjs', esmSdk),
    );
    expect(await esmWithoutHookCause.fromRepo!(agent.ctx)).toEqual([]);
  });
});
