import { describe, expect, it } from 'vitest';
import { bandOf, totalsOf } from './scoring.js';
import type { RuleImpact, RuleStatus } from './types.js';

function rules(
  counts: Partial<Record<RuleImpact, [passed: number, total: number]>>,
): { impact: RuleImpact; status: RuleStatus }[] {
  return Object.entries(counts).flatMap(([impact, [passed, total]]) =>
    Array.from({ length: total }, (_, i) => ({
      impact: impact as RuleImpact,
      status: (i < passed ? 'pass' : 'fail') as RuleStatus,
    })),
  );
}

describe('the score formula', () => {
  it("matches the spec's worked example: 530 / 830 → 63.86", () => {
    const t = totalsOf(rules({ Critical: [4, 8], Important: [8, 10], Normal: [6, 8], Low: [1, 5] }));
    expect([t.passedWeight, t.evaluatedWeight, t.score, t.band]).toEqual([530, 830, 63.86, 'Needs Improvement']);
  });
  it('hand-computed: one Critical failed of Critical+Important+Normal+Low → 60 / 100 = 60', () => {
    expect(totalsOf(rules({ Critical: [0, 1], Important: [1, 1], Normal: [1, 1], Low: [1, 1] })).score).toBe(60);
  });
  it('hand-computed: one Low failed of one rule per level → 90 / 100 = 90, Excellent', () => {
    const t = totalsOf(rules({ Critical: [1, 1], Important: [1, 1], Normal: [1, 1], Low: [0, 1] }));
    expect([t.score, t.band]).toEqual([90, 'Excellent']);
  });
  it('leaves not-evaluated rules out of both sums', () => {
    const t = totalsOf([
      ...rules({ Critical: [1, 1], Normal: [0, 1] }),
      { impact: 'Important', status: 'not-evaluated' },
    ]);
    expect([t.passedWeight, t.evaluatedWeight, t.score, t.notEvaluated]).toEqual([40, 60, 66.67, 1]);
  });
  it('has no score when nothing was evaluated', () => {
    expect(totalsOf([{ impact: 'Critical', status: 'not-evaluated' }])).toMatchObject({ score: null, band: null });
  });
});

describe('the bands', () => {
  it.each([
    [100, 'Excellent'],
    [90, 'Excellent'],
    [89.99, 'Good'],
    [75, 'Good'],
    [74.99, 'Needs Improvement'],
    [50, 'Needs Improvement'],
    [49.99, 'Poor'],
    [0, 'Poor'],
  ])('%d is %s', (score, band) => {
    expect(bandOf(score)).toBe(band);
  });
});
