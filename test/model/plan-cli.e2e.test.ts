/**
 * The plan command of the built CLI and its planner choice: --model without a key, --offline, and the model through
 * ANTHROPIC_BASE_URL (a fake Messages API). Spawns the CLI, so it is an end-to-end file; the planner itself is tested
 * in-process in test/model/plan-step-model.test.ts.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../helpers/cli.js';
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

beforeAll(() => {
  assertBuilt();
});
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

describe('the plan command and the planner (built CLI)', () => {
  const env = { ANTHROPIC_API_KEY: '', ANTHROPIC_BASE_URL: '' };

  it('plan --model without ANTHROPIC_API_KEY is a usage error (exit 2)', async () => {
    const result = await runCli(['plan', root, '--step', '1', '--model', '--json'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ANTHROPIC_API_KEY/);
  });

  it('plan --offline uses the recipes even with a key; with a key it uses the model through ANTHROPIC_BASE_URL', async () => {
    const offline = await runCli(['plan', root, '--step', '2', '--offline', '--json'], {
      env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' },
    });
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ planner: 'recipes', usage: null });

    server = await startFakeServer([
      reply([toolUse('finish', { summary: 'Baseline is fine.' })], { input_tokens: 900, output_tokens: 10 }),
    ]);
    const model = await runCli(['plan', root, '--step', '2', '--json'], {
      env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.baseURL, TRACE_GUIDE_MODEL: 'claude-test' },
    });
    expect(model.code).toBe(0);
    const json = JSON.parse(model.stdout);
    expect(json).toMatchObject({
      planner: 'model',
      usage: { inputTokens: 900, outputTokens: 10, turns: 1, stoppedBy: 'finish', model: 'claude-test' },
    });
    expect(server.requests).toHaveLength(1);

    server2 = await startFakeServer([reply([toolUse('finish', { summary: 'ok' })])]);
    const text = await runCli(['plan', root, '--step', '2'], {
      env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server2.baseURL, TRACE_GUIDE_MODEL: 'claude-test' },
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/planner: model/);
    expect(text.stdout).toMatch(/Token spend: claude-test: 1000 input \+ 100 output tokens/);
    await server2.close();
  });
});

let server2: FakeServer;
