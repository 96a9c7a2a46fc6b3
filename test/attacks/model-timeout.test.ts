/**
 * Attack (issue 15 item 7): a model API that accepts the connection and never answers (or sends headers and then never
 * the body) must not hang trace-guide: the real SDK, pointed at a local server, gives up within a bound set by the
 * per-request timeout and the bounded retries, with a message that says what happened. The default model is one the
 * installed SDK does not mark deprecated.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerWithModel } from '../../src/chat/model-answer.js';
import { createPlanContext, type PlanContext } from '../../src/plan/context.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_MODEL, planStepWithModel } from '../../src/plan/model/model-planner.js';
import { modelTimeoutMs } from '../../src/plan/model/model-request-limits.js';
import { ToolLookup } from '../../src/plan/tool-lookup.js';
import { scanRepo } from '../../src/repo/scan.js';
import { TraceGuideError } from '../../src/core/errors.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { testSkill } from '../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const SDK_DIR = path.join(PROJECT_ROOT, 'node_modules', '@anthropic-ai', 'sdk');

/** Accepts every connection and never writes a byte. */
async function silentServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers 200 with JSON headers at once, then never sends the body. */
async function stallingBodyServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"id":"msg_1",');
    open.add(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let root: string;
let ctx: PlanContext;
beforeAll(async () => {
  root = await makeSampleRepo({
    'package.json': '{"name":"api","version":"1.0.0","main":"index.js"}\n',
    'index.js': 'require("http").createServer().listen(3000);\n',
  });
  ctx = createPlanContext({
    root,
    skill: await testSkill(),
    scan: await scanRepo(root),
    inputs: {},
    tools: new ToolLookup(''),
  });
});
afterAll(async () => {
  if (root) await removeSampleRepo(root);
});

async function elapsed<T>(run: () => Promise<T>): Promise<{ ms: number; error: unknown }> {
  const start = Date.now();
  try {
    await run();
    return { ms: Date.now() - start, error: undefined };
  } catch (error) {
    return { ms: Date.now() - start, error };
  }
}

describe('a model API that never answers', { timeout: 30_000 }, () => {
  it('the planner gives up after the timeout and 2 retries, and says so', async () => {
    const server = await silentServer();
    try {
      const { ms, error } = await elapsed(() =>
        planStepWithModel(ctx, 'auto-instrumentation', {
          apiKey: 'k',
          baseURL: server.url,
          timeoutMs: 300,
          baseline: [],
        }),
      );
      expect(error).toBeInstanceOf(TraceGuideError);
      expect((error as Error).message).toBe(
        'the Anthropic API did not answer in time (300 ms per attempt, 3 attempt(s)): the model call was given up',
      );
      expect((error as TraceGuideError).hint).toContain('TRACE_GUIDE_MODEL_TIMEOUT_MS');
      // 3 attempts of 300 ms and the SDK's back-off between them: well under 10 s, never the SDK's 10 minutes.
      expect(ms).toBeLessThan(8_000);
      expect(server.connections()).toBe(DEFAULT_MAX_RETRIES + 1);
    } finally {
      await server.close();
    }
  });

  it('`ask` (a streamed answer) gives up too', async () => {
    const server = await silentServer();
    try {
      const skill = await testSkill();
      const { ms, error } = await elapsed(() =>
        answerWithModel(
          skill,
          'why?',
          { repo: 'x' },
          { apiKey: 'k', baseURL: server.url, timeoutMs: 300, system: 's' },
        ),
      );
      expect((error as Error).message).toMatch(
        /^the Anthropic API did not answer in time \(300 ms per attempt, 3 attempt\(s\)\)/,
      );
      expect(ms).toBeLessThan(8_000);
    } finally {
      await server.close();
    }
  });

  it('the timeout comes from TRACE_GUIDE_MODEL_TIMEOUT_MS, and a bad value is a clear error', () => {
    expect(modelTimeoutMs(undefined, {})).toBe(60_000);
    expect(modelTimeoutMs(undefined, { TRACE_GUIDE_MODEL_TIMEOUT_MS: '1500' })).toBe(1500);
    expect(() => modelTimeoutMs(undefined, { TRACE_GUIDE_MODEL_TIMEOUT_MS: '10s' })).toThrow(
      'TRACE_GUIDE_MODEL_TIMEOUT_MS must be a positive whole number of milliseconds, got "10s"',
    );
  });
});

describe('a model API that sends headers and never the body', { timeout: 30_000 }, () => {
  it('the overall deadline of the call ends it with the same clear message', async () => {
    const server = await stallingBodyServer();
    try {
      const { ms, error } = await elapsed(() =>
        planStepWithModel(ctx, 'auto-instrumentation', {
          apiKey: 'k',
          baseURL: server.url,
          timeoutMs: 300,
          maxRetries: 0,
          baseline: [],
        }),
      );
      expect((error as Error).message).toBe(
        'the Anthropic API did not answer in time (300 ms per attempt, 1 attempt(s)): the model call was given up',
      );
      expect(ms).toBeLessThan(5_000);
    } finally {
      await server.close();
    }
  });
});

describe('the default model', () => {
  it('is not marked deprecated by the installed @anthropic-ai/sdk, and is one of its known models', () => {
    const require = createRequire(import.meta.url);
    const { DEPRECATED_MODELS } = require(path.join(SDK_DIR, 'internal', 'data', 'deprecated-models.js')) as {
      DEPRECATED_MODELS: Record<string, string>;
    };
    expect(Object.keys(DEPRECATED_MODELS).length).toBeGreaterThan(0);
    expect(DEPRECATED_MODELS).not.toHaveProperty(DEFAULT_MODEL);
    const types = readFileSync(path.join(SDK_DIR, 'resources', 'messages', 'messages.d.ts'), 'utf8');
    const known = /export type Model = ([^;]+);/.exec(types)?.[1] ?? '';
    expect(known).toContain(`'${DEFAULT_MODEL}'`);
  });
});
