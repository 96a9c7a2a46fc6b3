import React from 'react';
import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { check as checkResult, emptyScan, newSession, proposal } from '../../../test/helpers/fixtures.js';
import type { Session } from '../../session/schema.js';
import { defaultSkillDir, loadSkill } from '../../skill/load.js';
import type { Skill } from '../../skill/schema.js';
import type { GuideActions } from '../actions.js';
import { App } from '../App.js';
import { fakeActions } from '../../../test/helpers/fake-actions.js';
import { fakeObserved } from './test-data.js';
import { ESC, frameWith, pressUntil, after } from '../../../test/helpers/ink.js';

/* The trace view wired into the step flow: `t` after a check run that observed traces, esc back to the results. */

let skill: Skill;
beforeAll(async () => {
  skill = await loadSkill(defaultSkillDir());
});

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
      return {
        session,
        results: [result],
        required: ['backend-accepts-otlp'],
        proven: false,
        observed: fakeObserved(),
      };
    });
    const { lastFrame, stdin } = render(
      <App
        repoRoot="/repo"
        skill={skill}
        scan={scan}
        existing={{ kind: 'found', session: inVerify(), drift: [] }}
        mode="resume"
        actions={fakeActions({ check })}
        color={false}
      />,
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
