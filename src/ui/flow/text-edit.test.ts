import { describe, expect, it } from 'vitest';
import { editText, initialField, type EditKey, type TextFieldState } from './text-edit.js';

/** Feeds events as Ink hands them over: [input, key]. */
function feed(state: TextFieldState, ...events: [string, EditKey?][]): { state: TextFieldState; submitted?: string } {
  let result: { state: TextFieldState; submitted?: string } = { state };
  for (const [input, key] of events) {
    result = editText(result.state, input, key ?? {});
    if (result.submitted !== undefined) return result;
  }
  return result;
}

describe('text field editing', () => {
  it('a fast burst with DEL characters inside edits in order (no raw DEL in the value)', () => {
    expect(feed(initialField(''), ['hello\u007F\u007F\u007F']).state.value).toBe('he');
    // One Backspace as its own event (Ink names \x7f "delete").
    expect(feed(initialField(''), ['abc'], ['', { delete: true }]).state.value).toBe('ab');
    expect(feed(initialField(''), ['abc'], ['', { backspace: true }]).state.value).toBe('ab');
  });

  it('Ctrl-U clears and Ctrl-W deletes the last word, as events and inside a burst', () => {
    expect(feed(initialField(''), ['one two'], ['u', { ctrl: true }]).state.value).toBe('');
    expect(feed(initialField(''), ['one two  '], ['w', { ctrl: true }]).state.value).toBe('one ');
    expect(feed(initialField(''), ['one two\u0017three']).state.value).toBe('one three');
    expect(feed(initialField(''), ['one\u0015two']).state.value).toBe('two');
  });

  it('text and Enter in one burst submit the text; Enter as its own key submits too', () => {
    expect(feed(initialField(''), ['25\r']).submitted).toBe('25');
    expect(feed(initialField(''), ['25'], ['', { return: true }]).submitted).toBe('25');
  });

  it('a prefilled value is replaced by the first character typed, cleared by Backspace, kept by Enter', () => {
    expect(feed(initialField('10'), ['25']).state.value).toBe('25');
    expect(feed(initialField('10'), ['2'], ['5']).state.value).toBe('25');
    expect(feed(initialField('10'), ['', { delete: true }]).state.value).toBe('');
    expect(feed(initialField('10'), ['', { return: true }]).submitted).toBe('10');
  });

  it('arrows, Escape, Tab and other Ctrl keys leave the text as it is; control characters are never inserted', () => {
    const typed = feed(initialField(''), ['ab']).state;
    for (const key of [{ upArrow: true }, { escape: true }, { tab: true }, { ctrl: true }] as EditKey[])
      expect(editText(typed, 'x', key).state).toBe(typed);
    expect(feed(initialField(''), ['a\u0007b\u001Bc']).state.value).toBe('abc');
  });
});
