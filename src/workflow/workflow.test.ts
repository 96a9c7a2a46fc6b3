import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSampleRepo, removeSampleRepo } from '../../test/helpers/sample-repo.js';
import { createFile, editFile, note } from '../plan/proposal-builders.js';
import type { Recipe } from '../plan/recipe.js';
import { applyProposals } from '../edit/apply.js';
import { readJournal } from '../edit/journal.js';
import { currentStep } from '../session/machine.js';
import { loadSession } from '../session/store.js';
import { openWorkspace } from '../session/workspace.js';
import { applyStepAt } from './apply-step.js';
import { parseInputAssignments } from './inputs.js';
import { planStepAt } from './plan-step.js';
import { sessionForRepo } from './session-for-repo.js';
import { undoSteps } from './undo-steps.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await removeSampleRepo(dir);
});

const SERVER = "const express = require('express');\nconst app = express();\n";

/** A recipe of the test's own, so the workflow is tested apart from the built-in recipes. */
const RECIPES: Recipe[] = [
  {
    id: 'fixture-backend',
    step: 'backend',
    scope: 'repo',
    appliesTo: () => true,
    plan: async (ctx) =>
      (await ctx.repo.exists('compose.yaml'))
        ? []
        : [
            createFile(
              { id: 'compose', step: 'backend', title: 'Add compose', why: 'run the backend' },
              'compose.yaml',
              'services: {}\n',
            ),
            note(
              { id: 'look', step: 'backend', title: 'Open the UI', why: 'see traces' },
              'open http://localhost:16686',
            ),
          ],
  },
  {
    id: 'fixture-node',
    step: 'auto-instrumentation',
    scope: 'service',
    appliesTo: (service) => service.language === 'node',
    plan: async (ctx, service) => {
      const text = await ctx.repo.read('server.js');
      if (!text || text.includes('tracing')) return [];
      return [
        editFile(
          {
            id: `${service.id}:require`,
            step: 'auto-instrumentation',
            service: service.id,
            title: 'Load tracing first',
            why: 'before express',
          },
          'server.js',
          [{ old: 'const express', new: "require('./tracing.cjs');\nconst express" }],
        ),
        createFile(
          {
            id: `${service.id}:setup`,
            step: 'auto-instrumentation',
            service: service.id,
            title: 'SDK set-up',
            why: 'start the SDK',
          },
          'tracing.cjs',
          '// sdk\n',
        ),
        editFile(
          { id: `${service.id}:compose`, step: 'auto-instrumentation', title: 'Touch compose', why: 'shared file' },
          'compose.yaml',
          [{ old: 'services: {}', new: 'services: { api: {} }' }],
        ),
      ];
    },
  },
];

async function setup() {
  const dir = await makeSampleRepo(
    { 'package.json': JSON.stringify({ name: 'api', dependencies: { express: '^4.0.0' } }), 'server.js': SERVER },
    { git: true, prefix: 'trace-guide-workflow-' },
  );
  dirs.push(dir);
  const workspace = await openWorkspace(dir);
  const { session } = await sessionForRepo(workspace);
  return { dir, workspace, session };
}

