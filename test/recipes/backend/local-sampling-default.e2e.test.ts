/**
 * Issue 14 item 6: the default plan of step 5 with the built-in receiver (backend=local) passes its own checks. There is
 * no Collector to tail-sample, so the default there is no tail sampling (the skill's conditional default): the plan is a
 * parent-based ratio head sampler in the service's set-up plus a note that keeping every error needs a Collector, and
 * the Collector-only items (error-traces-always-kept, tail-sampling-in-collector, slow-traces-kept) are not required.
 *
 * Plan → apply → check on a real Flask service (the Python recipes' set-up, the real SDK from the offline wheelhouse)
 * started against the built-in receiver: every required check of step 5 passes, the sampling burst included.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checklistFor } from '../../../src/skill/lookup.js';
import { ALL_CHECKS } from '../../../src/verify/registry.js';
import { fixtureContext } from '../../checks/runtime/node-fixture.js';
import { hasPython3, usePythonWebVenv, venvServiceEnv } from '../../doctor/python-venv.js';
import { applyIn, planIn, testSkill } from '../../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';

const python = await hasPython3();

const APP = `import os

from flask import Flask

app = Flask(__name__)


@app.get("/orders")
def orders():
    return {"orders": []}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
`;

const LOCAL = { backend: 'local' };

const shared = usePythonWebVenv('tg-local-sampling-venv-', python);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

describe('step 5 default plan with the built-in receiver', () => {
  it('requires no Collector-only check when tail sampling is not chosen', async () => {
    const required = checklistFor(await testSkill(), 'sampling', LOCAL)
      .filter((i) => i.required)
      .map((i) => i.id);
    expect(required).toEqual(['pitfall-sampler-ignores-parent', 'sampling-reduces-volume']);
    // Another backend keeps the skill's default (errors and slow traces kept by a Collector).
    expect(checklistFor(await testSkill(), 'sampling', { backend: 'jaeger' }).map((i) => i.id)).toContain(
      'error-traces-always-kept',
    );
  });

  it.skipIf(!python)('plan → apply → check passes on a Flask service', { timeout: 180_000 }, async () => {
    const root = await makeSampleRepo(
      { 'web/app.py': APP, 'web/requirements.txt': 'flask==3.1.3\n' },
      { prefix: 'tg-local-sampling-' },
    );
    cleanup.push(() => removeSampleRepo(root));
    await applyIn(root, (await planIn(root, 'auto-instrumentation', LOCAL, { tools: [] })).proposals);

    const plan = await planIn(root, 'sampling', LOCAL, { tools: [] });
    expect(plan.proposals.map((p) => [p.id, p.change.kind]).sort()).toEqual([
      ['local-head-sampling', 'note'],
      ['web:head-sampler', 'edit'],
    ]);
    const note = plan.proposals.find((p) => p.id === 'local-head-sampling')!.change;
    const noteText = note.kind === 'note' ? note.text : '';
    expect(noteText).toMatch(/keep 10% of new traces[\s\S]*Collector/);
    await applyIn(root, plan.proposals);
    expect(await readFile(path.join(root, 'web/otel_setup.py'), 'utf8')).toMatch(
      /parentbased_traceidratio|ParentBased/,
    );

    const fixture = await fixtureContext(root, LOCAL, {
      ports: 'free',
      env: venvServiceEnv(shared.venv()),
      startTimeoutMs: 30_000,
      spanTimeoutMs: 5_000,
      settleMs: 500,
    });
    cleanup.push(() => fixture.close());
    const required = checklistFor(fixture.ctx.skill, 'sampling', fixture.ctx.inputs).filter((i) => i.required);
    for (const item of required) {
      const check = ALL_CHECKS.find((c) => c.itemId === item.id)!;
      const outcome = await check.run(fixture.ctx);
      expect(outcome.status, `${item.id}: ${outcome.summary}`).toBe('pass');
    }
  });
});
