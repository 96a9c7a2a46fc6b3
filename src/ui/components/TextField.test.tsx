import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { newSession } from '../../../test/helpers/fixtures.js';
import { fakeActions } from '../../../test/helpers/fake-actions.js';
import { after, frameWith } from '../../../test/helpers/ink.js';
import type { Session } from '../../session/schema.js';
import { defaultSkillDir, loadSkill } from '../../skill/load.js';
import type { Skill } from '../../skill/schema.js';
import type { GuideActions } from '../actions.js';
import { App } from '../App.js';

/*
 * The guide's text fields as a fast typist meets them: keys are written the moment the field is on screen, in bursts,
 * with no pause between them (no retries, no sleeps).
 */

let skill: Skill;
beforeAll(async () => {
  skill = await loadSkill(defaultSkillDir());
});
let unmount: (() => void) | undefined;
// eslint-disable-next-line no-control-regex
const plain = (frame: string | undefined) => (frame ?? '').replace(/\u001B\[[0-9;]*m/g, '');
afterEach(() => unmount?.());

/** Step 5 (sampling) in its questions: the first one is the percentage, prefilled with the default 10. */
const atSampling = (): Session => after(newSession(), { type: 'goto', index: 4 });

function guide(plan: GuideActions['plan']) {
  const shown = render(
    <App
      repoRoot="/repo"
      skill={skill}
      scan={atSampling().scan}
      existing={{ kind: 'found', session: atSampling(), drift: [] }}
      mode="resume"
      actions={fakeActions({ plan })}
      color={false}
    />,
  );
  unmount = shown.unmount;
  return shown;
}

describe('text fields in the guide', () => {
  it('typing into the prefilled 10 replaces it: "25" + Enter in one burst answers 25', async () => {
    const { lastFrame, stdin } = guide(vi.fn());
    await frameWith(lastFrame, 'What percentage of ordinary traces');
    expect(plain(lastFrame())).toContain('10  (typing replaces it)');
    stdin.write('25\r');
    const next = await frameWith(lastFrame, 'sampling-percent = 25');
    expect(next).not.toContain('1025');
  });

  it('Backspace (DEL) in a fast burst edits the text, and no raw DEL reaches the screen', async () => {
    const { lastFrame, stdin } = guide(vi.fn());
    await frameWith(lastFrame, 'What percentage of ordinary traces');
    stdin.write('3');
    stdin.write('77\u007F\u007F');
    stdin.write('0');
    await frameWith(lastFrame, /› 30 /);
    expect(lastFrame()).not.toContain('\u007F');
    stdin.write('\r');
    await frameWith(lastFrame, 'sampling-percent = 30');
  });

  it('Ctrl-U clears what was typed; a wrong answer is refused naming the question, not the id', async () => {
    const { lastFrame, stdin } = guide(vi.fn());
    await frameWith(lastFrame, 'What percentage of ordinary traces');
    stdin.write('99');
    stdin.write('\u0015');
    stdin.write('250\r');
    const refused = await frameWith(lastFrame, 'must be between');
    expect(plain(refused)).toContain(
      '"What percentage of ordinary traces should be kept?": the answer must be between 0 and 100',
    );
    expect(refused).not.toMatch(/sampling-percent must/);
  });
});
