import type { Phase } from '../../session/schema.js';

/**
 * The guide's keys as data: one table drives the step flow's key handler (`commandFor`), the footer hints
 * (`footerHints`) and the `?` overlay (`helpRows`), so the three cannot disagree.
 */

/** Where a key applies: a phase of the step, or a confirmation/overlay open over it. */
export type KeyScreen = Phase | 'help' | 'undo' | 'skip';

/** What the step flow does for a key (run by `useStepFlow`). Review keys are taken by the proposal list itself. */
export type FlowCommand =
  | 'quit'
  | 'help'
  | 'ask'
  | 'skip'
  | 'undo'
  | 'undo-confirmed'
  | 'close'
  | 'check'
  | 'fix'
  | 'traces'
  | 'next'
  | 'back'
  | 'apply'
  | 'notes-done'
  | 'scroll-down'
  | 'scroll-up'
  | 'scroll-page-down'
  | 'scroll-page-up'
  | 'scroll-top'
  | 'scroll-bottom';

/** Named keys (Ink's key flags); anything else is the typed character. */
export type NamedKey = 'up' | 'down' | 'return' | 'escape' | 'space' | 'pageup' | 'pagedown' | 'home' | 'end';

/**
 * Moving in any list or pane of the guide — the results, the proposal list, a diff, the trace list, a waterfall, span
 * detail — with the same keys: one table, read by every screen through `navigationFor`.
 */
export type Navigation = 'down' | 'up' | 'page-down' | 'page-up' | 'top' | 'bottom' | 'next-match' | 'previous-match';

export const NAVIGATION: readonly { keys: readonly string[]; move: Navigation }[] = [
  { keys: ['down', 'j'], move: 'down' },
  { keys: ['up', 'k'], move: 'up' },
  { keys: ['pagedown', ' '], move: 'page-down' },
  { keys: ['pageup'], move: 'page-up' },
  { keys: ['g', 'home'], move: 'top' },
  { keys: ['G', 'end'], move: 'bottom' },
  { keys: ['n'], move: 'next-match' },
  { keys: ['N'], move: 'previous-match' },
];

/** The move a key makes in a list or pane (undefined: not a moving key). `n`/`N` only where a search can match. */
export function navigationFor(
  input: string,
  key: InkKeyFlags,
  options: { search?: boolean; space?: boolean } = {},
): Navigation | undefined {
  const name = keyName(input, key);
  const entry = NAVIGATION.find((n) => n.keys.includes(name === 'space' ? ' ' : name));
  if (!entry) return undefined;
  if ((entry.move === 'next-match' || entry.move === 'previous-match') && !options.search) return undefined;
  if (name === 'space' && !options.space) return undefined;
  return entry.move;
}

/** The key flags of an Ink input event that name a key. */
export interface InkKeyFlags {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
}

/** What the hints and the handler need to know about the step on screen. */
export interface KeyContext {
  phase: Phase;
  /** The step changed files (undo has something to do). */
  canUndo: boolean;
  /** The last check run observed spans. */
  hasTraces: boolean;
  /** The doctor proposed fixes on the last failed run. */
  hasFixes: boolean;
  /** Required notes applied and not marked done yet. */
  openNotes: boolean;
  /** The checks have run in this step. */
  checked: boolean;
  /** The step on screen is the last one. */
  last: boolean;
  /** Every step is proven or skipped. */
  finished: boolean;
}

export interface KeyBinding {
  keys: readonly (string | NamedKey)[];
  /** The screens where the key does something. */
  screens: readonly KeyScreen[];
  /** What the flow does (absent: the key is taken by a component of the screen and only listed in the help). */
  command?: FlowCommand;
  /** Whether the key acts (absent: always, on its screens). */
  enabled?: (ctx: KeyContext) => boolean;
  /** The footer hint on a screen (absent or undefined: not shown there). */
  hint?: (ctx: KeyContext) => string | undefined;
  /** How much the footer keeps the hint when the line is short of room: the lowest goes first. */
  priority: number;
  /** The `?` overlay's line: the keys as shown and what they do (absent: not listed). */
  help?: readonly [string, string];
}

const ALL_PHASES: readonly Phase[] = ['plan', 'review', 'apply', 'verify', 'done'];
const CHECKED_PHASES: readonly Phase[] = ['verify', 'done'];

