import React from 'react';
import { render } from 'ink';
import { App, type AppProps } from './App.js';

/** Mounts the guide and resolves when the user quits. */
export async function renderGuide(props: AppProps): Promise<void> {
  const instance = render(<App {...props} />);
  await instance.waitUntilExit();
}
