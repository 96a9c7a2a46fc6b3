/**
 * The real Node OpenTelemetry SDK (sdk-node, the http / express instrumentations, the OTLP proto exporter), express and
 * esbuild for the doctor's Node loading tests — none of which are this project's dependencies. They are installed from
 * the npm registry ONCE (one `npm install`) into ~/.cache/trace-guide-tests/node-sdk-<hash>/ — by one process while
 * the others wait, in a staging folder renamed into place with a `.complete` marker (test/helpers/shared-cache.mjs),
 * so an interrupted install is never used — and the fixtures symlink that node_modules. The OpenTelemetry versions are
 * the ones the Node recipes pin for the Node running the tests (its release train); the others were current on npm.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { trainForRuntime } from '../../src/lang/node/recipes/release-train.js';
import { sharedCacheDir } from '../helpers/shared-cache.mjs';
import { run } from '../receiver/sdk-clients-helpers.js';

/** The train the Node recipes pick for this process's Node. */
export const NODE_SDK_TRAIN = trainForRuntime({
  range: `=${process.versions.node}`,
  written: process.version,
  source: 'the Node running the tests',
}).train;
const OTEL_NODE_VERSIONS = NODE_SDK_TRAIN.versions;

/** The instrumentation-express the pinned auto-instrumentations-node of each train depends on (3.x: 0.82.0 → ^0.72.0; 2.x: 0.81.2 → ^0.71.1). */
const EXPRESS_INSTRUMENTATION = { '3.x': '0.72.0', '2.x': '0.71.1' } as const;

export const NODE_SDK_PACKAGES: Record<string, string> = {
  '@opentelemetry/api': OTEL_NODE_VERSIONS['@opentelemetry/api'],
  '@opentelemetry/sdk-node': OTEL_NODE_VERSIONS['@opentelemetry/sdk-node'],
  '@opentelemetry/instrumentation': OTEL_NODE_VERSIONS['@opentelemetry/instrumentation'],
  '@opentelemetry/exporter-trace-otlp-proto': OTEL_NODE_VERSIONS['@opentelemetry/exporter-trace-otlp-proto'],
  '@opentelemetry/resources': OTEL_NODE_VERSIONS['@opentelemetry/resources'],
  '@opentelemetry/semantic-conventions': OTEL_NODE_VERSIONS['@opentelemetry/semantic-conventions'],
  // Same release train as sdk-node (it depends on @opentelemetry/instrumentation at its own version).
  '@opentelemetry/instrumentation-http': OTEL_NODE_VERSIONS['@opentelemetry/sdk-node'],
  '@opentelemetry/instrumentation-express': EXPRESS_INSTRUMENTATION[NODE_SDK_TRAIN.id],
  express: '5.3.0',
  esbuild: '0.28.2',
};

/** The shared cache folder's name: the package list's hash, the node major and the platform (esbuild is per platform). */
function cacheName(): string {
  const key = createHash('sha256').update(JSON.stringify(NODE_SDK_PACKAGES)).digest('hex').slice(0, 12);
  return `node-sdk-${key}-node${process.versions.node.split('.')[0]}-${process.platform}-${process.arch}`;
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
  const fill = async (staging: string) => {
    await writeFile(
      path.join(staging, 'package.json'),
      JSON.stringify(
        { name: 'trace-guide-test-node-sdk', version: '1.0.0', private: true, dependencies: NODE_SDK_PACKAGES },
        null,
        2,
      ),
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--save-exact'], {
      cwd: staging,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
  };
  // One install shared by every test worker and run: filled once under a lock (test/helpers/shared-cache.mjs); a
  // complete folder that lost its packages is installed again.
  let dir = await sharedCacheDir(cacheName(), fill);
  const holdsExpress = () => existsSync(path.join(dir, 'node_modules', 'express', 'package.json'));
  if (!holdsExpress()) dir = await sharedCacheDir(cacheName(), fill, { rebuild: true });
  if (!holdsExpress()) throw new Error(`npm install of the Node SDK into ${dir} left no express`);
  return path.join(dir, 'node_modules');
}
