/**
 * Step 3 for Go on the real shapes whose handlers do no business work (a literal, a package variable as JSON): no span
 * is proposed, and the step says what it looked at and why nothing qualified — not a bare "nothing to change".
 */
import { afterEach, describe, expect, test } from 'vitest';
import { applyIn, planIn } from '../helpers/recipe-harness.js';
import { removeSampleRepo } from '../helpers/sample-repo.js';
import { copyShape } from '../helpers/shapes.js';

let root: string | undefined;
afterEach(async () => {
  if (root) await removeSampleRepo(root);
  root = undefined;
});

const TOOLS = { tools: ['go'] };

describe('go step 3 on handlers without business work', () => {
  test.each([
    ['go-nethttp-cmd', 'GET /notes'],
    ['gin-logger', 'GET /quotes'],
  ])('%s: no edit, and the reason names the handlers read', async (shape, route) => {
    root = await copyShape(shape);
    await applyIn(root, (await planIn(root, 'auto-instrumentation', {}, TOOLS)).proposals);
    const plan = await planIn(root, 'manual-spans', {}, TOOLS);
    expect(plan.proposals.filter((p) => p.change.kind === 'edit' || p.change.kind === 'create')).toEqual([]);
    const why = plan.nothingProposed.map((n) => n.reason).join(' ');
    expect(why).toMatch(/no business operation found in \S+: [1-9]\d* handler\(s\) found \(/);
    expect(why).toContain(route);
    expect(why).toMatch(/none changes state \(POST\/PUT\/PATCH\/DELETE\) or queries a database or calls a client/);
  });
});
