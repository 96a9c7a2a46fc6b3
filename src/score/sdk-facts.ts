/**
 * What SDK-001 reads for each started service, from the service's own install: the runtime range its OpenTelemetry SDK
 * declares (Node: `engines.node` of @opentelemetry/core in the node_modules the service resolves; Python: the
 * Requires-Python of opentelemetry-sdk in the project's virtual environment) and the runtime version (the resource's
 * process.runtime.version; else Python's pyvenv.cfg version, or `node --version` of the node the service's start
 * command finds on its PATH). What cannot be read stays absent.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { findProjectVenv } from '../lang/python/recipes/python-env.js';
import type { Service } from '../types/scan.js';
import type { Attributes } from '../verify/receiver/span.js';
import type { SdkRuntimeFacts } from './types.js';

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The folders from the service's own up to the repo root, as Node resolves node_modules. */
function foldersUp(root: string, service: Service): string[] {
  const out: string[] = [];
  let dir = path.resolve(root, service.root);
  const top = path.resolve(root);
  for (;;) {
    out.push(dir);
    if (dir === top || !dir.startsWith(top)) break;
    dir = path.dirname(dir);
  }
  return out;
}

async function nodeRange(root: string, service: Service): Promise<{ range: string; source: string } | undefined> {
  for (const dir of foldersUp(root, service)) {
    const file = path.join(dir, 'node_modules', '@opentelemetry', 'core', 'package.json');
    const text = await readText(file);
    if (!text) continue;
    try {
      const pkg = JSON.parse(text) as { version?: string; engines?: { node?: string } };
      if (pkg.engines?.node)
        return { range: pkg.engines.node, source: `engines.node of @opentelemetry/core ${pkg.version ?? ''}`.trim() };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

async function pythonFacts(
  root: string,
  service: Service,
): Promise<{ range?: string; source?: string; version?: string }> {
  const venv = await findProjectVenv(
    async (rel) => (await stat(path.join(root, ...rel.split('/'))).catch(() => undefined))?.isFile() ?? false,
    service,
  );
  if (!venv) return {};
  const abs = path.resolve(root, ...venv.split('/'));
  const cfg = await readText(path.join(abs, 'pyvenv.cfg'));
  const version = cfg?.match(/^\s*version(?:_info)?\s*=\s*([\d.]+)/m)?.[1];
  const lib = path.join(abs, 'lib');
  for (const py of await readdir(lib).catch(() => [] as string[])) {
    const site = path.join(lib, py, 'site-packages');
    const info = (await readdir(site).catch(() => [] as string[])).find((d) =>
      /^opentelemetry_sdk-[\d.]+\.dist-info$/.test(d),
    );
    if (!info) continue;
    const meta = await readText(path.join(site, info, 'METADATA'));
    const range = meta?.match(/^Requires-Python:\s*(.+)$/m)?.[1]?.trim();
    if (range)
      return { range, source: `Requires-Python of ${info.replace('.dist-info', '')}`, ...(version ? { version } : {}) };
  }
  return version ? { version } : {};
}

/** `node --version` in the service's folder with the environment it was started with. */
function nodeOnPath(cwd: string, env: Record<string, string>): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('node', ['--version'], { cwd, env: { ...process.env, ...env }, timeout: 5_000 }, (error, stdout) =>
      resolve(error ? undefined : stdout.trim() || undefined),
    );
  });
}

const LANGUAGE: Record<string, string> = { node: 'nodejs', python: 'python', go: 'go', java: 'java' };

export async function sdkFacts(
  root: string,
  service: Service,
  resource: Attributes | undefined,
  env: Record<string, string> = {},
): Promise<SdkRuntimeFacts> {
  const reported = resource?.['process.runtime.version'];
  const facts: SdkRuntimeFacts = {
    service: service.name,
    language: String(resource?.['telemetry.sdk.language'] ?? LANGUAGE[service.language] ?? service.language),
  };
  if (typeof reported === 'string' && reported) {
    facts.runtimeVersion = reported;
    facts.runtimeSource = 'process.runtime.version on the resource';
  }
  if (service.language === 'node') {
    const found = await nodeRange(root, service);
    if (found) {
      facts.supportedRange = found.range;
      facts.rangeSource = found.source;
    }
    if (!facts.runtimeVersion) {
      const version = await nodeOnPath(path.resolve(root, service.root), env);
      if (version) {
        facts.runtimeVersion = version;
        facts.runtimeSource = "node --version of the node on the service's PATH";
      }
    }
  } else if (service.language === 'python') {
    const found = await pythonFacts(root, service);
    if (found.range) {
      facts.supportedRange = found.range;
      facts.rangeSource = found.source!;
    }
    if (!facts.runtimeVersion && found.version) {
      facts.runtimeVersion = found.version;
      facts.runtimeSource = "the version in the virtual environment's pyvenv.cfg";
    }
  }
  return facts;
}
