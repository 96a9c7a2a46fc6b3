import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSession } from '../../src/session/store.js';
import { openWorkspace } from '../../src/session/workspace.js';
import { TraceGuideError } from '../../src/core/errors.js';
import { choosePlanner, planStepAt } from '../../src/workflow/plan-step.js';
import { sessionForRepo } from '../../src/workflow/session-for-repo.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';
import { reply, startFakeServer, toolUse, type FakeServer } from './fake-messages-server.js';

const FILES = {
  '.gitignore': 'node_modules/\n',
  'package.json':
    JSON.stringify(
      { name: 'api', version: '1.0.0', main: 'src/index.js', dependencies: { express: '^4.19.0' } },
      null,
      2,
    ) + '\n',
  'src/index.js':
    "const express = require('express');\nconst app = express();\napp.get('/orders', (req, res) => res.json([]));\napp.listen(3000);\n",
};

let root: string;
let server: FakeServer | undefined;
const roots: string[] = [];

beforeEach(async () => {
  root = await makeSampleRepo(FILES, { git: true });
  roots.push(root);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  for (const r of roots) await removeSampleRepo(r);
});

describe('choosePlanner', () => {
  it('uses the model when ANTHROPIC_API_KEY is set, recipes otherwise; --offline wins; --model needs a key', () => {
    expect(choosePlanner({}, {})).toEqual({ kind: 'recipes' });
    expect(
      choosePlanner({}, { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://x', TRACE_GUIDE_MODEL: 'claude-x' }),
    ).toEqual({
      kind: 'model',
      apiKey: 'k',
      baseURL: 'http://x',
      model: 'claude-x',
    });
    expect(choosePlanner({ model: 'claude-y' }, { ANTHROPIC_API_KEY: 'k' })).toMatchObject({
      kind: 'model',
      model: 'claude-y',
    });
    expect(choosePlanner({ offline: true }, { ANTHROPIC_API_KEY: 'k' })).toEqual({ kind: 'recipes' });
    expect(() => choosePlanner({ model: '' }, {})).toThrow(/set ANTHROPIC_API_KEY|API key/);
  });
});

describe('planStepAt with the model planner', () => {
  it('returns the model proposals and usage and stores the proposals in the session', async () => {
    server = await startFakeServer([
      reply([
        toolUse('propose_new_file', {
          title: 'Add tracing setup',
          why: 'Starts the SDK first',
          path: 'src/tracing.js',
          content: "require('@opentelemetry/auto-instrumentations-node/register');\n",
        }),
      ]),
      reply([toolUse('finish', { summary: 'One new file.' })], { input_tokens: 1500, output_tokens: 30 }),
    ]);
    const workspace = await openWorkspace(root);
    const { session } = await sessionForRepo(workspace);
    const planned = await planStepAt(workspace, session, 1, {
      planner: { kind: 'model', apiKey: 'test-key', baseURL: server.baseURL, model: 'claude-test' },
    });
    expect(planned.planner).toBe('model');
    expect(planned.usage).toMatchObject({
      inputTokens: 2500,
      outputTokens: 130,
      turns: 2,
      stoppedBy: 'finish',
      model: 'claude-test',
    });
    expect(planned.summary).toBe('One new file.');
    expect(planned.previews.map((p) => p.proposal.id)).toContain('model-auto-instrumentation-1');
    // the recipes' proposals are the baseline sent to the model
    expect(JSON.stringify(server.requests[0].messages[0].content)).toContain('Baseline: the recipe proposals');
    const stored = await loadSession(workspace.root);
    const step = stored!.steps[1]!;
    expect(step.phase).toBe('review');
    expect(step.proposals.map((p) => p.id)).toContain('model-auto-instrumentation-1');
  });

  it('turns a 401 into a clear TraceGuideError', async () => {
    server = await startFakeServer([
      {
        status: 401,
        headers: { 'x-should-retry': 'false' },
        body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } },
      },
    ]);
    const workspace = await openWorkspace(root);
    const { session } = await sessionForRepo(workspace);
    const error = await planStepAt(workspace, session, 0, {
      planner: { kind: 'model', apiKey: 'bad-key', baseURL: server.baseURL, model: 'claude-test', maxRetries: 0 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TraceGuideError);
    expect((error as TraceGuideError).message).toMatch(/rejected the API key \(401\)/);
    expect((error as TraceGuideError).hint).toMatch(/ANTHROPIC_API_KEY/);
  });
});