describe('plan, apply and undo through the session', () => {
  it('plans with diffs, applies all or some, commits a step, and undoes step by step to the exact bytes', async () => {
    const { dir, workspace, session } = await setup();
    // shown: the plan's diffs are shown (as `plan` and the guide do), so the stored plan may be applied.
    const planned = await planStepAt(workspace, session, 0, {
      recipes: RECIPES,
      inputs: parseInputAssignments(workspace.skill, ['backend=local']),
      shown: true,
    });
    expect(planned.previews.map((p) => p.proposal.id)).toEqual(['compose', 'look']);
    expect(planned.previews[0]!.text).toContain('+++ b/compose.yaml');
    expect(planned.session.inputs.backend).toBe('local');

    const first = await applyStepAt(workspace, planned.session, 0, { recipes: RECIPES, commit: true });
    expect(first.outcome!.results.every((r) => r.ok)).toBe(true);
    expect(currentStep(first.session).phase).toBe('verify');
    expect(first.commit).toBeTruthy();
    expect((await simpleGit(dir).log()).latest?.message).toBe('trace-guide step 1: Set up a trace backend');

    const second = await applyStepAt(workspace, first.session, 1, {
      recipes: RECIPES,
      only: ['api:require', 'api:setup', 'api:compose'],
    });
    expect(second.outcome!.writes.map((w) => w.path)).toEqual(['server.js', 'tracing.cjs', 'compose.yaml']);
    expect(await readJournal(dir)).toEqual([]); // cleared once the session holds the writes
    const stored = await loadSession(dir);
    expect(stored!.writes).toHaveLength(4);

    // Step 1 cannot be undone alone: step 2 changed compose.yaml after it.
    await expect(undoSteps(workspace, second.session, { step: 0 })).rejects.toThrow(/step 2 changed compose.yaml/);
    const undo2 = await undoSteps(workspace, second.session, { step: 1 });
    expect(await readFile(path.join(dir, 'server.js'), 'utf8')).toBe(SERVER);
    expect(await readFile(path.join(dir, 'compose.yaml'), 'utf8')).toBe('services: {}\n');
    expect(undo2.session.steps[1]!.phase).toBe('plan');
    const undo1 = await undoSteps(workspace, undo2.session, { step: 0 });
    expect(undo1.outcome.undone.map((w) => w.path)).toEqual(['compose.yaml']);
    expect(undo1.session.writes).toEqual([]);
    expect(undo1.session.current).toBe(0);
  });

  it('applies only the chosen proposals and rejects the others; an unknown id is a usage error', async () => {
    const { workspace, session } = await setup();
    await expect(applyStepAt(workspace, session, 0, { recipes: RECIPES, only: ['nope'] })).rejects.toThrow(
      /has no proposal nope/,
    );
    const { session: s2 } = await sessionForRepo(workspace);
    const applied = await applyStepAt(workspace, s2, 0, { recipes: RECIPES, only: ['look'] });
    expect(applied.outcome!.writes).toEqual([]);
    expect(applied.session.steps[0]!.decisions).toEqual({ compose: 'rejected', look: 'accepted' });
  });

  it('a dry run changes neither files nor the applied log', async () => {
    const { dir, workspace, session } = await setup();
    const dry = await applyStepAt(workspace, session, 1, { recipes: RECIPES, dryRun: true });
    expect(dry.outcome).toBeUndefined();
    expect(dry.previews.map((p) => p.proposal.id)).toContain('api:require');
    expect(await readFile(path.join(dir, 'server.js'), 'utf8')).toBe(SERVER);
    expect((await loadSession(dir))!.writes).toEqual([]);
  });

  it('recovers writes that reached the disk when a run was stopped before the session recorded them', async () => {
    const { dir, workspace } = await setup();
    // As if killed after the files were written but before the session was saved: the journal is all that is left.
    const plan = await planStepAt(workspace, (await sessionForRepo(workspace)).session, 1, { recipes: RECIPES });
    const [edit] = plan.previews.map((p) => p.proposal);
    await applyProposals(dir, [edit!]);
    expect(await readJournal(dir)).toHaveLength(1);
    const resumed = await sessionForRepo(workspace);
    expect(resumed.recovered).toBe(1);
    expect(resumed.session.writes.map((w) => w.path)).toEqual(['server.js']);
    await undoSteps(workspace, resumed.session);
    expect(await readFile(path.join(dir, 'server.js'), 'utf8')).toBe(SERVER);
  });

  it('refuses bad --set answers with the allowed values', async () => {
    const { workspace } = await setup();
    expect(() => parseInputAssignments(workspace.skill, ['backend=datadog'])).toThrow(/one of jaeger, tempo/);
    expect(() => parseInputAssignments(workspace.skill, ['sampling-percent=150'])).toThrow(/between 0 and 100/);
    expect(() => parseInputAssignments(workspace.skill, ['nope=1'])).toThrow(/no input "nope"/);
    expect(() => parseInputAssignments(workspace.skill, ['backend'])).toThrow(/id=value/);
    expect(parseInputAssignments(workspace.skill, ['message-queues=kafka,rabbitmq'])).toEqual({
      'message-queues': ['kafka', 'rabbitmq'],
    });
  });
});
