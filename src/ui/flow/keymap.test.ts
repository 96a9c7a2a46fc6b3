import { describe, expect, it } from 'vitest';
import { commandFor, footerHints, helpRows, keyName, KEYMAP, type KeyContext } from './keymap.js';

const verify: KeyContext = {
  phase: 'verify',
  canUndo: true,
  hasTraces: true,
  hasFixes: false,
  openNotes: true,
  checked: true,
  last: false,
  finished: false,
};

describe('the keymap', () => {
  it('maps each key to what the flow does on a screen, and to nothing where it does not apply', () => {
    expect(commandFor('r', 'verify', verify)).toBe('check');
    expect(commandFor('c', 'done', { ...verify, phase: 'done' })).toBe('check');
    expect(commandFor('c', 'apply', { ...verify, phase: 'apply' })).toBeUndefined();
    expect(commandFor('a', 'apply', { ...verify, phase: 'apply' })).toBe('apply');
    // On the review screen the proposal list takes a and b itself.
    expect(commandFor('a', 'review', { ...verify, phase: 'review' })).toBeUndefined();
    expect(commandFor('b', 'review', { ...verify, phase: 'review' })).toBeUndefined();
    expect(commandFor('s', 'done', { ...verify, phase: 'done' })).toBeUndefined();
    // f acts only when the doctor proposed fixes.
    expect(commandFor('f', 'verify', verify)).toBeUndefined();
    expect(commandFor('f', 'verify', { ...verify, hasFixes: true })).toBe('fix');
    // n is "next step" on a proven step and "keep them" in the undo confirmation.
    expect(commandFor('n', 'done', { ...verify, phase: 'done' })).toBe('next');
    expect(commandFor('n', 'undo', verify)).toBe('close');
    expect(commandFor('y', 'undo', verify)).toBe('undo-confirmed');
    expect(commandFor('y', 'verify', verify)).toBeUndefined();
    // In the help, q and ? close it instead of quitting or reopening; in the skip prompt only esc is taken.
    expect(commandFor('q', 'help', verify)).toBe('close');
    expect(commandFor('q', 'verify', verify)).toBe('quit');
    expect(commandFor('q', 'skip', verify)).toBeUndefined();
    expect(commandFor('escape', 'skip', verify)).toBe('close');
    expect(commandFor(keyName('', { downArrow: true }), 'verify', verify)).toBe('scroll-down');
    expect(commandFor(keyName('', { upArrow: true }), 'done', { ...verify, phase: 'done' })).toBe('scroll-up');
  });

  it('gives the footer of each phase from the same rows, in table order', () => {
    expect(footerHints('verify', verify, 200)).toBe(
      'r retry the checks · d mark your edits done · b back (re-plan) · s skip · t traces · u undo · ? help · q quit',
    );
    expect(
      footerHints('verify', { ...verify, checked: false, openNotes: false, hasTraces: false, canUndo: false }, 200),
    ).toBe('c run the checks · b back (re-plan) · s skip · ? help · q quit');
    expect(footerHints('apply', { ...verify, phase: 'apply', hasTraces: false }, 200)).toBe(
      'a apply the accepted proposals · b back to review · s skip · u undo · ? help · q quit',
    );
    expect(footerHints('done', { ...verify, phase: 'done', hasFixes: true }, 200)).toBe(
      "f apply the doctor's fixes · n next step · r check again · b reopen · t traces · u undo · ? help · q quit",
    );
    expect(
      footerHints(
        'done',
        { ...verify, phase: 'done', last: true, finished: true, hasTraces: false, canUndo: false },
        200,
      ),
    ).toBe('all steps finished · r check again · b reopen · ? help · q quit');
    expect(footerHints('undo', verify, 200)).toBe('y undo · n keep them');
    // The proposal list takes its keys itself; its line comes from the same table, without the flow's own keys.
    expect(footerHints('review', { ...verify, phase: 'review' }, 200)).toBe(
      '↑/↓ move · space accept/reject · enter diff · a apply accepted · b back',
    );
    expect(commandFor('space', 'review', { ...verify, phase: 'review' })).toBeUndefined();
  });

  it('drops the least important hints first when the line is short of room, keeping ? help and q quit whole', () => {
    const full = footerHints('verify', verify, 200);
    expect(full.length).toBeGreaterThan(76);
    const at76 = footerHints('verify', verify, 76);
    expect(at76.length).toBeLessThanOrEqual(76);
    expect(at76).toMatch(/ · \? help · q quit$/);
    expect(at76).toContain('r retry the checks');
    expect(at76).toContain('d mark your edits done');
    // u undo goes before t traces, which goes before s skip.
    expect(at76).not.toContain('u undo');
    const at40 = footerHints('verify', verify, 40);
    expect(at40.length).toBeLessThanOrEqual(40);
    expect(at40).toMatch(/q quit$/);
    expect(at40).toContain('r retry the checks');
  });

  it('lists every key the flow handles in the help overlay', () => {
    const listed = helpRows().map(([keys]) => keys);
    for (const binding of KEYMAP) {
      if (!binding.command || binding.screens.every((s) => s === 'help' || s === 'undo' || s === 'skip')) continue;
      if (binding.command === 'scroll-down' || binding.command === 'scroll-up') continue;
      expect(binding.help, `${binding.keys.join('/')} (${binding.command}) has no help line`).toBeDefined();
    }
    expect(listed).toEqual(
      expect.arrayContaining(['a', 'c / r', 'f', 'd', 'n', 'b', 's', 't', 'u', 'i', 'esc', '?', 'q']),
    );
    expect(new Set(listed).size).toBe(listed.length);
  });
});
