/**
 * The real Node OpenTelemetry SDK (sdk-node, the http / express instrumentations, the OTLP proto exporter), express and
 * esbuild for the doctor's Node loading tests — none of which are this project's dependencies. They are installed from
 * the npm registry ONCE (one `npm install`) into ~/.cache/trace-guide-tests/node-sdk-<hash>/ — in a staging folder that
 * is renamed into place with a `.complete` marker, so an interrupted install is never used — and the fixtures symlink
 * that node_modules. The OpenTelemetry versions are the ones the Node recipes pin; the others were current on npm.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OTEL_NODE_VERSIONS } from '../../src/lang/node/recipes/versions.js';
import { run } from '../receiver/sdk-clients-helpers.js';

export const NODE_SDK_PACKAGES: Record<string, string> = {
  '@opentelemetry/api': OTEL_NODE_VERSIONS['@opentelemetry/api'],
  '@opentelemetry/sdk-node': OTEL_NODE_VERSIONS['@opentelemetry/sdk-node'],
  '@opentelemetry/instrumentation': OTEL_NODE_VERSIONS['@opentelemetry/instrumentation'],
  '@opentelemetry/exporter-trace-otlp-proto': OTEL_NODE_VERSIONS['@opentelemetry/exporter-trace-otlp-proto'],
  '@opentelemetry/resources': OTEL_NODE_VERSIONS['@opentelemetry/resources'],
  '@opentelemetry/semantic-conventions': OTEL_NODE_VERSIONS['@opentelemetry/semantic-conventions'],
  // Same release train as sdk-node 0.300.0 (it depends on @opentelemetry/instrumentation 0.300.0).
  '@opentelemetry/instrumentation-http': OTEL_NODE_VERSIONS['@opentelemetry/sdk-node'],
  // The version auto-instrumentations-node 0.82.0 (the pinned one) depends on: ^0.72.0.
  '@opentelemetry/instrumentation-express': '0.72.0',
  express: '5.3.0',
  esbuild: '0.28.2',
};

function cacheDir(): string {
  const key = createHash('sha256').update(JSON.stringify(NODE_SDK_PACKAGES)).digest('hex').slice(0, 12);
  // esbuild's binary is per platform; the node major decides nothing else here but keeps caches apart when it changes.
  return path.join(os.homedir(), '.cache', 'trace-guide-tests', `node-sdk-${key}-node${process.versions.node.split('.')[0]}-${process.platform}-${process.arch}`);
}

let installing: Promise<string> | undefined;

/** The node_modules folder holding NODE_SDK_PACKAGES, installed on first use. */
export function nodeSdkModules(): Promise<string> {
  installing ??= install().catch((error: unknown) => {
    installing = undefined;
    throw error;
  });
  return installing;
}

async function install(): Promise<string> {
  const dir = cacheDir();
  const modules = path.join(dir, 'node_modules');
  if (existsSync(path.join(dir, '.complete')) && existsSync(path.join(modules, 'express', 'package.json'))) return modules;
  const parent = path.dirname(dir);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(path.join(parent, 'node-sdk-staging-'));
  try {
    await writeFile(
      path.join(staging, 'package.json'),
      JSON.stringify({ name: 'trace-guide-test-node-sdk', version: '1.0.0', private: true, dependencies: NODE_SDK_PACKAGES }, null, 2),
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--save-exact'], { cwd: staging, env: { ...process.env, npm_config_update_notifier: 'false' } });
    await writeFile(path.join(staging, '.complete'), `${Object.entries(NODE_SDK_PACKAGES).map(([n, v]) => `${n}@${v}`).join('\n')}\n`);
    // Another run may have finished the same install meanwhile: keep theirs; a folder without the marker is a leftover.
    if (!existsSync(path.join(dir, '.complete'))) {
      await rm(dir, { recursive: true, force: true });
      try {
        await rename(staging, dir);
      } catch (error) {
        if (!existsSync(path.join(dir, '.complete'))) throw error;
      }
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return modules;
}
