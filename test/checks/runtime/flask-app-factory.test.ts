/**
 * A Flask app built by a factory (`create_app()` in the package's __init__.py) and started with `flask --app flaskr run`:
 * step 2's "start the SDK" is an edit (the set-up imported at the top of the package, before the factory runs), not a
 * note, and with it applied real spans arrive. The project's own virtual environment (web/venv, filled from the offline
 * wheelhouse with the real OpenTelemetry SDK) is found by the plan, which installs into it, and by the runtime run,
 * which starts the service with it — the test gives the run no PATH of its own. Nothing is faked.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pythonAutoInstrumentation } from '../../../src/lang/python/recipes/auto-instrumentation.js';
import { freePort } from '../../../src/verify/runtime/ports.js';
import { ALL_CHECKS } from '../../../src/verify/registry.js';
import { hasPython3, preparePythonWebVenv } from '../../doctor/python-venv.js';
import { applyIn, planIn } from '../../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';
import { fixtureContext } from './node-fixture.js';
import { withNoActiveVenv } from '../../helpers/no-active-venv.js';

const python = await hasPython3();
if (!python) console.warn('python3 is not installed: the Flask app-factory test is skipped');

const PACKAGE = `"""The orders web app."""
from flask import Flask


def create_app():
    app = Flask(__name__)

    @app.get("/orders")
    def orders():
        return {"orders": []}

    return app
`;

withNoActiveVenv();

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

describe.skipIf(!python)('a Flask app factory started by flask --app', { timeout: 300_000 }, () => {
  it('gets the set-up imported at the top of its package (an edit), and its requests then produce spans that reach the receiver', async () => {
    const port = await freePort();
    const root = await makeSampleRepo(
      {
        'web/flaskr/__init__.py': PACKAGE,
        'web/requirements.txt': 'flask==3.1.3\n',
        'web/Procfile': `web: flask --app flaskr run --port ${port}\n`,
      },
      { prefix: 'tg-flask-factory-' },
    );
    cleanup.push(() => removeSampleRepo(root));
    // The project's own virtual environment, inside the repo (web/venv), with the real SDK and Flask instrumentation.
    await preparePythonWebVenv(path.join(root, 'web'));

    const plan = await planIn(
      root,
      'auto-instrumentation',
      {},
      { recipes: [pythonAutoInstrumentation], tools: ['python3'] },
    );
    const start = plan.proposals.find((p) => p.id === 'web:start-sdk')!;
    expect(start.change.kind).toBe('edit');
    expect(start.change.kind === 'edit' && start.change.path).toBe('web/flaskr/__init__.py');
    // Installs go into the project's environment, with its own interpreter; no new venv is proposed.
    expect(plan.proposals.find((p) => p.id === 'web:otel-packages-install')!.change).toMatchObject({
      kind: 'command',
      command: 'venv/bin/python -m pip install -r requirements.txt',
      cwd: 'web',
    });
    expect(plan.proposals.some((p) => p.id === 'web:otel-packages-venv')).toBe(false);

    await applyIn(root, plan.proposals);

    const fixture = await fixtureContext(
      root,
      {},
      {
        startTimeoutMs: 30_000,
        spanTimeoutMs: 8_000,
        settleMs: 500,
        env: { PYTHONUNBUFFERED: '1', NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
      },
    );
    cleanup.push(() => fixture.close());
    const serverSpans = await ALL_CHECKS.find((c) => c.itemId === 'http-requests-create-server-spans')!.run(
      fixture.ctx,
    );
    const run = fixture.started()!;
    expect(run.services[0]).toMatchObject({ command: `flask --app flaskr run --port ${port}`, status: 'running' });
    expect(run.services[0]!.env.VIRTUAL_ENV).toBe(path.join(root, 'web', 'venv'));
    expect(serverSpans.status, serverSpans.summary).toBe('pass');
    const orders = run.probes.find((p) => p.path === '/orders')!;
    expect(orders.status).toBe(200);
    expect(run.store.spansOfTrace(orders.traceId)).toContainEqual(
      expect.objectContaining({ kind: 'server', serviceName: 'flaskr', parentSpanId: orders.parentSpanId }),
    );

    // The same set-up flushes when the service is stopped with SIGTERM right after a request.
    const flushed = await ALL_CHECKS.find((c) => c.itemId === 'spans-flushed-on-shutdown')!.run(fixture.ctx);
    expect((await run.shutdownProof()).map((p) => p.outcome)).toEqual(['delivered']);
    expect(flushed.status, flushed.summary).toBe('pass');
  });
});
