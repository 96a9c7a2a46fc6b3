import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatDataIssues, formatIssues, formatPath } from './format-issues.js';

describe('formatPath', () => {
  it('writes indexes in brackets and keys with dots', () => {
    expect(formatPath(['steps', 2, 'checklist', 1])).toBe('steps[2].checklist[1]');
    expect(formatPath(['checklist', 3, 'when', 'tail-sampling', 0])).toBe('checklist[3].when.tail-sampling[0]');
    expect(formatPath(['labels', 'has space'])).toBe('labels["has space"]');
    expect(formatPath([])).toBe('(top level)');
  });
});

describe('formatIssues', () => {
  const Schema = z.strictObject({
    name: z.string().min(1),
    count: z.number().min(0).max(10),
    kind: z.enum(['a', 'b']),
    tags: z.array(z.string()).min(1),
  });

  it('says what was expected, and what was found', () => {
    const data = { name: '', count: 11, kind: 'c', tags: [], extra: 1 };
    const result = Schema.safeParse(data);
    expect(result.success).toBe(false);
    const lines = formatIssues('f.yaml', result.error!.issues, { data });
    expect(lines).toContain('f.yaml: name: expected a non-empty string');
    expect(lines).toContain('f.yaml: count: expected a number <= 10');
    expect(lines).toContain('f.yaml: kind: expected one of a, b, got the string "c"');
    expect(lines).toContain('f.yaml: tags: expected a non-empty list');
    expect(lines).toContain('f.yaml: (top level): unexpected key "extra" (a typo?)');
  });

  it('tells a missing field from a wrong type', () => {
    const data = { count: 'three', kind: 'a', tags: ['x'] };
    const lines = formatIssues('f.yaml', Schema.safeParse(data).error!.issues, { data });
    expect(lines).toContain('f.yaml: name: expected a string, but it is missing');
    expect(lines).toContain('f.yaml: count: expected a number, got the string "three"');
  });

  it('without a file, gives path-only lines (for callers that name the file themselves)', () => {
    const lines = formatIssues(Schema.safeParse({ name: 'x', count: 1, kind: 'a', tags: [1] }).error!.issues);
    expect(lines).toEqual(['tags[0]: expected a string']);
  });

  it('adds line and column when a locator knows them', () => {
    const issues = Schema.safeParse({ name: 'x', count: 1, kind: 'a' }).error!.issues;
    const lines = formatIssues('f.yaml', issues, { locate: () => ({ line: 4, col: 3 }) });
    expect(lines).toEqual(['f.yaml:4:3: tags: expected a list']);
  });

  it('formats cross-check issues the same way', () => {
    expect(
      formatDataIssues('f.yaml', [{ path: ['steps', 1, 'checklist', 0], message: 'expected a known id' }]),
    ).toEqual(['f.yaml: steps[1].checklist[0]: expected a known id']);
  });
});