export const KEYMAP: readonly KeyBinding[] = [
  // Taken by the proposal list and its diff (src/ui/components/ProposalReview.tsx): here for its hints and the help.
  {
    keys: ['up', 'down'],
    screens: ['plan', 'review'],
    hint: reviewHint('↑/↓ move'),
    priority: 60,
    help: ['↑/↓', 'move, scroll'],
  },
  {
    keys: ['space'],
    screens: ['review'],
    hint: reviewHint('space accept/reject'),
    priority: 70,
    help: ['space', 'accept/reject; toggle'],
  },
  {
    keys: ['return'],
    screens: ['plan', 'review'],
    hint: reviewHint('enter diff'),
    priority: 65,
    help: ['enter', 'choose; open a diff'],
  },
  { keys: ['a'], screens: ['review'], hint: reviewHint('a apply accepted'), priority: 80 },
  { keys: ['b'], screens: ['review'], hint: reviewHint('b back'), priority: 50 },
  {
    keys: ['f'],
    screens: CHECKED_PHASES,
    command: 'fix',
    enabled: (ctx) => ctx.hasFixes,
    hint: (ctx) => (ctx.hasFixes ? "f apply the doctor's fixes" : undefined),
    priority: 85,
    help: ['f', "apply the doctor's fixes"],
  },
  {
    keys: ['a'],
    screens: ['apply'],
    command: 'apply',
    hint: () => 'a apply the accepted proposals',
    priority: 80,
    help: ['a', 'apply accepted proposals'],
  },
  {
    keys: ['n'],
    screens: ['done'],
    command: 'next',
    hint: (ctx) => (!ctx.last ? 'n next step' : ctx.finished ? 'all steps finished' : undefined),
    priority: 80,
    help: ['n', 'next step (once proven)'],
  },
  {
    keys: ['c', 'r'],
    screens: CHECKED_PHASES,
    command: 'check',
    hint: (ctx) => (ctx.phase === 'done' ? 'r check again' : ctx.checked ? 'r retry the checks' : 'c run the checks'),
    priority: 78,
    help: ['c / r', 'run the checks (again)'],
  },
  {
    keys: ['d'],
    screens: ALL_PHASES,
    command: 'notes-done',
    enabled: (ctx) => ctx.openNotes,
    hint: (ctx) => (ctx.openNotes && ctx.phase === 'verify' ? 'd mark your edits done' : undefined),
    priority: 75,
    help: ['d', 'mark the notes you edited by hand done'],
  },
  {
    keys: ['b'],
    // On the review screen the proposal list takes b (back to the questions).
    screens: ['plan', 'apply', 'verify', 'done'],
    command: 'back',
    hint: (ctx) =>
      ctx.phase === 'apply'
        ? 'b back to review'
        : ctx.phase === 'verify'
          ? 'b back (re-plan)'
          : ctx.phase === 'done'
            ? 'b reopen'
            : undefined,
    priority: 50,
    help: ['b', 'back: re-plan / previous'],
  },
  {
    keys: ['s'],
    screens: ['plan', 'review', 'apply', 'verify'],
    command: 'skip',
    hint: (ctx) => (ctx.phase === 'apply' || ctx.phase === 'verify' ? 's skip' : undefined),
    priority: 40,
    help: ['s', 'skip the step (confirm)'],
  },
  {
    keys: ['t'],
    screens: CHECKED_PHASES,
    command: 'traces',
    hint: (ctx) => (ctx.hasTraces ? 't traces' : undefined),
    priority: 35,
    help: ['t', 'the traces the checks saw'],
  },
  {
    keys: ['u'],
    screens: ALL_PHASES,
    command: 'undo',
    hint: (ctx) => (ctx.canUndo && isFooterPhase(ctx.phase) ? 'u undo' : undefined),
    priority: 30,
    help: ['u', 'undo its changes (confirm)'],
  },
  { keys: ['i'], screens: ALL_PHASES, command: 'ask', priority: 20, help: ['i', 'ask about this step'] },
  {
    keys: ['escape'],
    screens: ['help', 'skip'],
    command: 'close',
    priority: 0,
    help: ['esc', 'close a diff or question'],
  },
  { keys: ['?', 'q'], screens: ['help'], command: 'close', priority: 0 },
  { keys: ['y'], screens: ['undo'], command: 'undo-confirmed', hint: () => 'y undo', priority: 100 },
  { keys: ['n', 'escape'], screens: ['undo'], command: 'close', hint: () => 'n keep them', priority: 100 },
  {
    keys: ['?'],
    screens: ALL_PHASES,
    command: 'help',
    hint: (ctx) => (isFooterPhase(ctx.phase) ? '? help' : undefined),
    priority: 90,
    help: ['?', 'this help (esc closes)'],
  },
  {
    keys: ['q'],
    screens: ALL_PHASES,
    command: 'quit',
    hint: (ctx) => (isFooterPhase(ctx.phase) ? 'q quit' : undefined),
    priority: 100,
    help: ['q', 'quit: the session is saved'],
  },
  // Scrolling the results with the keys of every list (NAVIGATION); the lists of the plan and review screens take them themselves.
  {
    keys: ['down', 'j'],
    screens: ALL_PHASES,
    command: 'scroll-down',
    priority: 0,
    help: ['↓ ↑ / j k', 'move, scroll (every list and pane)'],
  },
  { keys: ['up', 'k'], screens: ALL_PHASES, command: 'scroll-up', priority: 0 },
  { keys: ['pagedown'], screens: ALL_PHASES, command: 'scroll-page-down', priority: 0, help: ['PgDn', 'a page down'] },
  { keys: ['pageup'], screens: ALL_PHASES, command: 'scroll-page-up', priority: 0, help: ['PgUp', 'a page up'] },
  { keys: ['g', 'home'], screens: ALL_PHASES, command: 'scroll-top', priority: 0, help: ['g / Home', 'to the top'] },
  {
    keys: ['G', 'end'],
    screens: ALL_PHASES,
    command: 'scroll-bottom',
    priority: 0,
    help: ['G / End', 'to the bottom'],
  },
];

