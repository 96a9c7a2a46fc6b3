import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { newSession, proposal } from '../../test/helpers/fixtures.js';
import { fakeActions } from '../../test/helpers/fake-actions.js';
import { after, frameWith, renderAt, type SizedRender } from '../../test/helpers/ink.js';
import type { Session } from '../session/schema.js';
import { defaultSkillDir, loadSkill } from '../skill/load.js';
import type { Skill } from '../skill/schema.js';
import { App } from './App.js';
import { TraceView } from './trace/TraceView.js';
import { fakeObserved } from './trace/test-data.js';
import { KeyRouter } from './use-keys.js';

/*
 * One keymap across screens: the same keys move in the results pane, the trace list, a waterfall and span detail.
 * Each key is pressed once, after the frame it acts on is drawn (the guide's one key subscription takes it).
 */

const PAGE_DOWN = '\u001B[6~';
const PAGE_UP = '\u001B[5~';

let skill: Skill;
beforeAll(async () => {
  skill = await loadSkill(defaultSkillDir());
});
let mounted: { unmount(): void } | undefined;
afterEach(() => mounted?.unmount());

function longResults(): Session {
  const base = after(
    newSession(),
    { type: 'set-inputs', inputs: { backend: 'local' } },
    { type: 'proposals-ready', proposals: [proposal('receiver-note')] },
  );
  const note = Array.from({ length: 60 }, (_, i) => `log line ${i + 1}`).join('\n');
  return after(
    base,
    { type: 'decide-all', decision: 'accepted' },
    { type: 'next' },
    { type: 'applied', results: [{ proposalId: 'receiver-note', ok: true }], writes: [] },
    {
      type: 'checked',
      results: [{ itemId: 'backend-accepts-otlp', status: 'fail', summary: 'down', evidence: [{ note }] }],
      required: ['backend-accepts-otlp'],
    },
  );
}

describe('the same keys in every list and pane', () => {
  it('the results pane: j/k, PgDn/PgUp, G/g', async () => {
    const g: SizedRender = renderAt(
      <App
        repoRoot="/repo"
        skill={skill}
        scan={longResults().scan}
        existing={{ kind: 'found', session: longResults(), drift: [] }}
        mode="resume"
        actions={fakeActions()}
        color={false}
      />,
      { columns: 80, rows: 24 },
    );
    mounted = g;
    await frameWith(g.lastFrame, /↓ \d+ more/);
    const steps: [string, RegExp][] = [
      ['j', /↑ 1 more/],
      ['k', /^(?![\s\S]*↑ \d+ more)[\s\S]*↓ \d+ more/],
      [PAGE_DOWN, /↑ (?:[2-9]|\d\d) more/],
      [PAGE_UP, /^(?![\s\S]*↑ \d+ more)[\s\S]*↓ \d+ more/],
      ['G', /↑ \d+ more(?![\s\S]*↓ \d+ more)/],
      ['k', /↑ \d+ more · ↓ 1 more/],
      ['g', /^(?![\s\S]*↑ \d+ more)[\s\S]*log line 1\b/],
    ];
    for (const [key, expected] of steps) {
      g.stdin.write(key);
      await frameWith(g.lastFrame, expected);
    }
  });

  it('the trace list and a waterfall: j/k and G/g move as ↓/↑ and to the ends; q quits from the trace view', async () => {
    const onQuit = vi.fn();
    const shown = render(
      <KeyRouter>
        <TraceView observed={fakeObserved()} height={12} width={76} color={false} onClose={vi.fn()} onQuit={onQuit} />
      </KeyRouter>,
    );
    mounted = shown;
    const { lastFrame, stdin } = shown;
    await frameWith(lastFrame, /› +GET \/checkout/);
    stdin.write('j');
    await frameWith(lastFrame, /› ✗ GET \/pay/);
    stdin.write('G');
    const last = await frameWith(lastFrame, /› (?!.*GET \/(?:checkout|pay)).*\n/);
    const lastTitle = /› (.*)/.exec(last)![1]!.trim();
    stdin.write('k');
    await frameWith(lastFrame, new RegExp(`› (?!${escape(lastTitle)})`));
    stdin.write('g');
    await frameWith(lastFrame, /› +GET \/checkout/);
    // The waterfall of the first trace: j moves to its second span, G to its last, g back to the root.
    stdin.write('\r');
    await frameWith(lastFrame, 'trace 000000');
    const rootRow = /› .*GET \/checkout/;
    await frameWith(lastFrame, rootRow);
    stdin.write('j');
    await frameWith(lastFrame, /^(?![\s\S]*› .*GET \/checkout)[\s\S]*›/);
    stdin.write('g');
    await frameWith(lastFrame, rootRow);
    stdin.write('q');
    await vi.waitFor(() => expect(onQuit).toHaveBeenCalled());
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
