import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * A real terminal for end-to-end tests of the interactive guide: a detached tmux session of a fixed size,
 * keys sent with send-keys, the screen read with capture-pane. The session is killed by `close()`.
 */
export class TmuxTerminal {
  readonly name = `tg-${process.pid}-${randomBytes(3).toString('hex')}`;

  constructor(
    command: string,
    options: { cwd: string; width?: number; height?: number; env?: Record<string, string> },
  ) {
    // A person's terminal, not CI: under CI=true Ink draws only the last frame, so the screen would stay empty.
    const env = Object.entries({ NO_COLOR: '1', CI: '0', CONTINUOUS_INTEGRATION: '0', ...options.env }).flatMap(
      ([key, value]) => ['-e', `${key}=${value}`],
    );
    execFileSync('tmux', [
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(options.width ?? 80),
      '-y',
      String(options.height ?? 24),
      '-c',
      options.cwd,
      ...env,
      // Keep the pane after the command ends so that its exit code can be read.
      `${command}; echo "[exit $?]"; sleep 60`,
    ]);
  }

  /** The screen's text; with `escapes`, with the colour and attribute escapes tmux keeps for each cell (capture-pane -e). */
  screen(options: { escapes?: boolean } = {}): string {
    return execFileSync('tmux', ['capture-pane', '-p', ...(options.escapes ? ['-e'] : []), '-t', this.name], {
      encoding: 'utf8',
    });
  }

  /** Keys in tmux send-keys syntax: 'Enter', 'Down', 'q', 'C-c'. */
  send(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  /** Types text literally (send-keys -l): spaces and letters that are also key names arrive as characters. */
  type(text: string): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, '-l', text]);
  }

  async waitFor(text: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const start = Date.now();
    for (;;) {
      const screen = this.screen();
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      if (Date.now() - start > timeoutMs)
        throw new Error(`the screen never showed ${String(text)}; it shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Waits until the app reads keys: its terminal is in raw mode (`-icanon` in the pane tty's settings). A key typed
   * before Ink switches the terminal to raw mode is held by the line discipline and never reaches the app.
   */
  async ready(timeoutMs = 15_000): Promise<void> {
    const tty = execFileSync('tmux', ['display-message', '-p', '-t', this.name, '#{pane_tty}'], {
      encoding: 'utf8',
    }).trim();
    const start = Date.now();
    for (;;) {
      const settings = execFileSync('stty', ['-F', tty, '-a'], { encoding: 'utf8' });
      if (/(^|\s)-icanon(\s|$)/.test(settings)) return;
      if (Date.now() - start > timeoutMs) throw new Error(`the app never put its terminal (${tty}) in raw mode`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /**
   * Sends a key once the app reads keys (`ready`), then waits for the screen to show the text. The guide's own keys
   * (its one key subscription) are never dropped once the terminal is raw, but @inkjs/ui's Select and MultiSelect
   * subscribe on their own after their first frame, so a key sent in that instant can still be missed: the key is sent
   * again only when the screen has not answered within 1.5 s.
   */
  async pressUntil(key: string, text: string | RegExp, timeoutMs = 15_000): Promise<string> {
    await this.ready();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.send(key);
      try {
        return await this.waitFor(text, Math.min(1500, Math.max(0, deadline - Date.now())));
      } catch (error) {
        if (Date.now() >= deadline) throw error;
      }
    }
  }

  /**
   * Sends a key once it is taken, then waits for the work it starts: `taken` is what the screen shows as soon as the
   * key arrived (a spinner, or already the result), `done` the end of the work, which may take minutes.
   */
  async pressAndWait(key: string, taken: string | RegExp, done: string | RegExp, timeoutMs = 120_000): Promise<string> {
    await this.pressUntil(key, taken);
    return this.waitFor(done, timeoutMs);
  }

  close(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}
