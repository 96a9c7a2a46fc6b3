import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answerWithModel } from '../../src/chat/model-answer.js';
import { TraceGuideError } from '../../src/core/errors.js';
import { runCli } from '../helpers/cli.js';
import { testSkill } from '../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';
import { startStreamServer, type FakeStreamServer } from './fake-stream-server.js';

let root: string;
let server: FakeStreamServer | undefined;

beforeAll(async () => {
  root = await makeSampleRepo({
    'package.json': JSON.stringify({ name: 'api', version: '1.0.0', main: 'src/index.js', dependencies: { express: '^4.19.0' } }) + '\n',
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

describe('ask with a model: streamed from the Messages API', () => {
  it('streams the text, caches the system prompt and the step page, and reports usage', async () => {
    server = await startStreamServer([{ chunks: ['Tempo stores ', 'traces; the ', 'Collector decides.'], usage: { input_tokens: 1200, output_tokens: 17 } }]);
    const skill = await testSkill();
    const pieces: string[] = [];
    const answer = await answerWithModel(
      skill,
      'why does tempo not tail sample?',
      { step: 'sampling', repo: 'api [.] node · express' },
      { apiKey: 'test-key', baseURL: server.baseURL, model: 'claude-test', onText: (t) => pieces.push(t) },
    );
    expect(pieces).toEqual(['Tempo stores ', 'traces; the ', 'Collector decides.']);
    expect(answer.text).toBe('Tempo stores traces; the Collector decides.');
    expect(answer.usage).toMatchObject({ inputTokens: 1200, outputTokens: 17, cacheReadTokens: 800 });
    expect(answer.stopReason).toBe('end_turn');
    const request = server.requests[0];
    expect(request.stream).toBe(true);
    expect(request.model).toBe('claude-test');
    expect(request.system[0].cache_control).toEqual({ type: 'ephemeral' });
    expect(request.system[0].text).toMatch(/trace-guide/);
    const [page, repo, question] = request.messages[0].content;
    expect(page.cache_control).toEqual({ type: 'ephemeral' });
    expect(page.text).toContain('Step 5 — Sampling');
    expect(repo.text).toContain('api [.] node');
    expect(question.text).toContain('why does tempo not tail sample?');
  });

  it('turns a 401 into a clear TraceGuideError', async () => {
    server = await startStreamServer([{ status: 401, error: { type: 'authentication_error', message: 'invalid x-api-key' } }]);
    const error = await answerWithModel(await testSkill(), 'q', { repo: '' }, { apiKey: 'bad', baseURL: server.baseURL, maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TraceGuideError);
    expect((error as Error).message).toMatch(/401/);
  });

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
    const json = await runCli(['ask', root, '--step', '5', '--offline', '--json', 'collector memory grows'], { env: { ANTHROPIC_API_KEY: 'k' } });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ ok: true, mode: 'offline', step: 'sampling' });
    expect(parsed.passages[0].heading).toBe('Troubleshooting');
  });
});
