/**
 * Line editing for the guide's text fields, as a pure function of the field and one input event from Ink: typed text
 * (a fast burst arrives as one event, with its Backspaces and its Enter inside it), Backspace/DEL, Ctrl-U (clear),
 * Ctrl-W (delete the last word) and Enter. A prefilled value is "selected": the first character typed replaces it,
 * Backspace clears it, Enter keeps it. The cursor stays at the end of the text.
 */

export interface TextFieldState {
  value: string;
  /** The value is still the prefilled one, untouched. */
  prefilled: boolean;
}

/** The keys of an Ink input event that editing reads. */
export interface EditKey {
  return?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  escape?: boolean;
  tab?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
}

export interface EditResult {
  state: TextFieldState;
  /** The value submitted by an Enter in this event (the text up to it). */
  submitted?: string;
}

const DEL = '\u007F';
const BS = '\b';
const CTRL_U = '\u0015';
const CTRL_W = '\u0017';

export function initialField(prefill: string): TextFieldState {
  return { value: prefill, prefilled: prefill !== '' };
}

function deleteChar(state: TextFieldState): TextFieldState {
  if (state.prefilled) return { value: '', prefilled: false };
  return { value: [...state.value].slice(0, -1).join(''), prefilled: false };
}

function deleteWord(state: TextFieldState): TextFieldState {
  if (state.prefilled) return { value: '', prefilled: false };
  return { value: state.value.replace(/\S*\s*$/, ''), prefilled: false };
}

function typeChar(state: TextFieldState, char: string): TextFieldState {
  return { value: (state.prefilled ? '' : state.value) + char, prefilled: false };
}

/** Applies one input event; stops at the first Enter (what follows it in the same burst is not part of this answer). */
export function editText(state: TextFieldState, input: string, key: EditKey): EditResult {
  if (key.return) return { state, submitted: state.value };
  if (key.ctrl && input === 'u') return { state: { value: '', prefilled: false } };
  if (key.ctrl && input === 'w') return { state: deleteWord(state) };
  if (key.backspace || key.delete) return { state: deleteChar(state) };
  if (
    key.ctrl ||
    key.meta ||
    key.escape ||
    key.tab ||
    key.upArrow ||
    key.downArrow ||
    key.leftArrow ||
    key.rightArrow ||
    key.pageUp ||
    key.pageDown
  ) {
    return { state };
  }
  let next = state;
  for (const char of input) {
    if (char === '\r' || char === '\n') return { state: next, submitted: next.value };
    if (char === DEL || char === BS) next = deleteChar(next);
    else if (char === CTRL_U) next = { value: '', prefilled: false };
    else if (char === CTRL_W) next = deleteWord(next);
    else if (char >= ' ') next = typeChar(next, char);
  }
  return { state: next };
}
