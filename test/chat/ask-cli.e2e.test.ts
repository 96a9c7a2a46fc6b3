/**
 * The `ask` command of the built CLI, with a model (a fake Messages API streaming its answer) and offline. Spawns the CLI,
 * so it is an end-to-end file; test/chat/model-answer.test.ts tests answerWithModel in-process.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../helpers/cli.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';
import { startStreamServer, type FakeStreamServer } from './fake-stream-server.js';

let root: string;
let server: FakeStreamServer | undefined;

beforeAll(async () => {
  assertBuilt();
  root = await makeSampleRepo({
    'package.json':
      JSON.stringify({ name: 'api', version: '1.0.0', main: 'src/index.js', dependencies: { express: '^4.19.0' } }) +
      '\n',
    'src/index.js': "const express = require('express');\nexpress().listen(3000);\n",
  });
});
afterAll(async () => {
  await removeSampleRepo(root);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('trace-guide ask (built CLI)', () => {
  it('the ask command prints the streamed text on stdout and the usage on stderr (built CLI)', async () => {
    server = await startStreamServer([{ chunks: ['Use the ', 'tail_sampling processor.'] }]);
    const result = await runCli(['ask', root, '--step', '5', 'why does tempo not tail sample?'], {
      env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.baseURL, TRACE_GUIDE_MODEL: 'claude-test' },
    });
    expect(result.stderr).toMatch(/claude-test: 1200 input \+ 42 output tokens/);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Use the tail_sampling processor.\n');
    expect(server.requests[0].messages[0].content[1].text).toContain('api');
  });

  it('the ask command offline prints passages and the API key hint (built CLI)', async () => {
    const result = await runCli(['ask', root, 'why does tempo not tail sample'], { env: { ANTHROPIC_API_KEY: '' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Step 5 — Sampling');
    expect(result.stdout).toMatch(/Collector/);
    expect(result.stdout).toMatch(/ANTHROPIC_API_KEY/);
    const json = await runCli(['ask', root, '--step', '5', '--offline', '--json', 'collector memory grows'], {
      env: { ANTHROPIC_API_KEY: 'k' },
    });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ ok: true, mode: 'offline', step: 'sampling' });
    expect(parsed.passages[0].heading).toBe('Troubleshooting');
  });
});
