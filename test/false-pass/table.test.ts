/**
 * Keeps TABLE.md honest: every required checklist item of the skill has at least one row, and every row names a test
 * file that exists and a test title found in it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSkillDir, loadSkill } from '../../src/skill/load.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TABLE = readFileSync(path.join(import.meta.dirname, 'TABLE.md'), 'utf8');

interface Row {
  id: string;
  file: string;
  test: string;
}

function rows(): Row[] {
  return TABLE.split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---') && !/^\| (check id|concern)\s+\|/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    )
    .filter((cells) => cells.length === 3)
    .map(([id, file, test]) => ({ id: id!, file: file!, test: test! }));
}

describe('test/false-pass/TABLE.md', () => {
  it('has a row for every required check of the skill', async () => {
    const skill = await loadSkill(defaultSkillDir());
    const covered = new Set(rows().map((r) => r.id));
    const required = skill.checklist.filter((item) => item.required).map((item) => item.id);
    expect(required.length).toBeGreaterThan(20);
    expect(required.filter((id) => !covered.has(id))).toEqual([]);
  });

  it('names test files that exist and test titles found in them', () => {
    const problems: string[] = [];
    for (const row of rows()) {
      const file = path.join(ROOT, row.file);
      if (!existsSync(file)) {
        problems.push(`${row.id}: ${row.file} does not exist`);
        continue;
      }
      if (!readFileSync(file, 'utf8').includes(row.test))
        problems.push(`${row.id}: "${row.test}" not found in ${row.file}`);
    }
    expect(problems).toEqual([]);
  });
});
