/**
 * Real Express services traced by the real Node SDK (sdk-node, instrumentation-http, instrumentation-express, the OTLP
 * proto exporter reading OTEL_EXPORTER_OTLP_ENDPOINT), installed once by node-sdk-install.ts and symlinked as the
 * service's node_modules. Each variant loads the instrumentation in one faulty way:
 * - 'late': CommonJS; server.js requires express, then the set-up; `node server.js`.
 * - 'esm': "type": "module"; the set-up is loaded with `node --import`, without the ESM loader hook.
 * - 'bundled': CommonJS; `npm run build` bundles server.js with `esbuild --bundle` (express inside); the start script
 *   runs dist/server.js with `--require ./instrumentation.js`.
 * The fixed variants are made by applying the doctor's own proposals (and rebuilding the bundle).
 */
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { makeSampleRepo, type SampleFiles } from '../helpers/sample-repo.js';
import { run } from '../receiver/sdk-clients-helpers.js';
import { NODE_SDK_PACKAGES, nodeSdkModules } from './node-sdk-install.js';

export type LoadingFault = 'late' | 'esm' | 'bundled';

const RUNTIME_DEPS = [
  '@opentelemetry/api',
  '@opentelemetry/sdk-node',
  '@opentelemetry/instrumentation',
  '@opentelemetry/instrumentation-http',
  '@opentelemetry/instrumentation-express',
  '@opentelemetry/exporter-trace-otlp-proto',
  'express',
];

function setup(esm: boolean): string {
  const load = esm
    ? (name: string, what: string) => `import { ${what} } from '${name}';`
    : (name: string, what: string) => `const { ${what} } = require('${name}');`;
  return `${esm ? '' : "'use strict';\n"}${load('@opentelemetry/sdk-node', 'NodeSDK')}
${load('@opentelemetry/exporter-trace-otlp-proto', 'OTLPTraceExporter')}
${load('@opentelemetry/instrumentation-http', 'HttpInstrumentation')}
${load('@opentelemetry/instrumentation-express', 'ExpressInstrumentation')}

const sdk = new NodeSDK({
  serviceName: 'svc',
  traceExporter: new OTLPTraceExporter(),
  instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
});
sdk.start();

process.on('SIGTERM', () => {
  sdk.shutdown().finally(() => process.exit(0));
});
`;
}

function server(fault: LoadingFault, port: number): string {
  const body = `const app = express();
const PORT = Number(process.env.PORT || ${port});

app.get('/hello', (req, res) => {
  res.send('hello');
});

app.listen(PORT, '127.0.0.1', () => console.log('listening on ' + PORT));
`;
  if (fault === 'esm') return `import express from 'express';\n\n${body}`;
  if (fault === 'late')
    return `'use strict';\nconst express = require('express');\nrequire('./instrumentation');\n\n${body}`;
  return `'use strict';\nconst express = require('express');\n\n${body}`;
}

function packageJson(fault: LoadingFault): string {
  const scripts: Record<string, string> =
    fault === 'late'
      ? { start: 'node server.js' }
      : fault === 'esm'
        ? { start: 'node --import ./instrumentation.js server.js' }
        : {
            build: 'esbuild server.js --bundle --platform=node --outfile=dist/server.js',
            start: 'node --require ./instrumentation.js dist/server.js',
          };
  return JSON.stringify(
    {
      name: 'svc',
      version: '1.0.0',
      private: true,
      ...(fault === 'esm' ? { type: 'module' } : {}),
      main: 'server.js',
      scripts,
      dependencies: Object.fromEntries(RUNTIME_DEPS.map((d) => [d, NODE_SDK_PACKAGES[d]!])),
      ...(fault === 'bundled' ? { devDependencies: { esbuild: NODE_SDK_PACKAGES.esbuild } } : {}),
    },
    null,
    2,
  );
}

export async function makeLoadingRepo(fault: LoadingFault, port: number): Promise<string> {
  const modules = await nodeSdkModules();
  const files: SampleFiles = {
    'svc/package.json': packageJson(fault),
    'svc/instrumentation.js': setup(fault === 'esm'),
    'svc/server.js': server(fault, port),
    'svc/.gitignore': 'node_modules/\ndist/\n',
  };
  const root = await makeSampleRepo(files, { prefix: 'tg-doctor-loading-' });
  await symlink(modules, path.join(root, 'svc', 'node_modules'), 'dir');
  if (fault === 'bundled') await buildBundle(root);
  return root;
}

/** Runs the service's own build script (the real esbuild from the installed node_modules). */
export async function buildBundle(root: string): Promise<void> {
  await run('npm', ['run', 'build', '--silent'], { cwd: path.join(root, 'svc') });
}
