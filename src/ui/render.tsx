// First: chalk (loaded by Ink) must see NO_COLOR's effect when it loads.
import { restoreForceColor } from './no-color.js';
import React from 'react';
import { render } from 'ink';
import { App, type AppProps, type GuideOutcome } from './App.js';

restoreForceColor();

export type { GuideOutcome } from './App.js';

/**
 * Mounts the guide and resolves when the user quits (`quit`) or presses Ctrl-C (`interrupted`). Ctrl-C is the guide's
 * own key, not Ink's exit: the guide first shows that it is cancelling, and the caller stops what is running.
 */
export async function renderGuide(props: AppProps): Promise<GuideOutcome> {
  let outcome: GuideOutcome = 'quit';
  const instance = render(<App {...props} onInterrupt={() => (outcome = 'interrupted')} />, { exitOnCtrlC: false });
  await instance.waitUntilExit();
  return outcome;
}
