import { describe, expect, it } from 'vitest';
import { defaultSkillDir, loadSkill } from '../skill/load.js';
import type { Check } from './check.js';
import { combineChecks } from './combine-checks.js';
import { ALL_CHECKS } from './registry.js';

describe('the check registry', () => {
  it('has one check per item, each for an item the skill declares, and covers every checklist item', async () => {
    const skill = await loadSkill(defaultSkillDir());
    const ids = ALL_CHECKS.map((c) => c.itemId);
    expect(new Set(ids).size).toBe(ids.length);
    const declared = skill.checklist.map((item) => item.id);
    expect(ids.filter((id) => !declared.includes(id))).toEqual([]);
    expect(declared.filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('combines the halves of an item: the worst status wins and both sides are reported', async () => {
    const half = (status: 'pass' | 'fail' | 'skipped' | 'nothing-to-check', summary: string): Check => ({
      itemId: 'x',
      run: async () => ({
        itemId: 'x',
        status,
        summary,
        evidence: [{ note: summary }],
        ...(status === 'fail' ? { fix: 'do y' } : {}),
      }),
    });
    const ctx = {} as never;
    expect(await combineChecks([half('pass', 'code ok'), half('fail', 'runtime broken')]).run(ctx)).toEqual({
      itemId: 'x',
      status: 'fail',
      summary: 'code ok · runtime broken',
      evidence: [{ note: 'code ok' }, { note: 'runtime broken' }],
      fix: 'do y',
    });
    // A half that could not run is never hidden by a passing half (issue 14: "service did not start" shown as ✓).
    expect((await combineChecks([half('pass', 'a'), half('skipped', 'b')]).run(ctx)).status).toBe('skipped');
    expect((await combineChecks([half('skipped', 'a'), half('pass', 'b')]).run(ctx)).status).toBe('skipped');
    expect((await combineChecks([half('skipped', 'a'), half('skipped', 'b')]).run(ctx)).status).toBe('skipped');
    // Nothing to check in one half: the other half decides; nothing anywhere is nothing to check, never a pass.
    expect((await combineChecks([half('nothing-to-check', 'a'), half('pass', 'b')]).run(ctx)).status).toBe('pass');
    expect((await combineChecks([half('nothing-to-check', 'a'), half('skipped', 'b')]).run(ctx)).status).toBe(
      'skipped',
    );
    expect((await combineChecks([half('nothing-to-check', 'a'), half('nothing-to-check', 'b')]).run(ctx)).status).toBe(
      'nothing-to-check',
    );
  });
});
