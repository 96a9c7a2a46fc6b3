import React, { createContext, useCallback, useContext, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useInput, type Key } from 'ink';

type Handler = (input: string, key: Key) => void;
type Subscriber = { current: { handler: Handler; isActive: boolean } };

const Router = createContext<Set<Subscriber> | undefined>(undefined);

/**
 * One subscription to the keyboard for the whole guide, made when it starts. Components that appear later (the review
 * once its diffs are read, a confirmation) join it in a layout effect, which runs before their first frame is on
 * screen; Ink's own `useInput` subscribes in a passive effect, which React may run well after the frame, so a key
 * pressed as the frame appears could be lost.
 */
export function KeyRouter({ children }: { children: ReactNode }) {
  const subscribers = useRef(new Set<Subscriber>());
  useInput((input, key) => {
    for (const subscriber of [...subscribers.current]) {
      if (subscriber.current.isActive) subscriber.current.handler(input, key);
    }
  });
  return <Router.Provider value={subscribers.current}>{children}</Router.Provider>;
}

/**
 * useInput with the newest handler always: the handler (and whether it is active) is read from a ref set at render, so
 * a key pressed right after a change never reaches a handler that still sees the old state. Under a `KeyRouter` the
 * component joins the guide's one subscription; without one (a component rendered on its own) it subscribes itself.
 */
export function useKeys(handler: Handler, isActive = true): void {
  const router = useContext(Router);
  const latest = useRef({ handler, isActive });
  latest.current = { handler, isActive };
  useLayoutEffect(() => {
    if (!router) return undefined;
    router.add(latest);
    return () => {
      router.delete(latest);
    };
  }, [router]);
  const stable = useCallback((input: string, key: Key) => {
    if (latest.current.isActive) latest.current.handler(input, key);
  }, []);
  useInput(stable, { isActive: router === undefined });
}
