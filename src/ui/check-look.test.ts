import { describe, expect, it } from 'vitest';
import { checkLines, checkLook } from './text.js';

describe('a check result drawn with the colour of what it means for the step', () => {
  it('a required check that failed or could not run blocks the step: red and bold', () => {
    expect(checkLook('fail', true)).toEqual({ color: 'red', bold: true });
    expect(checkLook('skipped', true)).toEqual({ color: 'red', bold: true });
  });

  it('optional failures warn (yellow); an optional check that did not run and "nothing to check" are grey, never green', () => {
    expect(checkLook('fail', false).color).toBe('yellow');
    expect(checkLook('warn', true).color).toBe('yellow');
    expect(checkLook('skipped', false).color).toBe('gray');
    expect(checkLook('nothing-to-check', true).color).toBe('gray');
    expect(checkLook('pass', true).color).toBe('green');
  });

  it('"nothing to check" has no tick; without colour no line carries one', () => {
    const [line] = checkLines(
      { itemId: 'x', status: 'nothing-to-check', summary: 'no manual spans', evidence: [] },
      'Spans are ended',
      true,
      true,
    );
    expect(line!.text.startsWith('✓')).toBe(false);
    expect(line!.color).toBe('gray');
    const plain = checkLines(
      { itemId: 'x', status: 'fail', summary: 'down', evidence: [], fix: 'start it' },
      'Backend up',
      true,
      false,
    );
    expect(plain.every((l) => l.color === undefined)).toBe(true);
  });
});
