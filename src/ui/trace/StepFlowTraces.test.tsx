import React from 'react';
import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { check as checkResult, emptyScan, newSession, proposal } from '../../../test/helpers/fixtures.js';
import { reduce, type SessionEvent } from '../../session/machine.js';
import type { Session } from '../../session/schema.js';
import { defaultSkillDir, loadSkill } from '../../skill/load.js';
import type { Skill } from '../../skill/schema.js';
import type { GuideActions } from '../actions.js';
import { App } from '../App.js';
import { fakeActions } from '../fake-actions.js';
import { fakeObserved } from './test-data.js';

/* The trace view wired into the step flow: `t` after a check run that observed traces, esc back to the results. */

let skill: Skill;
beforeAll(async () => {
  skill = await loadSkill(defaultSkillDir());
});

const ESC = '\u001B';

async function frameWith(lastFrame: () => string | undefined, text: string | RegExp, timeoutMs = 3000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const frame = lastFrame() ?? '';
    if (typeof text === 'string' ? frame.includes(text) : text.test(frame)) return frame;
    if (Date.now() - start > timeoutMs) throw new Error(`no frame contained ${String(text)}; last frame:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function pressUntil(stdin: { write(data: string): void }, lastFrame: () => string | undefined, key: string, text: string | RegExp): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    stdin.write(key);
    try {
      return await frameWith(lastFrame, text, 400);
    } catch (error) {
      if (attempt >= 8) throw error;
    }
  }
}

function after(session: Session, ...events: SessionEvent[]): Session {
  let next = session;
  for (const event of events) {
    const result = reduce(next, event, '2026-11-25T12:05:00.000Z');
    if (!result.ok) throw new Error(result.error);
    next = result.session;
  }
  return next;
}

const scan = emptyScan('/repo');
const inVerify = () =>
  after(
    { ...newSession(), scan },
    { type: 'set-inputs', inputs: { backend: 'local' } },
    { type: 'proposals-ready', proposals: [proposal('receiver-note')] },
    { type: 'decide-all', decision: 'accepted' },
    { type: 'next' },
    { type: 'applied', results: [{ proposalId: 'receiver-note', ok: true }], writes: [] },
  );

describe('the trace view in the step flow', () => {
  it('says there is nothing to show before a check run observed traces, then opens with t and closes with esc', async () => {
    const result = checkResult('backend-accepts-otlp', 'fail');
    const check = vi.fn<GuideActions['check']>(async () => {
      const session = after(inVerify(), { type: 'checked', results: [result], required: ['backend-accepts-otlp'] });
      return { session, results: [result], required: ['backend-accepts-otlp'], proven: false, observed: fakeObserved() };
    });
    const { lastFrame, stdin } = render(
      <App repoRoot="/repo" skill={skill} scan={scan} existing={{ kind: 'found', session: inVerify(), drift: [] }} mode="resume" actions={fakeActions({ check })} color={false} />,
    );
    await frameWith(lastFrame, 'c run the checks');
    await pressUntil(stdin, lastFrame, 't', 'No traces were observed');
    await pressUntil(stdin, lastFrame, 'c', 't traces');
    expect(check).toHaveBeenCalledTimes(1);
    const list = await pressUntil(stdin, lastFrame, 't', 'Traces: 5');
    expect(list).toContain('GET /checkout');
    // Keys belong to the trace view while it is open: `n`/`b` do not reach the step flow.
    await pressUntil(stdin, lastFrame, ESC, 'r retry the checks');
  });
});
