import { describe, expect, it } from 'vitest';
import { answerOffline, formatOfflineAnswer } from '../../src/chat/offline-answer.js';
import { rankPassages, splitPage, terms } from '../../src/chat/passages.js';
import { testSkill } from '../helpers/recipe-harness.js';

describe('offline ask: passages of the reference pages ranked by BM25', () => {
  it('splits a page by heading and paragraph, keeping code fences whole', () => {
    const page =
      '# Step X — Title\n\nIntro line.\n\n## First\nAlpha beta.\n\n```sh\n# not a heading\nrun me\n```\n\n## Second\nGamma delta.\n';
    const passages = splitPage('sampling', page);
    expect(passages.map((p) => [p.page, p.heading])).toEqual([
      ['Step X — Title', ''],
      ['Step X — Title', 'First'],
      ['Step X — Title', 'Second'],
    ]);
    expect(passages[1]!.text).toContain('# not a heading');
    expect(terms('Why does Tempo not tail-sample traces?')).toEqual(['tempo', 'tail', 'sample', 'trace']);
    expect(rankPassages(passages, 'gamma')[0]!.heading).toBe('Second');
    expect(rankPassages(passages, 'the of and')).toEqual([]);
  });

  it('answers "why does tempo not tail sample" with the sampling page passage about the Collector', async () => {
    const skill = await testSkill();
    const answer = answerOffline(skill, 'why does tempo not tail sample');
    expect(answer.passages.length).toBeGreaterThanOrEqual(1);
    expect(answer.passages.length).toBeLessThanOrEqual(3);
    const best = answer.passages[0]!;
    expect(best.step).toBe('sampling');
    expect(best.text).toMatch(/Tempo/);
    expect(best.text).toMatch(/Collector/);
    const text = formatOfflineAnswer(answer);
    expect(text).toContain('Step 5 — Sampling');
    expect(text).toContain(best.heading);
    expect(text).toMatch(/ANTHROPIC_API_KEY/);
  });

  it('searches only the step page with a step, and says so when nothing matches', async () => {
    const skill = await testSkill();
    const answer = answerOffline(skill, 'collector memory grows', { step: 'sampling' });
    expect(answer.passages.every((p) => p.step === 'sampling')).toBe(true);
    expect(answer.passages[0]!.heading).toBe('Troubleshooting');
    const none = answerOffline(skill, 'zzqx flibbertigibbet');
    expect(none.passages).toEqual([]);
    expect(formatOfflineAnswer(none)).toMatch(/No passage/);
  });
});