/** A hint of the proposal list (the review screen), which takes these keys itself. */
function reviewHint(text: string): (ctx: KeyContext) => string | undefined {
  return (ctx) => (ctx.phase === 'review' ? text : undefined);
}

/** The phases whose screen is the flow's own results view with its footer (plan and review have their own lines). */
function isFooterPhase(phase: Phase): boolean {
  return phase === 'apply' || phase === 'verify' || phase === 'done';
}

/** The key as the table names it: a named key when Ink flags one, else the character typed. */
export function keyName(input: string, key: InkKeyFlags): string {
  // Ctrl with a letter is its own key (Ctrl-C interrupts): never the letter's binding.
  if (key.ctrl && input.length === 1) return `ctrl+${input}`;
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageDown) return 'pagedown';
  if (key.pageUp) return 'pageup';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (input === ' ') return 'space';
  return input;
}

/** The command a key runs on a screen, from the first binding of the table that matches (none: the key is ignored). */
export function commandFor(
  name: string,
  screen: KeyScreen,
  ctx: KeyContext,
  keymap: readonly KeyBinding[] = KEYMAP,
): FlowCommand | undefined {
  const binding = keymap.find(
    (b) => b.command && b.keys.includes(name) && b.screens.includes(screen) && (b.enabled?.(ctx) ?? true),
  );
  return binding?.command;
}

/**
 * The footer of a screen: the hints of its keys in table order, joined by " · ". When they do not fit in `width`
 * columns the least important hint is left out first (never cut mid-word), so `? help` and `q quit` stay.
 */
export function footerHints(
  screen: KeyScreen,
  ctx: KeyContext,
  width: number,
  keymap: readonly KeyBinding[] = KEYMAP,
): string {
  const shown = keymap
    .filter((b) => b.screens.includes(screen))
    .map((b) => ({ text: b.hint?.(ctx), priority: b.priority }))
    .filter((h): h is { text: string; priority: number } => h.text !== undefined);
  const line = () => shown.map((h) => h.text).join(' · ');
  while (shown.length > 1 && line().length > width) {
    const least = shown.reduce((low, h, i) => (h.priority < shown[low]!.priority ? i : low), 0);
    shown.splice(least, 1);
  }
  return line();
}

/** The `?` overlay's rows: each listed key once, in table order. */
export function helpRows(keymap: readonly KeyBinding[] = KEYMAP): [string, string][] {
  return keymap.flatMap((b) => (b.help ? [[b.help[0], b.help[1]] as [string, string]] : []));
}
