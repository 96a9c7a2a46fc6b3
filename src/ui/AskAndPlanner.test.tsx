import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { emptyScan, newSession, proposal } from '../../test/helpers/fixtures.js';
import { inputError } from '../core/errors.js';
import { KEY_HINT } from '../chat/offline-answer.js';
import type { Session } from '../session/schema.js';
import { defaultSkillDir, loadSkill } from '../skill/load.js';
import type { Skill } from '../skill/schema.js';
import type { GuideActions } from './actions.js';
import { App, headerRoot } from './App.js';
import { fakeActions } from '../../test/helpers/fake-actions.js';
import { ENTER, ESC, UP, frameWith, pressUntil, press, after } from '../../test/helpers/ink.js';

/*
 * The planner in the header, the model planner's usage and errors, and the "Ask" panel (i), with a fake core.
 */

let skill: Skill;
beforeAll(async () => {
  skill = await loadSkill(defaultSkillDir());
});
afterEach(() => cleanup());

const MODEL = { kind: 'model', model: 'claude-sonnet-4-5' } as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const scan = emptyScan('/repo');
const base = (): Session => after({ ...newSession(), scan }, { type: 'set-inputs', inputs: { backend: 'local' } });
const proposals = () => [proposal('receiver-note'), { ...proposal('compose'), title: 'Write docker-compose.yml' }];
const inVerify = () =>
  after(
    base(),
    { type: 'proposals-ready', proposals: proposals() },
    { type: 'decide-all', decision: 'accepted' },
    { type: 'next' },
    {
      type: 'applied',
      results: [
        { proposalId: 'receiver-note', ok: true },
        { proposalId: 'compose', ok: true },
      ],
      writes: [],
    },
  );

function guide(session: Session, actions: GuideActions) {
  return render(
    <App
      repoRoot="/repo"
      skill={skill}
      scan={scan}
      existing={{ kind: 'found', session, drift: [] }}
      mode="resume"
      actions={actions}
      color={false}
    />,
  );
}

/** Opens the ask panel with i, types the question and sends it with enter. */
async function askQuestion(
  stdin: { write(data: string): void },
  lastFrame: () => string | undefined,
  question: string,
): Promise<void> {
  await frameWith(lastFrame, 'c run the checks');
  await pressUntil(stdin, lastFrame, 'i', 'Ask about step 1');
  await pressUntil(stdin, lastFrame, question, question);
  await pressUntil(stdin, lastFrame, ENTER, `› ${question}`);
}

describe('the planner', () => {
  it('names the built-in recipes in the header without a key, and the model with one', async () => {
    const offline = guide(inVerify(), fakeActions());
    expect(await frameWith(offline.lastFrame, 'planner: built-in recipes')).toMatch(
      /trace-guide · \/repo · planner: built-in recipes/,
    );
    offline.unmount();
    const online = guide(inVerify(), fakeActions({ planner: MODEL }));
    await frameWith(online.lastFrame, 'planner: claude-sonnet-4-5');
    online.unmount();
  });

  it('shortens a long repo root so that the header keeps the planner on one line', () => {
    const root = `/home/someone/${'deep/'.repeat(20)}repo`;
    const shown = headerRoot(root, 'claude-sonnet-4-5', 80);
    expect(shown.startsWith('…')).toBe(true);
    expect(shown.endsWith('/repo')).toBe(true);
    expect(`trace-guide · ${shown} · planner: claude-sonnet-4-5`.length).toBeLessThan(80);
    expect(headerRoot('/repo', 'built-in recipes', 80)).toBe('/repo');
  });

  it('shows the model planner usage in one line above the review', async () => {
    const fresh = { ...newSession(), scan };
    const plan = vi.fn<GuideActions['plan']>(async (_index, inputs) => ({
      session: after(fresh, { type: 'set-inputs', inputs }, { type: 'proposals-ready', proposals: proposals() }),
      previews: proposals().map((p) => ({
        proposal: p,
        text: `--- /dev/null\n+++ ${p.id}.txt\n@@ -0,0 +1 @@\n+hello\n`,
      })),
      uncovered: [],
      planner: 'model',
      usage: {
        model: 'claude-sonnet-4-5',
        inputTokens: 12345,
        outputTokens: 678,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        turns: 3,
        stoppedBy: 'finish',
      },
      summary: 'a compose file and a note',
    }));
    const { lastFrame, stdin } = guide(fresh, fakeActions({ plan, planner: MODEL }));
    await frameWith(lastFrame, 'Where should traces go?');
    await pressUntil(stdin, lastFrame, ENTER, 'Which OTLP protocol');
    await pressUntil(stdin, lastFrame, ENTER, 'Plan this step');
    const review = await pressUntil(stdin, lastFrame, ENTER, '2 proposal(s), 2 accepted');
    expect(review).toContain('planned by claude-sonnet-4-5: 12345 in / 678 out tokens, 3 turn(s)');
    expect(review.split('\n').length).toBeLessThanOrEqual(23);
  });

  const after100ms = () => new Promise((resolve) => setTimeout(resolve, 100));

  it('shows a model error with its hint in the panel, and the guide keeps running', async () => {
    const fresh = { ...newSession(), scan };
    const plan = vi.fn<GuideActions['plan']>(async () => {
      throw inputError(
        'the Anthropic API rejected the API key (401)',
        'check ANTHROPIC_API_KEY, or plan without --model',
      );
    });
    const { lastFrame, stdin } = guide(fresh, fakeActions({ plan, planner: MODEL }));
    await frameWith(lastFrame, 'Where should traces go?');
    await pressUntil(stdin, lastFrame, ENTER, 'Which OTLP protocol');
    await pressUntil(stdin, lastFrame, ENTER, 'Plan this step');
    // ENTER again only while it has not reached the menu (the plan was not asked for): a second one would plan twice.
    for (let attempt = 0; plan.mock.calls.length === 0 && attempt < 20; attempt++) {
      await press(stdin, ENTER);
      await after100ms();
    }
    const failed = await frameWith(lastFrame, '✗ the Anthropic API rejected the API key (401)', 5_000);
    expect(failed).toContain('hint: check ANTHROPIC_API_KEY, or plan without --model');
    expect(failed).toContain('(plan)');
    expect(failed).toContain('planner: claude-sonnet-4-5');
    // A plan that fails at once is asked for once, not again on every render; enter asks again.
    await after100ms();
    await after100ms();
    expect(plan).toHaveBeenCalledTimes(1);
    for (let attempt = 0; plan.mock.calls.length === 1 && attempt < 20; attempt++) {
      await press(stdin, ENTER);
      await after100ms();
    }
    await after100ms();
    expect(plan).toHaveBeenCalledTimes(2);
  });
});

