import React from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emptyScan, newSession, proposal } from '../../test/helpers/fixtures.js';
import { fakeActions } from '../../test/helpers/fake-actions.js';
import { after, frameLines, frameWith, renderAt, type SizedRender } from '../../test/helpers/ink.js';
import type { Session } from '../session/schema.js';
import { defaultSkillDir, loadSkill } from '../skill/load.js';
import type { Skill } from '../skill/schema.js';
import type { CheckResult } from '../types/check-result.js';
import { App } from './App.js';

/*
 * The guide's frame at several terminal sizes and across resizes: never taller than the terminal (a frame as tall as the
 * screen makes Ink clear the screen and the scrollback on every repaint), never wider, with long output kept in a
 * bounded pane that says how much more there is.
 */

let skill: Skill;
beforeAll(async () => {
  skill = await loadSkill(defaultSkillDir());
});

let shown: SizedRender | undefined;
afterEach(() => {
  shown?.unmount();
  shown = undefined;
});

/** A Python traceback of 60 lines, its key line last, as a failed runtime check reports it. */
const traceback = [
  'Traceback (most recent call last):',
  ...Array.from(
    { length: 28 },
    (_, i) =>
      `  File "/srv/orders/.venv/lib/python3.12/site-packages/module_${i}.py", line ${i + 10}, in load\n    return importer(name)`,
  ),
  "ModuleNotFoundError: No module named 'opentelemetry.instrumentation.flask'",
].join('\n');

function failedWithTraceback(): Session {
  const base = after(
    newSession(),
    { type: 'set-inputs', inputs: { backend: 'local' } },
    { type: 'proposals-ready', proposals: [proposal('receiver-note')] },
  );
  const failed: CheckResult = {
    itemId: 'backend-accepts-otlp',
    status: 'fail',
    summary: 'orders: service did not start',
    evidence: [{ note: traceback }],
  };
  return after(
    base,
    { type: 'decide-all', decision: 'accepted' },
    { type: 'next' },
    { type: 'applied', results: [{ proposalId: 'receiver-note', ok: true }], writes: [] },
    { type: 'checked', results: [failed], required: ['backend-accepts-otlp'] },
  );
}

function guide(session: Session, size: { columns: number; rows: number }): SizedRender {
  shown = renderAt(
    <App
      repoRoot="/repo"
      skill={skill}
      scan={emptyScan('/repo')}
      existing={{ kind: 'found', session, drift: [] }}
      mode="resume"
      actions={fakeActions()}
      color={false}
    />,
    size,
  );
  return shown;
}

/** Every frame drawn so far fits the terminal as it was sized then. */
function expectEveryFrameFits(frames: string[], size: { columns: number; rows: number }) {
  for (const frame of frames) {
    const lines = frameLines(frame);
    expect(lines.length, `a frame of ${lines.length} lines on a ${size.rows}-row terminal:\n${frame}`).toBeLessThan(
      size.rows,
    );
    for (const line of lines)
      expect([...line].length, `a line wider than ${size.columns} columns: ${line}`).toBeLessThanOrEqual(size.columns);
  }
}

/**
 * After a resize: Ink draws the old tree at the new width once, synchronously, before the guide lays itself out again for
 * the new size; from the guide's own frame on, every frame fits.
 */
function expectFramesFitOnceLaidOut(frames: string[], size: { columns: number; rows: number }) {
  const fits = (frame: string) => frameLines(frame).length < size.rows;
  // Ink erases its output when the terminal gets narrower (an empty write): not a frame.
  frames = frames.filter((frame) => frame.trim() !== '');
  const first = frames.findIndex(fits);
  expect(first, 'no frame fitted the new size').toBeGreaterThanOrEqual(0);
  expect(first, 'more than the one frame Ink draws before the guide lays out again').toBeLessThanOrEqual(1);
  expectEveryFrameFits(frames.slice(first), size);
}

describe('the guide fits the terminal', () => {
  for (const size of [
    { columns: 80, rows: 24 },
    { columns: 100, rows: 30 },
    { columns: 160, rows: 45 },
    { columns: 60, rows: 20 },
    { columns: 50, rows: 15 },
  ]) {
    it(`at ${size.columns}×${size.rows}: a 57-line traceback stays in its pane with a "more" marker, header and footer on screen`, async () => {
      const g = guide(failedWithTraceback(), size);
      const frame = await frameWith(g.lastFrame, /more/);
      expectEveryFrameFits(g.frames(), size);
      const lines = frameLines(frame);
      expect(lines[0]).toContain('trace-guide');
      expect(frame).toMatch(/↓ \d+ more/);
      // The traceback's exception line (its last) comes first, so the cut view still says what went wrong.
      expect(frame).toContain('ModuleNotFoundError');
      expect(frame).toContain('q quit');
      // The rail: six lines on a tall terminal, one line of marks on a short one.
      if (size.rows >= 30) expect(frame).toContain('· 2. Instrument the services automatically');
      else expect(frame).toMatch(/✗····· 1\/6 Set up a trace backend/);
    });
  }

  it('follows resizes: 80×24 → 160×45 → 60×20, every frame fitting the size it was drawn at', async () => {
    const g = guide(failedWithTraceback(), { columns: 80, rows: 24 });
    await frameWith(g.lastFrame, /more/);
    expectEveryFrameFits(g.frames(), { columns: 80, rows: 24 });

    let drawn = g.frames().length;
    g.resize(160, 45);
    const tall = await frameWith(g.lastFrame, '· 2. Instrument the services automatically');
    expectFramesFitOnceLaidOut(g.frames().slice(drawn), { columns: 160, rows: 45 });
    // The wider pane shows more of each line and more lines than at 80×24.
    expect(frameLines(tall).length).toBeGreaterThan(30);

    drawn = g.frames().length;
    g.resize(60, 20);
    await frameWith(g.lastFrame, /✗····· 1\/6/);
    expectFramesFitOnceLaidOut(g.frames().slice(drawn), { columns: 60, rows: 20 });
  });
});
