/**
 * spans-flushed-on-shutdown on a real Flask service with the real OpenTelemetry SDK (a venv filled from the offline
 * wheelhouse), started by the runtime run against the built-in receiver. The check's runtime half starts the service
 * again with a batch schedule delay far longer than the test, sends one request and stops the service with SIGTERM a
 * moment later: only a flush on shutdown can deliver that request's span. Nothing is faked.
 *
 * - False pass (issue 14): the set-up the Python recipe writes, but with only its atexit shutdown (the SIGTERM handler
 *   taken out). Its static half still reads "shuts down at exit"; the item must not pass, and the runtime half names
 *   the span lost with the process.
 * - The recipe's own set-up, applied by the recipe to an app that has its own SIGTERM handler: the span arrives after
 *   SIGTERM, the item passes, and the app's handler still ran.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pythonAutoInstrumentation } from '../../src/lang/python/recipes/auto-instrumentation.js';
import { ALL_CHECKS } from '../../src/verify/registry.js';
import { fixtureContext } from '../checks/runtime/node-fixture.js';
import { hasPython3, usePythonWebVenv, venvServiceEnv } from '../doctor/python-venv.js';
import { applyIn, planIn } from '../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const python = await hasPython3();
if (!python) console.warn('python3 is not installed: the flush-on-SIGTERM tests are skipped');

const ITEM = 'spans-flushed-on-shutdown';

/** A Flask module app with its own SIGTERM handler (it logs, then exits normally). */
const APP = `import os
import signal
import sys

from flask import Flask


def on_sigterm(signum, frame):
    print("the app's own SIGTERM handler ran", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, on_sigterm)

app = Flask(__name__)


@app.get("/orders")
def orders():
    return {"orders": []}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
`;

/** The same app without a handler of its own: SIGTERM ends it the default way, so atexit never runs. */
const APP_WITHOUT_HANDLER = APP.replace(/def on_sigterm[\s\S]*?signal\.signal\(signal\.SIGTERM, on_sigterm\)\n\n/, '');

const shared = usePythonWebVenv('tg-flush-venv-', python);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

/** A repo with the Flask app, instrumented by the Python recipe of step 2 (its file changes applied). */
async function instrumentedRepo(app: string): Promise<string> {
  const root = await makeSampleRepo(
    { 'web/app.py': app, 'web/requirements.txt': 'flask==3.1.3\n' },
    { prefix: 'tg-flush-' },
  );
  cleanup.push(() => removeSampleRepo(root));
  const plan = await planIn(root, 'auto-instrumentation', {}, { recipes: [pythonAutoInstrumentation], tools: [] });
  await applyIn(root, plan.proposals);
  return root;
}

async function checkFlush(root: string) {
  const fixture = await fixtureContext(
    root,
    {},
    {
      ports: 'free',
      env: venvServiceEnv(shared.venv()),
      startTimeoutMs: 30_000,
      spanTimeoutMs: 5_000,
      settleMs: 500,
    },
  );
  cleanup.push(() => fixture.close());
  const check = ALL_CHECKS.find((c) => c.itemId === ITEM)!;
  const result = await check.run(fixture.ctx);
  const run = fixture.started()!;
  return { result, run, proofs: await run.shutdownProof() };
}

describe.skipIf(!python)(
  'spans-flushed-on-shutdown on a real Flask service stopped with SIGTERM',
  { timeout: 120_000 },
  () => {
    it('does not pass for a set-up that only shuts the provider down with atexit: the request before SIGTERM is lost', async () => {
      const root = await instrumentedRepo(APP_WITHOUT_HANDLER);
      const setupFile = path.join(root, 'web/otel_setup.py');
      const setup = await readFile(setupFile, 'utf8');
      expect(setup).toContain('    _flush_on_sigterm()\n');
      const atexitOnly = setup
        .replace('    _flush_on_sigterm()\n', '')
        .replace(/\n\ndef _flush_on_sigterm\(\):[\s\S]*?(?=\n\n\ndef )/, '');
      expect(atexitOnly).not.toMatch(/signal\.signal\(/);
      expect(atexitOnly).toContain('atexit.register(_provider.shutdown)');
      await writeFile(setupFile, atexitOnly);

      const { result, proofs } = await checkFlush(root);
      expect(result.status).toBe('fail');
      // The code still reads as "shuts down at exit"; only the runtime stop shows the loss.
      expect(result.summary).toMatch(/atexit shuts the tracer provider down at a normal exit/);
      expect(proofs).toEqual([expect.objectContaining({ serviceId: 'web', outcome: 'lost', status: 200 })]);
      expect(proofs[0]!.signalAfterMs).toBeLessThan(1_000);
      expect(result.evidence.map((e) => ('note' in e ? e.note : '')).join('\n')).toMatch(
        /SIGTERM \d+ ms later \(OTEL_BSP_SCHEDULE_DELAY=120000\).*never arrived/,
      );
      expect(result.fix).toMatch(/signal\.getsignal\(signal\.SIGTERM\)/);
    });

    it("passes with the recipe's set-up: the request's span arrives after SIGTERM, and the app's own handler still runs", async () => {
      const root = await instrumentedRepo(APP);
      const { result, run, proofs } = await checkFlush(root);
      expect(proofs).toEqual([expect.objectContaining({ serviceId: 'web', outcome: 'delivered', status: 200 })]);
      expect(proofs[0]!.span).toMatchObject({ kind: 'server', serviceName: 'web' });
      expect(proofs[0]!.arrivedAfterMs).toBeGreaterThanOrEqual(0);
      expect(result.status, result.summary).toBe('pass');
      // The run's instance was stopped for the proof (its handler ran) and the service was started again afterwards.
      expect(run.logLines('web').map((l) => l.text)).toContain("the app's own SIGTERM handler ran");
      expect(run.services[0]).toMatchObject({ status: 'running' });
    });
  },
);
