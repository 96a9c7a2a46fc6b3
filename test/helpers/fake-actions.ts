import type { GuideActions } from '../../src/ui/actions.js';

/** GuideActions for component tests: every action not scripted fails loudly, so a test sees what it did not expect. */
export function fakeActions(overrides: Partial<GuideActions> = {}): GuideActions {
  const unexpected = (name: string) => async () => {
    throw new Error(`the test did not expect ${name}()`);
  };
  return {
    planner: { kind: 'recipes' },
    start: unexpected('start'),
    plan: unexpected('plan'),
    apply: unexpected('apply'),
    check: unexpected('check'),
    fix: unexpected('fix'),
    undo: unexpected('undo'),
    skip: unexpected('skip'),
    markNotesDone: unexpected('markNotesDone'),
    next: unexpected('next'),
    back: unexpected('back'),
    ask: unexpected('ask'),
    preview: unexpected('preview'),
    ...overrides,
  };
}
