/** The Node recipe pins the OpenTelemetry JS release train whose engines.node accepts the Node the service runs on. */
import { afterEach, describe, expect, test } from 'vitest';
import { makeSampleRepo, removeSampleRepo, type SampleFiles } from '../../helpers/sample-repo.js';
import { planIn } from '../../helpers/recipe-harness.js';
import { enginesRange, nodeLineRange } from '../../../src/lang/node/recipes/node-runtime.js';
import { trainForRuntime } from '../../../src/lang/node/recipes/release-train.js';

const dirs: string[] = [];
async function repo(files: SampleFiles): Promise<string> {
  const dir = await makeSampleRepo(files);
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeSampleRepo));
});

const index = "const express = require('express');\nexpress().listen(3000);\n";
const pkg = (extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ name: 'api', version: '1.0.0', scripts: { start: 'node index.js' }, dependencies: { express: '^5.1.0' }, ...extra }, null, 2)}\n`;

/** The step-2 dependency proposal: its why line and the versions it adds. */
async function depsFor(files: SampleFiles, machineNode?: string) {
  const dir = await repo({ 'index.js': index, ...files });
  const plan = await planIn(dir, 'auto-instrumentation', {}, { tools: ['npm'], machineNode });
  const deps = plan.proposals.find((p) => p.id.endsWith(':otel-dependencies'))!;
  const text = deps.change.kind === 'edit' ? deps.change.edits.map((e) => e.new).join('\n') : '';
  const version = (name: string) => new RegExp(`"${name.replace('/', '\\/')}": "([^"]+)"`).exec(text)?.[1];
  return {
    why: deps.why,
    sdk: version('@opentelemetry/sdk-node'),
    resources: version('@opentelemetry/resources'),
    api: version('@opentelemetry/api'),
  };
}

const TRAIN_2 = { sdk: '0.223.0', resources: '2.12.0', api: '1.9.1' };
const TRAIN_3 = { sdk: '0.300.0', resources: '3.0.0', api: '1.10.0' };

describe('release train by the Node the service runs on', () => {
  test('engines.node ">=20" → 2.x, even on a Node 22.15 machine', async () => {
    const deps = await depsFor({ 'package.json': pkg({ engines: { node: '>=20' } }) }, 'v22.15.0');
    expect(deps).toMatchObject(TRAIN_2);
    expect(deps.why).toContain(
      'OpenTelemetry JS 2.x train for Node >=20 (package.json engines.node); 3.x needs Node >=22.15.0',
    );
  });

  test('engines.node ">=22.15.0" → 3.x, even on a Node 20 machine', async () => {
    const deps = await depsFor({ 'package.json': pkg({ engines: { node: '>=22.15.0' } }) }, 'v20.20.2');
    expect(deps).toMatchObject(TRAIN_3);
    expect(deps.why).toContain('OpenTelemetry JS 3.x train for Node >=22.15.0 (package.json engines.node)');
  });

  test('nothing in the service: the machine decides (faked: Node 20 → 2.x, Node 22.15 → 3.x)', async () => {
    const on20 = await depsFor({ 'package.json': pkg() }, 'v20.20.2');
    expect(on20).toMatchObject(TRAIN_2);
    expect(on20.why).toContain("for Node v20.20.2 (this machine's `node --version`");
    expect(await depsFor({ 'package.json': pkg() }, 'v22.15.0')).toMatchObject(TRAIN_3);
    expect(await depsFor({ 'package.json': pkg() }, 'v22.14.0')).toMatchObject(TRAIN_2);
  });

  test('a Dockerfile FROM node:18 → 2.x, on a Node 22.15 machine', async () => {
    const deps = await depsFor(
      {
        'package.json': pkg(),
        Dockerfile: 'FROM --platform=linux/amd64 node:18-alpine AS run\nCOPY . .\nCMD ["node", "index.js"]\n',
      },
      'v22.15.0',
    );
    expect(deps).toMatchObject(TRAIN_2);
    expect(deps.why).toContain('for Node node:18-alpine (Dockerfile:1)');
  });

  test('.nvmrc 22 → 3.x; when sources disagree the lowest Node decides', async () => {
    expect(await depsFor({ 'package.json': pkg(), '.nvmrc': 'v22\n' }, 'v20.20.2')).toMatchObject(TRAIN_3);
    expect(
      await depsFor(
        { 'package.json': pkg(), '.node-version': '22.16.0\n', Dockerfile: 'FROM node:20.11.1-slim\n' },
        'v22.15.0',
      ),
    ).toMatchObject(TRAIN_2);
  });

  test('a Node older than every train gets the oldest train, and the reason says it is unsupported', () => {
    const choice = trainForRuntime({ range: nodeLineRange('16')!, written: '16', source: '.nvmrc' });
    expect(choice.train.id).toBe('2.x');
    expect(choice.reason).toBe(
      'OpenTelemetry JS 2.x train, the oldest pinned: Node 16 (.nvmrc) is older than any train supports (2.x needs Node ^18.19.0 || >=20.6.0)',
    );
  });

  test('version texts: a bare major is its newest release line; a range without a lower bound says nothing', () => {
    expect(nodeLineRange('v20')).toBe('20.x');
    expect(nodeLineRange('20.11')).toBe('20.11.x');
    expect(nodeLineRange('v20.11.1')).toBe('=20.11.1');
    expect(nodeLineRange('lts')).toBeUndefined();
    expect(enginesRange('>=20')).toBe('20.x');
    expect(enginesRange('^18.19.0 || >=20.6.0')).toBe('=18.19.0');
    expect(enginesRange('>18')).toBe('=19.0.0');
    expect(enginesRange('<22')).toBeUndefined();
    expect(enginesRange('not a range')).toBeUndefined();
  });
});
