import { useCallback, useRef } from 'react';
import { useInput, type Key } from 'ink';

/**
 * useInput with the newest handler always: Ink subscribes the handler in a passive effect, which React may run well
 * after the frame is on screen, so a key pressed right after a change could reach a handler that still sees the old
 * state. Here the subscription is made once and reads the handler (and whether it is active) from a ref set at render.
 */
export function useKeys(handler: (input: string, key: Key) => void, isActive = true): void {
  const latest = useRef({ handler, isActive });
  latest.current = { handler, isActive };
  const stable = useCallback((input: string, key: Key) => {
    if (latest.current.isActive) latest.current.handler(input, key);
  }, []);
  useInput(stable);
}
