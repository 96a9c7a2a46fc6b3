import { afterEach, describe, expect, it } from 'vitest';
import { answerWithModel } from '../../src/chat/model-answer.js';
import { TraceGuideError } from '../../src/core/errors.js';
import { testSkill } from '../helpers/recipe-harness.js';
import { startStreamServer, type FakeStreamServer } from './fake-stream-server.js';

let server: FakeStreamServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ask with a model: streamed from the Messages API', () => {
  it('streams the text, caches the system prompt and the step page, and reports usage', async () => {
    server = await startStreamServer([
      {
        chunks: ['Tempo stores ', 'traces; the ', 'Collector decides.'],
        usage: { input_tokens: 1200, output_tokens: 17 },
      },
    ]);
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
    server = await startStreamServer([
      { status: 401, error: { type: 'authentication_error', message: 'invalid x-api-key' } },
    ]);
    const error = await answerWithModel(
      await testSkill(),
      'q',
      { repo: '' },
      { apiKey: 'bad', baseURL: server.baseURL, maxRetries: 0 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TraceGuideError);
    expect((error as Error).message).toMatch(/401/);
  });
});
