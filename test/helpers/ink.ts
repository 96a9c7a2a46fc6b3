/**
 * Driving Ink components in tests (ink-testing-library): key codes, waiting for a frame instead of sleeping, sending a
 * key until the screen answers, and replaying state-machine events to build the sessions a screen is shown with.
 */
import { EventEmitter } from 'node:events';
import type { ReactElement } from 'react';
import { render as inkRender } from 'ink';
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
 * Sends a key, then waits for the frame to show the text. The guide's own components (text fields, the step flow, the
 * trace view) take keys through its one subscription (KeyRouter), joined before their first frame, so their keys are
 * never dropped. @inkjs/ui's Select and MultiSelect (the questions, the landing and resume menus) still subscribe in a
 * passive effect, after their first frame: for them a key is sent again when the frame has not answered in 400 ms.
 */
export async function pressUntil(
  stdin: Stdin,
  lastFrame: LastFrame,
  key: string,
  text: string | RegExp,
): Promise<string> {
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

/** A terminal of a given size for Ink: every frame written is kept, and `resize` emits 'resize' as a real one does. */
class SizedStdout extends EventEmitter {
  readonly frames: string[] = [];
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
}

class TestStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export interface SizedRender {
  lastFrame: LastFrame;
  /** Every frame drawn so far. */
  frames(): string[];
  stdin: Stdin;
  /** Changes the terminal's size and tells Ink, as a terminal window being resized does. */
  resize(columns: number, rows: number): void;
  unmount(): void;
}

/**
 * Renders at a terminal size (ink-testing-library's terminal is always 100 columns and has no rows). Frames are whole
 * (Ink's debug mode), so a test can measure each frame's height and width.
 */
export function renderAt(tree: ReactElement, size: { columns: number; rows: number }): SizedRender {
  const stdout = new SizedStdout(size.columns, size.rows);
  const stdin = new TestStdin();
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new SizedStdout(size.columns, size.rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    lastFrame: () => stdout.frames.at(-1),
    frames: () => [...stdout.frames],
    stdin,
    resize(columns, rows) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
    },
    unmount: () => instance.unmount(),
  };
}

/** The frame's lines without colour codes, for measuring. */
export function frameLines(frame: string): string[] {
  // eslint-disable-next-line no-control-regex
  return frame.replace(/\u001B\[[0-9;]*m/g, '').split('\n');
}
