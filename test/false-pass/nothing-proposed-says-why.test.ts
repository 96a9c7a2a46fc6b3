/**
 * Issue 14 item 1: step 3 said "No change is proposed for this step" and then failed with a fix pointing at step 3
 * itself. A step that proposes nothing says why, with what the user can do; a failing check's fix is something to do.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { nodeManualSpans } from '../../src/lang/node/recipes/manual-spans.js';
import { customSpansHaveCorrectParents } from '../../src/verify/checks/runtime/custom-spans-have-correct-parents.js';
import { planIn } from '../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';
import { fakeContext, fakeRun, PROBE_PARENT, span } from './fake-run.js';

const repos: string[] = [];
afterAll(async () => {
  for (const dir of repos) await removeSampleRepo(dir);
});

describe('a step that proposes nothing says why', () => {
  it('routes mounted from a router file: the manual-spans recipe names what it looked for and what to do by hand', async () => {
    const dir = await makeSampleRepo({
      'package.json': JSON.stringify({
        name: 'api',
        main: 'server.js',
        scripts: { start: 'node server.js' },
        dependencies: { express: '^4.21.2' },
      }),
      'server.js':
        "const express = require('express');\nconst items = require('./routes/items');\nconst app = express();\napp.use('/items', items);\napp.listen(3000);\n",
      'routes/items.js':
        "const { Router } = require('express');\nconst router = Router();\nrouter.get('/', (req, res) => res.json([]));\nmodule.exports = router;\n",
    });
    repos.push(dir);
    const plan = await planIn(dir, 'manual-spans', {}, { tools: ['npm'], recipes: [nodeManualSpans] });
    expect(plan.proposals.filter((p) => p.change.kind !== 'note')).toEqual([]);
    expect(plan.nothingProposed).toHaveLength(1);
    const { reason } = plan.nothingProposed[0]!;
    expect(reason).toMatch(/no business operation found in the routes of/);
    expect(reason).toMatch(/server\.js/);
    expect(reason).toMatch(/yourself/);
    expect(reason).toMatch(/getTracer\('api'\)/);
  });
});

describe("a failing check's fix never sends the user back to the same step", () => {
  it('custom spans with nothing to check: the fix is an action, not "run step 3"', async () => {
    const server = span({ name: 'GET /items', kind: 'server', parentSpanId: PROBE_PARENT });
    const r = await customSpansHaveCorrectParents.run(fakeContext(fakeRun([server])));
    expect(r.status).not.toBe('pass');
    expect(r.fix).toBeDefined();
    expect(r.fix).not.toMatch(/\bstep 3\b/i);
    expect(r.fix).toMatch(/Wrap a business operation/);
  });
});
