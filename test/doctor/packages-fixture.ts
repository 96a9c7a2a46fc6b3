/**
 * Real Node services for the packages / versions causes. Unlike doctor-fixture.ts, the service gets its own
 * node_modules/@opentelemetry folder holding symlinks to only the packages a test chooses — from this project's
 * node_modules, or from a small npm install cached in ~/.cache/trace-guide-tests — so a package left out really fails
 * to `require`, and two api copies are really loaded. (A symlinked package's own dependencies resolve from its real
 * folder, as Node resolves symlinks, so they come along without being linked.)
 */
import { execFile } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { makeSampleRepo } from '../helpers/sample-repo.js';
import { sharedCacheDir } from '../helpers/shared-cache.mjs';
import { stopAndListen, tracedHandler } from './node-service-source.js';

const run = promisify(execFile);

/**
 * A folder whose node_modules holds exactly `specs`, installed once with npm and kept (first time: a few seconds), by
 * one process while others wait (test/helpers/shared-cache.mjs).
 */
export async function cachedInstall(name: string, specs: string[]): Promise<string> {
  return sharedCacheDir(name, async (staging) => {
    await writeFile(path.join(staging, 'package.json'), JSON.stringify({ private: true }));
    await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', ...specs], {
      cwd: staging,
      timeout: 120_000,
    });
  });
}

/** The project's node_modules folder. */
export const PROJECT_MODULES = path.join(PROJECT_ROOT, 'node_modules');

export interface PackagesService {
  port: number;
  /** svc/server.js. */
  source: string;
  /** dependencies written into svc/package.json. */
  dependencies: Record<string, string>;
  /** package name → the node_modules folder to link it from. */
  links: Record<string, string>;
}

export async function makePackagesRepo(s: PackagesService): Promise<string> {
  const root = await makeSampleRepo(
    {
      'svc/package.json': JSON.stringify(
        {
          name: 'svc',
          version: '1.0.0',
          private: true,
          main: 'server.js',
          scripts: { start: 'node server.js' },
          dependencies: s.dependencies,
        },
        null,
        2,
      ),
      'svc/server.js': s.source,
    },
    { prefix: 'tg-doctor-pkgs-' },
  );
  await mkdir(path.join(root, 'svc', 'node_modules', '@opentelemetry'), { recursive: true });
  for (const [name, from] of Object.entries(s.links)) {
    await symlink(
      path.join(from, ...name.split('/')),
      path.join(root, 'svc', 'node_modules', ...name.split('/')),
      'dir',
    );
  }
  return root;
}

const SERVER = (port: number, setup: string) => `'use strict';
const http = require('node:http');
${setup}
const PORT = Number(process.env.PORT || ${port});

${tracedHandler()}
${stopAndListen()}`;

/** The doctor fixture's set-up: BasicTracerProvider + BatchSpanProcessor + the OTLP/HTTP exporter, tracer from the provider. */
export function basicProviderServer(port: number): string {
  return SERVER(
    port,
    `const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { resourceFromAttributes } = require('@opentelemetry/resources');

api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'svc' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
const tracer = provider.getTracer('packages-fixture');`,
  );
}

/** NodeTracerProvider.register() (the global provider, propagator and context manager) and the tracer from the global api. */
export function registeredProviderServer(port: number): string {
  return SERVER(
    port,
    `const api = require('@opentelemetry/api');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'svc' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
provider.register();
const tracer = api.trace.getTracer('packages-fixture');`,
  );
}
