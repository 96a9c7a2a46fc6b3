/**
 * Issue 14 item 7: after a full undo every step whose verdict was reached with the undone changes in place is pending
 * again (not "done" or "failed"), a skipped step stays skipped, and undo reports the folders trace-guide's commands
 * wrote into that it does not remove (here: node_modules/ from a real `npm install` of a tiny package), with their size.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSampleRepo, removeSampleRepo } from '../../test/helpers/sample-repo.js';
import { command, createFile, editFile } from '../plan/proposal-builders.js';
import type { Recipe } from '../plan/recipe.js';
import { stepStatus } from '../session/machine.js';
import { dispatch, openWorkspace } from '../session/workspace.js';
import type { CheckResult } from '../types/check-result.js';
import { applyStepAt } from './apply-step.js';
import { sessionForRepo } from './session-for-repo.js';
import { undoSteps } from './undo-steps.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await removeSampleRepo(dir);
});

const PKG = '{ "name": "api", "version": "1.0.0", "scripts": { "start": "node server.js" } }\n';
const SERVER = "const http = require('node:http');\n";

const RECIPES: Recipe[] = [
  {
    id: 'fixture-auto',
    step: 'auto-instrumentation',
    scope: 'repo',
    appliesTo: () => true,
    plan: async () => [
      editFile({ id: 'load', step: 'auto-instrumentation', title: 'Load tracing first', why: 'test' }, 'server.js', [
        { old: 'const http', new: "require('./tracing.cjs');\nconst http" },
      ]),
      createFile(
        { id: 'setup', step: 'auto-instrumentation', title: 'SDK set-up', why: 'test' },
        'tracing.cjs',
        '// sdk\n',
      ),
      command(
        { id: 'install', step: 'auto-instrumentation', title: 'Install', why: 'test' },
        'npm install --save-exact --no-audit --no-fund is-number@7.0.0',
        '.',
        ['package.json', 'package-lock.json'],
      ),
    ],
  },
  {
    id: 'fixture-propagation',
    step: 'propagation',
    scope: 'repo',
    appliesTo: () => true,
    plan: async () => [
      createFile({ id: 'prop', step: 'propagation', title: 'Propagator', why: 'test' }, 'propagation.cjs', '// w3c\n'),
    ],
  },
];

const result = (itemId: string, status: CheckResult['status']) =>
  ({ itemId, status, summary: status, evidence: [] }) as unknown as CheckResult;

describe('undo returns steps to pending', () => {
  it('a full undo leaves no step done or failed on the undone changes, keeps a skip, and reports node_modules with its size', {
    timeout: 120_000,
  }, async () => {
    const dir = await makeSampleRepo(
      { 'package.json': PKG, 'server.js': SERVER },
      { prefix: 'trace-guide-undo-steps-' },
    );
    dirs.push(dir);
    const workspace = await openWorkspace(dir);
    let { session } = await sessionForRepo(workspace);

    // Step 1 skipped, step 2 applied (real npm install), step 3 proven with no writes of its own, step 4 applied and failing.
    session = await dispatch(workspace, session, {
      type: 'skip',
      confirmed: true,
      required: ['x'],
      reason: 'backend elsewhere',
    });
    const applied = await applyStepAt(workspace, session, 1, { recipes: RECIPES });
    expect(applied.outcome!.results.every((r) => r.ok)).toBe(true);
    session = await dispatch(workspace, applied.session, {
      type: 'checked',
      results: [result('sdk', 'pass')],
      required: ['sdk'],
    });
    session = await dispatch(workspace, session, { type: 'goto', index: 2 });
    session = await dispatch(workspace, session, {
      type: 'checked',
      results: [result('spans', 'pass')],
      required: ['spans'],
    });
    session = (await applyStepAt(workspace, session, 3, { recipes: RECIPES })).session;
    session = await dispatch(workspace, session, {
      type: 'checked',
      results: [result('parent', 'fail')],
      required: ['parent'],
    });
    expect([0, 1, 2, 3].map((i) => stepStatus(session, i))).toEqual(['skipped', 'done', 'done', 'failed']);

    const undone = await undoSteps(workspace, session);
    expect(undone.outcome.failed).toEqual([]);
    expect(await readFile(path.join(dir, 'package.json'), 'utf8')).toBe(PKG);
    expect([0, 1, 2, 3, 4, 5].map((i) => stepStatus(undone.session, i))).toEqual([
      'skipped',
      'current',
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expect(undone.reopened).toEqual([1, 2, 3]);

    const modules = undone.leftBehind.find((l) => l.path === 'node_modules/');
    expect(modules?.command).toContain('npm install');
    expect(modules!.bytes).toBeGreaterThan(0);
    expect((await stat(path.join(dir, 'node_modules/is-number/package.json'))).size).toBeLessThan(modules!.bytes);
  });
});
