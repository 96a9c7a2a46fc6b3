/**
 * A venv with the Python web stack the doctor's Python tests run for real: the OpenTelemetry SDK and OTLP/HTTP exporter
 * at the release the Python recipes pin, the Flask and FastAPI instrumentations, Flask, gunicorn, FastAPI and uvicorn.
 * The wheels are downloaded once into a wheelhouse under ~/.cache/trace-guide-tests (as preparePythonClient does) and
 * installed offline from it afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { OTEL_CONTRIB_VERSION, OTEL_SDK_VERSION } from '../../src/lang/python/recipes/versions.js';
import { installFromWheelhouse, run } from '../receiver/sdk-clients-helpers.js';

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
  const venv = path.join(dir, 'venv');
  await run('python3', ['-m', 'venv', '--without-pip', venv]);
  const bin = path.join(venv, 'bin');
  const python = path.join(bin, 'python');
  await installFromWheelhouse(python, `python-web-${OTEL_SDK_VERSION}-${OTEL_CONTRIB_VERSION}`, WEB_PACKAGES);
  return { dir: venv, bin, python };
}

/**
 * One Python web venv for a test file: made in a temp folder before its tests (when python3 is there) and removed after
 * them. `venv()` is the venv (throws when python3 is missing: such tests are skipped with `it.skipIf(!python)`).
 */
export function usePythonWebVenv(prefix: string, available: boolean): { venv(): PythonVenv } {
  let venv: PythonVenv | undefined;
  let venvDir: string | undefined;
  beforeAll(async () => {
    if (!available) return;
    venvDir = await mkdtemp(path.join(tmpdir(), prefix));
    venv = await preparePythonWebVenv(venvDir);
  }, 300_000);
  afterAll(async () => {
    if (venvDir) await rm(venvDir, { recursive: true, force: true });
  });
  return {
    venv() {
      if (!venv) throw new Error('no Python web venv: python3 is missing or the venv was not prepared');
      return venv;
    },
  };
}

/** The environment a service of these tests runs with: the venv's bin first on PATH, unbuffered output, loopback not proxied. */
export function venvServiceEnv(venv: PythonVenv): Record<string, string> {
  return {
    PATH: `${venv.bin}${path.delimiter}${process.env.PATH ?? ''}`,
    PYTHONUNBUFFERED: '1',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}
