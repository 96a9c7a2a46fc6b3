/**
 * spans-flushed-on-shutdown on the django-runserver shape with the real Django and the real OpenTelemetry SDK (a venv
 * filled once from a wheelhouse), instrumented by the Python recipe of step 2, started by the runtime run on a free port
 * (runserver's address argument moves its default 8000).
 *
 * - The scan's derived command, `python manage.py runserver --noreload`: one process serves, the set-up's SIGTERM
 *   handler flushes it, the request's span arrives after SIGTERM and the item passes.
 * - False pass (issue 14): the same app started with the autoreloader (`python manage.py runserver`, as a Procfile
 *   might say). The set-up is the same and its static half still reads "a SIGTERM handler flushes", but on SIGTERM
 *   the reloader's parent kills the serving child outright (SIGKILL), so the span is lost and the item must fail.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pythonAutoInstrumentation } from '../../src/lang/python/recipes/auto-instrumentation.js';
import { OTEL_CONTRIB_VERSION, OTEL_SDK_VERSION } from '../../src/lang/python/recipes/versions.js';
import { ALL_CHECKS } from '../../src/verify/registry.js';
import { fixtureContext } from '../checks/runtime/node-fixture.js';
import { hasPython3, venvServiceEnv, type PythonVenv } from '../doctor/python-venv.js';
import { applyIn, planIn } from '../helpers/recipe-harness.js';
import { removeSampleRepo } from '../helpers/sample-repo.js';
import { copyShape } from '../helpers/shapes.js';
import { installFromWheelhouse, run } from '../receiver/sdk-clients-helpers.js';

const python = await hasPython3();
if (!python) console.warn('python3 is not installed: the Django flush tests are skipped');

const ITEM = 'spans-flushed-on-shutdown';
const DJANGO_PACKAGES = [
  `opentelemetry-sdk==${OTEL_SDK_VERSION}`,
  `opentelemetry-exporter-otlp-proto-http==${OTEL_SDK_VERSION}`,
  `opentelemetry-instrumentation-django==${OTEL_CONTRIB_VERSION}`,
  'Django==5.2.19',
];

let venv: PythonVenv | undefined;
let venvDir: string | undefined;
beforeAll(async () => {
  if (!python) return;
  venvDir = await mkdtemp(path.join(tmpdir(), 'tg-django-venv-'));
  const dir = path.join(venvDir, 'venv');
  await run('python3', ['-m', 'venv', '--without-pip', dir]);
  const bin = path.join(dir, 'bin');
  await installFromWheelhouse(
    path.join(bin, 'python'),
    `python-django-${OTEL_SDK_VERSION}-${OTEL_CONTRIB_VERSION}`,
    DJANGO_PACKAGES,
  );
  venv = { dir, bin, python: path.join(bin, 'python') };
}, 300_000);
afterAll(async () => {
  if (venvDir) await rm(venvDir, { recursive: true, force: true });
});

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

/** The shape, instrumented by the recipe (its file changes applied); `procfile` states another start command. */
async function instrumentedShape(procfile?: string): Promise<string> {
  const root = await copyShape('django-runserver');
  cleanup.push(() => removeSampleRepo(root));
  if (procfile) await writeFile(path.join(root, 'Procfile'), procfile);
  const plan = await planIn(root, 'auto-instrumentation', {}, { recipes: [pythonAutoInstrumentation], tools: [] });
  await applyIn(root, plan.proposals);
  return root;
}

async function checkFlush(root: string) {
  const fixture = await fixtureContext(
    root,
    {},
    { ports: 'free', env: venvServiceEnv(venv!), startTimeoutMs: 60_000, spanTimeoutMs: 5_000, settleMs: 500 },
  );
  cleanup.push(() => fixture.close());
  const result = await ALL_CHECKS.find((c) => c.itemId === ITEM)!.run(fixture.ctx);
  const started = fixture.started()!;
  return { result, command: started.services[0]?.command, proofs: await started.shutdownProof() };
}

describe.skipIf(!python)(
  'spans-flushed-on-shutdown on Django runserver stopped with SIGTERM',
  { timeout: 300_000 },
  () => {
    it('passes with the derived runserver --noreload: the span arrives after SIGTERM', async () => {
      const { result, command, proofs } = await checkFlush(await instrumentedShape());
      expect(command).toMatch(/^python manage\.py runserver --noreload 127\.0\.0\.1:\d+$/);
      expect(proofs).toEqual([expect.objectContaining({ outcome: 'delivered', status: 200 })]);
      expect(result.status, result.summary).toBe('pass');
    });

    it("does not pass with the autoreloader: the reloader's parent kills the serving child, and the span is lost", async () => {
      const { result, command, proofs } = await checkFlush(
        await instrumentedShape('web: python manage.py runserver\n'),
      );
      expect(command).toMatch(/^python manage\.py runserver 127\.0\.0\.1:\d+$/);
      expect(result.summary).toMatch(/a SIGTERM handler flushes the tracer provider/);
      expect(proofs).toEqual([expect.objectContaining({ outcome: 'lost', status: 200 })]);
      expect(result.status).toBe('fail');
      expect(result.fix).toMatch(/--noreload/);
    });
  },
);
