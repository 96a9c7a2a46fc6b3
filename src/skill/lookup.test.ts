import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSkillDir, loadSkill } from './load.js';
import { checklistFor, getStep, inputsFor, matchesWhen } from './lookup.js';
import type { Skill } from './schema.js';

describe('skill lookups', () => {
  let skill: Skill;
  beforeAll(async () => {
    skill = await loadSkill(defaultSkillDir());
  });

  const ids = (items: { id: string }[]) => items.map((i) => i.id);

  it('getStep finds a step by id', () => {
    expect(getStep(skill, 'sampling').reference).toBe('steps/5-sampling.md');
  });

  it('checklistFor keeps the step order and drops items whose `when` does not hold', () => {
    const none = ids(checklistFor(skill, 'sampling', { 'tail-sampling': 'none' }));
    expect(none).toEqual(['pitfall-sampler-ignores-parent', 'sampling-reduces-volume']);

    const errors = ids(checklistFor(skill, 'sampling', { 'tail-sampling': 'errors' }));
    expect(errors).toEqual([
      'pitfall-sampler-ignores-parent',
      'sampling-reduces-volume',
      'tail-sampling-in-collector',
      'error-traces-always-kept',
    ]);

    const slow = ids(checklistFor(skill, 'sampling', { 'tail-sampling': 'errors-and-slow' }));
    expect(slow).toContain('error-traces-always-kept');
    expect(slow).toContain('slow-traces-kept');
  });

  it('an unanswered input counts with its default', () => {
    // tail-sampling defaults to errors-and-slow
    expect(ids(checklistFor(skill, 'sampling', {}))).toContain('slow-traces-kept');
    // logs-backend defaults to none: no trace-to-logs link to check
    expect(ids(checklistFor(skill, 'correlation', {}))).not.toContain('logs-link-to-trace-view');
    expect(ids(checklistFor(skill, 'correlation', { 'logs-backend': 'loki' }))).toContain('logs-link-to-trace-view');
  });

  it('backend-dependent items follow the backend answer', () => {
    const local = ids(checklistFor(skill, 'backend', { backend: 'local' }));
    expect(local).toEqual(['backend-accepts-otlp']);
    const tempo = ids(checklistFor(skill, 'correlation', { backend: 'tempo' }));
    expect(tempo).toContain('span-metrics-generated');
    expect(tempo).toContain('metrics-link-to-traces-via-exemplars');
    expect(ids(checklistFor(skill, 'correlation', { backend: 'jaeger' }))).not.toContain('span-metrics-generated');
  });

  it('a multi-choice answer matches when any selected value is listed', () => {
    expect(ids(checklistFor(skill, 'propagation', { 'message-queues': [] }))).not.toContain(
      'context-propagates-over-queues',
    );
    expect(ids(checklistFor(skill, 'propagation', {}))).not.toContain('context-propagates-over-queues');
    expect(ids(checklistFor(skill, 'propagation', { 'message-queues': ['kafka'] }))).toContain(
      'context-propagates-over-queues',
    );
  });

  it('matchesWhen: all keys must hold; no answer and no default never matches', () => {
    expect(matchesWhen(skill, undefined, {})).toBe(true);
    expect(
      matchesWhen(
        skill,
        { backend: ['tempo'], 'logs-backend': ['loki'] },
        { backend: 'tempo', 'logs-backend': 'loki' },
      ),
    ).toBe(true);
    expect(matchesWhen(skill, { backend: ['tempo'], 'logs-backend': ['loki'] }, { backend: 'tempo' })).toBe(false);
    expect(matchesWhen(skill, { 'otlp-endpoint': ['x'] }, {})).toBe(false);
  });

  it('inputsFor hides conditional inputs until their condition holds', () => {
    expect(inputsFor(skill, 'backend', { backend: 'jaeger' }).map((i) => i.id)).toEqual(['backend', 'otlp-protocol']);
    expect(inputsFor(skill, 'backend', { backend: 'otlp-vendor' }).map((i) => i.id)).toEqual([
      'backend',
      'otlp-endpoint',
      'otlp-protocol',
    ]);
    expect(inputsFor(skill, 'sampling', { 'tail-sampling': 'errors' }).map((i) => i.id)).toEqual([
      'sampling-percent',
      'tail-sampling',
    ]);
  });
});