describe('asking at a step', () => {
  it('offline: shows the best passages of the reference pages and says a key gives fuller answers', async () => {
    const ask = vi.fn<GuideActions['ask']>(async () => ({
      mode: 'offline',
      text: 'From the reference pages (offline):\n\n── Backend › Ports\n\nOTLP over HTTP listens on 4318, gRPC on 4317.',
      hint: KEY_HINT,
    }));
    const { lastFrame, stdin } = guide(inVerify(), fakeActions({ ask }));
    await askQuestion(stdin, lastFrame, 'which port');
    const answer = await frameWith(lastFrame, 'OTLP over HTTP listens on 4318');
    expect(answer).toContain('── Backend › Ports');
    expect(answer).toContain('Set ANTHROPIC_API_KEY for a fuller answer');
    expect(answer).toContain('esc close');
    expect(answer.split('\n').length).toBeLessThanOrEqual(23);
    expect(ask).toHaveBeenCalledWith(0, 'which port', expect.any(Function));
    await pressUntil(stdin, lastFrame, ESC, 'c run the checks');
    expect(lastFrame()).not.toContain('OTLP over HTTP');
  });

  it('with a key: the answer streams in chunk by chunk, then the usage closes it', async () => {
    let second!: () => void;
    let finish!: () => void;
    const gate1 = new Promise<void>((resolve) => (second = resolve));
    const gate2 = new Promise<void>((resolve) => (finish = resolve));
    const ask = vi.fn<GuideActions['ask']>(async (_index, _question, onText) => {
      onText?.('Point the exporter ');
      await gate1;
      onText?.('at http://localhost:4318.');
      await gate2;
      return {
        mode: 'model',
        model: 'claude-sonnet-4-5',
        text: 'Point the exporter at http://localhost:4318.',
        usage: { inputTokens: 2100, outputTokens: 42, cacheReadTokens: 1800, cacheWriteTokens: 0 },
      };
    });
    const { lastFrame, stdin } = guide(inVerify(), fakeActions({ ask, planner: MODEL }));
    await askQuestion(stdin, lastFrame, 'where do spans go');
    const first = await frameWith(lastFrame, 'Point the exporter');
    expect(first).not.toContain('localhost:4318');
    expect(first).toContain('claude-sonnet-4-5 is answering');
    second();
    const both = await frameWith(lastFrame, 'Point the exporter at http://localhost:4318.');
    expect(both).not.toContain('2100 in');
    finish();
    const done = await frameWith(lastFrame, 'claude-sonnet-4-5: 2100 in / 42 out tokens (cache read 1800 / write 0)');
    expect(done).not.toContain('is answering');
    expect(done).not.toContain('Set ANTHROPIC_API_KEY');
  });

  it('scrolls a long answer inside the panel and fits 24 lines', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `line ${i + 1} of the answer`).join('\n');
    const ask = vi.fn<GuideActions['ask']>(async () => ({ mode: 'offline', text: long, hint: KEY_HINT }));
    const { lastFrame, stdin } = guide(inVerify(), fakeActions({ ask }));
    await askQuestion(stdin, lastFrame, 'everything');
    const top = await frameWith(lastFrame, 'line 1 of the answer');
    expect(top).toMatch(/↓ \d+ more/);
    expect(top).toContain('Set ANTHROPIC_API_KEY');
    expect(top.split('\n').length).toBeLessThanOrEqual(23);
    await pressUntil(stdin, lastFrame, '\u001B[B', /↑ 1 more/);
    await pressUntil(stdin, lastFrame, UP, 'line 1 of the answer');
  });

  it('shows an error of the model in the panel with its hint, and enter asks again', async () => {
    const ask = vi.fn<GuideActions['ask']>(async () => {
      throw inputError('the Anthropic API is rate limiting this key (429)', 'wait a minute and try again');
    });
    const { lastFrame, stdin } = guide(inVerify(), fakeActions({ ask, planner: MODEL }));
    await askQuestion(stdin, lastFrame, 'why');
    const failed = await frameWith(lastFrame, '✗ the Anthropic API is rate limiting this key (429)');
    expect(failed).toContain('hint: wait a minute and try again');
    await pressUntil(stdin, lastFrame, ENTER, 'enter ask · esc close');
  });

  it('lists the ask key in the help overlay', async () => {
    const { lastFrame, stdin } = guide(inVerify(), fakeActions());
    await frameWith(lastFrame, 'c run the checks');
    const help = await pressUntil(stdin, lastFrame, '?', 'Keys');
    expect(help).toContain('ask about this step');
  });
});
