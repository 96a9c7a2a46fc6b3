/**
 * A venv with the Python web stack the doctor's Python tests run for real: the OpenTelemetry SDK and OTLP/HTTP exporter
 * at the release the Python recipes pin, the Flask and FastAPI instrumentations, Flask, gunicorn, FastAPI and uvicorn.
 * The wheels are downloaded once into a wheelhouse under ~/.cache/trace-guide-tests (as preparePythonClient does) and
 * installed offline from it afterwards.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OTEL_CONTRIB_VERSION, OTEL_SDK_VERSION } from '../../src/plan/recipes/python/versions.js';
import { downloadCacheDir, run } from '../receiver/sdk-clients-helpers.js';

export const WEB_PACKAGES = [
  `opentelemetry-sdk==${OTEL_SDK_VERSION}`,
  `opentelemetry-exporter-otlp-proto-http==${OTEL_SDK_VERSION}`,
  `opentelemetry-instrumentation-flask==${OTEL_CONTRIB_VERSION}`,
  `opentelemetry-instrumentation-fastapi==${OTEL_CONTRIB_VERSION}`,
  'flask==3.1.3',
  'gunicorn==27.0.1',
  'fastapi==0.165.0',
  'uvicorn==0.54.0',
];

export interface PythonVenv {
  dir: string;
  /** The venv's bin directory: put it first on PATH so `python`, `uvicorn`, `gunicorn` are the venv's. */
  bin: string;
  python: string;
}

/** True when python3 can be run at all (the tests skip, saying so, only when it cannot). */
export async function hasPython3(): Promise<boolean> {
  try {
    await run('python3', ['--version']);
    return true;
  } catch {
    return false;
  }
}

export async function preparePythonWebVenv(dir: string): Promise<PythonVenv> {
  const version = (await run('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])).stdout.trim();
  const venv = path.join(dir, 'venv');
  await run('python3', ['-m', 'venv', '--without-pip', venv]);
  const bin = path.join(venv, 'bin');
  const python = path.join(bin, 'python');

  const cache = downloadCacheDir();
  const wheelhouse = path.join(cache, `python-web-${OTEL_SDK_VERSION}-${OTEL_CONTRIB_VERSION}-py${version}-${process.platform}-${process.arch}`);
  const pipEnv = { ...process.env, PIP_CACHE_DIR: path.join(cache, 'pip'), PIP_DISABLE_PIP_VERSION_CHECK: '1' };
  const install = () => run('python3', ['-m', 'pip', '--python', python, 'install', '-q', '--no-index', '--find-links', wheelhouse, ...WEB_PACKAGES], { env: pipEnv });

  if (existsSync(path.join(wheelhouse, '.complete'))) {
    try {
      await install();
      return { dir: venv, bin, python };
    } catch {
      // A damaged wheelhouse: download it again below.
    }
  }
  await mkdir(cache, { recursive: true });
  const staging = await mkdtemp(path.join(cache, 'wheelhouse-'));
  try {
    await run('python3', ['-m', 'pip', 'download', '-q', '-d', staging, ...WEB_PACKAGES], { env: pipEnv });
    await writeFile(path.join(staging, '.complete'), `${WEB_PACKAGES.join('\n')}\n`);
    await rm(wheelhouse, { recursive: true, force: true });
    try {
      await rename(staging, wheelhouse);
    } catch (error) {
      if (!existsSync(path.join(wheelhouse, '.complete'))) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  await install();
  return { dir: venv, bin, python };
}
