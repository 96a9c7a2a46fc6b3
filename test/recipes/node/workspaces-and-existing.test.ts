/** Package managers and workspaces; services that already trace (OpenTelemetry by hand, dd-trace). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeSampleRepo, removeSampleRepo, type SampleFiles } from '../../helpers/sample-repo.js';
import { applyAllSteps, changes, ids, packageJson, planNode } from './node-harness.js';

const dirs: string[] = [];
async function repo(files: SampleFiles): Promise<string> {
  const dir = await makeSampleRepo(files);
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeSampleRepo));
});

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
const api = (name: string, deps: Record<string, string> = {}) =>
  json({ name, version: '1.0.0', scripts: { start: 'node index.js' }, dependencies: { express: '^5.1.0', ...deps } });
const index = "const express = require('express');\nexpress().listen(3000);\n";

function command(proposals: Awaited<ReturnType<typeof planNode>>, id: string) {
  const change = proposals.find((p) => p.id === id)?.change;
  if (change?.kind !== 'command') throw new Error(`${id} is not a command: ${JSON.stringify(change)}`);
  return change;
}

describe('package managers', () => {
  test('pnpm workspace: pnpm add --filter <name> at the workspace root; workspace:* is kept', async () => {
    const dir = await repo({
      'package.json': json({ name: 'mono', private: true }),
      'pnpm-workspace.yaml': "packages:\n  - 'services/*'\n",
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'services/api/package.json': api('@acme/api', { '@acme/shared': 'workspace:*' }),
      'services/api/index.js': index,
    });
    const proposals = await planNode(dir, 'auto-instrumentation');
    const install = command(proposals, 'services/api:install-otel');
    expect(install.cwd).toBe('.');
    expect(install.command).toMatch(/^pnpm add --save-exact --filter @acme\/api @opentelemetry\/api@1\.10\.0 /);
    expect(install.touches).toEqual(['services/api/package.json', 'pnpm-lock.yaml']);
    await applyAllSteps(dir);
    const pkg = await packageJson(dir, 'services/api/package.json');
    expect(pkg.dependencies?.['@acme/shared']).toBe('workspace:*');
    expect(pkg.dependencies?.['@opentelemetry/sdk-node']).toBe('0.300.0');
  });

  test('npm workspaces: npm install -w <name> at the root, lockfile at the root', async () => {
    const dir = await repo({
      'package.json': json({ name: 'mono', private: true, workspaces: ['apps/*'] }),
      'package-lock.json': '{}\n',
      'apps/web/package.json': api('web'),
      'apps/web/index.js': index,
    });
    const install = command(await planNode(dir, 'auto-instrumentation'), 'apps/web:install-otel');
    expect(install).toMatchObject({ cwd: '.', touches: ['apps/web/package.json', 'package-lock.json'] });
    expect(install.command).toMatch(/^npm install --save-exact --no-audit --no-fund -w web /);
  });

  test('the packageManager field wins; yarn outside a workspace', async () => {
    const dir = await repo({
      'package.json': json({ ...JSON.parse(api('shop')), packageManager: 'yarn@4.5.0' }),
      'index.js': index,
    });
    const install = command(await planNode(dir, 'auto-instrumentation'), 'shop:install-otel');
    expect(install.command).toMatch(/^yarn add --exact /);
    expect(install.touches).toEqual(['package.json', 'yarn.lock']);
  });

  test('two disagreeing lockfiles: no install command, a note that asks to pick one', async () => {
    const dir = await repo({
      'package.json': api('shop'),
      'package-lock.json': '{}\n',
      'yarn.lock': '# yarn\n',
      'index.js': index,
    });
    const proposals = await planNode(dir, 'auto-instrumentation');
    const install = proposals.find((p) => p.id === 'shop:install-otel');
    expect(install?.change.kind).toBe('note');
    expect(install?.change.kind === 'note' && install.change.text).toContain('package-lock.json, yarn.lock');
    expect(proposals.some((p) => p.change.kind === 'command')).toBe(false);
  });

  test('a package.json without dependencies gets the field; it stays valid JSON', async () => {
    const dir = await repo({
      'package.json': json({ name: 'bare', version: '1.0.0', scripts: { start: 'node index.js' } }),
      'index.js': "require('http').createServer().listen(1);\n",
    });
    await applyAllSteps(dir);
    const pkg = await packageJson(dir);
    expect(Object.keys(pkg.dependencies ?? {})).toContain('@opentelemetry/auto-instrumentations-node');
  });
});

describe('existing tracing', () => {
  test('OpenTelemetry set up by hand: step 2 proposes nothing', async () => {
    const dir = await repo({
      'package.json': json({
        name: 'own',
        scripts: { start: 'node --require ./otel.js index.js' },
        dependencies: { express: '^5.1.0', '@opentelemetry/sdk-node': '0.300.0' },
      }),
      'otel.js': "const { NodeSDK } = require('@opentelemetry/sdk-node');\nnew NodeSDK({}).start();\n",
      'index.js': "require('./otel.js');\n" + index,
    });
    expect(await planNode(dir, 'auto-instrumentation')).toEqual([]);
    const sampling = await planNode(dir, 'sampling', { 'tail-sampling': 'none' });
    expect(changes(sampling)).toEqual([]);
    expect(sampling[0]?.change.kind === 'note' && sampling[0].change.text).toContain(
      'OTEL_TRACES_SAMPLER=parentbased_traceidratio',
    );
  });

  test('preloaded auto-instrumentations register module: nothing added', async () => {
    const dir = await repo({
      'package.json': json({
        name: 'reg',
        scripts: { start: 'node --require @opentelemetry/auto-instrumentations-node/register index.js' },
        dependencies: { express: '^5.1.0', '@opentelemetry/auto-instrumentations-node': '0.82.0' },
      }),
      'index.js': index,
    });
    expect(await planNode(dir, 'auto-instrumentation')).toEqual([]);
  });

  test('dd-trace: a migration note and no second tracer in any step', async () => {
    const dir = await repo({
      'package.json': json({
        name: 'legacy',
        scripts: { start: 'node -r dd-trace/init index.js' },
        dependencies: { express: '^5.1.0', 'dd-trace': '^5.0.0' },
      }),
      'index.js': "require('dd-trace').init();\n" + index,
    });
    const run = await applyAllSteps(dir);
    expect(ids(run.plans['auto-instrumentation'])).toEqual(['legacy:migrate-tracer']);
    const text = run.plans['auto-instrumentation']![0]!.change;
    expect(text.kind === 'note' && text.text).toContain('Datadog Agent');
    for (const step of ['manual-spans', 'propagation', 'sampling', 'correlation'] as const)
      expect(run.plans[step]).toEqual([]);
    expect(await readFile(path.join(dir, 'package.json'), 'utf8')).not.toContain('@opentelemetry');
  });
});
