/**
 * Issue 14 item 2 in the guide: an applied note reads "✎ … needs your edit" (never ✓), the step says it is not proven
 * because of it, and `d` marks it done through GuideActions.markNotesDone.
 */
import React from 'react';
import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/ui/App.js';
import type { GuideActions } from '../../src/ui/actions.js';
import { fakeActions } from '../helpers/fake-actions.js';
import type { Proposal } from '../../src/types/proposal.js';
import type { Session } from '../../src/session/schema.js';
import { defaultSkillDir, loadSkill } from '../../src/skill/load.js';
import type { Skill } from '../../src/skill/schema.js';
import { check, emptyScan, newSession } from '../helpers/fixtures.js';
import { after, frameWith, press } from '../helpers/ink.js';

let skill: Skill;
beforeAll(async () => {
  skill = await loadSkill(defaultSkillDir());
});

const note: Proposal = {
  id: 'orders:start-sdk',
  step: 'backend',
  title: 'Start OpenTelemetry where the app is built',
  why: 'No single top-level app object was found to edit safely.',
  change: { kind: 'note', text: 'Add this right after create_app() builds the app.', required: true },
  source: 'recipe',
  after: [],
};

function verifying(): Session {
  return after(
    { ...newSession(), scan: emptyScan('/repo') },
    { type: 'set-inputs', inputs: { backend: 'local' } },
    { type: 'proposals-ready', proposals: [note] },
    { type: 'decide-all', decision: 'accepted' },
    { type: 'next' },
    { type: 'applied', results: [{ proposalId: note.id, ok: true, status: 'needs-edit' }], writes: [] },
    { type: 'checked', results: [check('backend-accepts-otlp', 'pass')], required: ['backend-accepts-otlp'] },
  );
}

describe('a note in the guide', () => {
  it('reads needs your edit, keeps the step unproven, and d marks it done', async () => {
    const session = verifying();
    expect(session.steps[0]!.outcome).toBeNull();
    const markNotesDone = vi.fn<GuideActions['markNotesDone']>(async (_index, ids) =>
      after(session, ...ids.map((proposalId) => ({ type: 'note-done' as const, proposalId }))),
    );
    const { lastFrame, stdin } = render(
      <App
        repoRoot="/repo"
        skill={skill}
        scan={emptyScan('/repo')}
        existing={{ kind: 'found', session, drift: [] }}
        mode="resume"
        actions={fakeActions({ markNotesDone })}
        color={false}
      />,
    );
    const frame = await frameWith(lastFrame, 'd mark your edits done');
    expect(frame).toContain('✎ Start OpenTelemetry where the app is built — needs your edit');
    expect(frame).not.toContain('✓ Start OpenTelemetry');
    expect(frame).toContain('not proven yet: orders:start-sdk (needs your edit)');
    await press(stdin, 'd');
    await frameWith(lastFrame, 'done by you');
    expect(markNotesDone).toHaveBeenCalledWith(0, ['orders:start-sdk']);
  });
});
