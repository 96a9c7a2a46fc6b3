/**
 * Driving Ink components in tests (ink-testing-library): key codes, waiting for a frame instead of sleeping, sending a
 * key until the screen answers, and replaying state-machine events to build the sessions a screen is shown with.
 */
import { reduce, type SessionEvent } from '../../src/session/machine.js';
import type { Session } from '../../src/session/schema.js';

export const ENTER = '\r';
export const ESC = '\u001B';
export const UP = '\u001B[A';
export const DOWN = '\u001B[B';
export const SPACE = ' ';

type LastFrame = () => string | undefined;
type Stdin = { write(data: string): void };

/** Waits until the last frame contains the text (or matches the pattern); the error shows the last frame. */
export async function frameWith(lastFrame: LastFrame, text: string | RegExp, timeoutMs = 3000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const frame = lastFrame() ?? '';
    if (typeof text === 'string' ? frame.includes(text) : text.test(frame)) return frame;
    if (Date.now() - start > timeoutMs) throw new Error(`no frame contained ${String(text)}; last frame:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Sends a key until the frame shows the text. A component that has just appeared subscribes to keys in a passive effect
 * (React runs it after the frame is drawn), so a key sent in that instant can be missed — as in a real terminal.
 */
export async function pressUntil(stdin: Stdin, lastFrame: LastFrame, key: string, text: string | RegExp): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    stdin.write(key);
    try {
      return await frameWith(lastFrame, text, 400);
    } catch (error) {
      if (attempt >= 8) throw error;
    }
  }
}

/** Lets Ink take a key before the next one (it reads stdin per event). */
export async function press(stdin: Stdin, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    stdin.write(key);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The session after the events, through the real state machine (an illegal event fails the test). */
export function after(session: Session, ...events: SessionEvent[]): Session {
  let next = session;
  for (const event of events) {
    const result = reduce(next, event, '2026-11-25T12:05:00.000Z');
    if (!result.ok) throw new Error(result.error);
    next = result.session;
  }
  return next;
}
