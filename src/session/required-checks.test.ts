import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../test/helpers/fixtures.js';
import { defaultSkillDir, loadSkill } from '../skill/load.js';
import type { Skill } from '../skill/schema.js';
import { requiredCheckIds, unprovenRequired } from './required-checks.js';

describe('required checks', () => {
  let skill: Skill;
  beforeAll(async () => {
    skill = await loadSkill(defaultSkillDir());
  });

  it('are the required items of the step whose `when` holds for the answers', () => {
    // Jaeger: the compose file and the UI are checked; the retention item is optional, so never required.
    expect(requiredCheckIds(skill, 'backend', { backend: 'jaeger' })).toEqual([
      'backend-config-current',
      'backend-accepts-otlp',
      'backend-ui-reachable',
    ]);
    // A vendor endpoint: there is no compose file nor UI of ours to check.
    expect(requiredCheckIds(skill, 'backend', { backend: 'otlp-vendor' })).toEqual(['backend-accepts-otlp']);
  });

  it('are proven only by a pass (not warn, skipped or nothing-to-check), and a missing result proves nothing', () => {
    const required = ['a', 'b', 'c', 'd', 'e'];
    const results = [
      check('a', 'pass'),
      check('b', 'warn'),
      check('c', 'skipped'),
      check('d', 'nothing-to-check'),
      check('x', 'pass'),
    ];
    expect(unprovenRequired(required, results)).toEqual(['b', 'c', 'd', 'e']);
    expect(unprovenRequired(['a'], results)).toEqual([]);
  });
});
