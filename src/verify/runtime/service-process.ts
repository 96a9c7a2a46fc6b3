/**
 * One started service: its command run with a shell in its own process group, its output kept line by line with the
 * time each line arrived, and a stop that sends SIGTERM to the whole group and SIGKILL after a grace period. Every group
 * is tracked in the process-group registry until it is gone, so an interrupt, a thrown error or the process exiting
 * never leaves it running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { trackProcessGroup, untrackProcessGroup, type LiveProcessGroup } from '../../core/process-groups.js';

export interface LogLine {
  serviceId: string;
  stream: 'stdout' | 'stderr';
  text: string;
  /** Epoch milliseconds when the line was read. */
  at: number;
}

const MAX_LINES = 20_000;

export class ServiceProcess implements LiveProcessGroup {
  readonly lines: LogLine[] = [];
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  spawnError: Error | undefined;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private stopping: Promise<void> | undefined;
  private readonly activityListeners = new Set<() => void>();

  constructor(
    readonly serviceId: string,
    readonly command: string,
    cwd: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(command, { cwd, env, shell: true, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (this.child.pid !== undefined) trackProcessGroup(this);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve();
        this.notifyActivity();
      });
      this.child.once('error', (error) => {
        this.spawnError = error;
        resolve();
        this.notifyActivity();
      });
    });
    this.capture('stdout');
    this.capture('stderr');
  }

  private capture(stream: 'stdout' | 'stderr'): void {
    let partial = '';
    const source = this.child[stream];
    if (!source) return;
    source.setEncoding('utf8');
    source.on('data', (chunk: string) => {
      const parts = (partial + chunk).split(/\r?\n/);
      partial = parts.pop() ?? '';
      for (const text of parts) this.push(stream, text);
      if (parts.length > 0) this.notifyActivity();
    });
    source.on('end', () => {
      if (partial !== '') this.push(stream, partial);
      partial = '';
    });
  }

  private push(stream: 'stdout' | 'stderr', text: string): void {
    if (this.lines.length >= MAX_LINES) this.lines.shift();
    this.lines.push({ serviceId: this.serviceId, stream, text, at: Date.now() });
  }

  /**
   * Calls `listener` whenever the process prints a line or exits (a service usually says it listens as it starts to):
   * the moments worth looking at its port again. Returns the function that unsubscribes it.
   */
  onActivity(listener: () => void): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  private notifyActivity(): void {
    for (const listener of this.activityListeners) listener();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The process group id: the shell was started as a group leader (detached), so it is its pid. */
  get pgid(): number {
    return this.child.pid ?? -1;
  }

  /** True once the shell (the group leader) has exited or could not be spawned. */
  get hasExited(): boolean {
    return this.exitCode !== null || this.exitSignal !== null || this.spawnError !== undefined;
  }

  /** The last lines of stderr (or of stdout when stderr is empty), for a failure message. */
  tail(maxLines = 15, maxChars = 1500): string {
    const pick = (stream: 'stdout' | 'stderr') => this.lines.filter((l) => l.stream === stream && l.text.trim() !== '');
    const chosen = pick('stderr').length > 0 ? pick('stderr') : pick('stdout');
    const text = chosen
      .slice(-maxLines)
      .map((l) => l.text)
      .join('\n');
    const withExit = this.spawnError ? `${text}\n${this.spawnError.message}`.trim() : text;
    return withExit.length > maxChars ? `…${withExit.slice(-maxChars)}` : withExit;
  }

  private groupAlive(): boolean {
    if (this.pid === undefined) return false;
    try {
      process.kill(-this.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.pid === undefined) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // the group is gone
    }
  }

  /** SIGKILL to the whole group, synchronously (for the exit hook). */
  killNow(): void {
    this.signalGroup('SIGKILL');
    untrackProcessGroup(this);
  }

  /** SIGTERM to the process group, then SIGKILL to whatever is left after `graceMs`. Resolves when the group is gone. */
  stop(graceMs = 3_000): Promise<void> {
    this.stopping ??= (async () => {
      this.signalGroup('SIGTERM');
      const deadline = Date.now() + graceMs;
      while (this.groupAlive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      if (this.groupAlive()) this.signalGroup('SIGKILL');
      const killDeadline = Date.now() + 2_000;
      while (this.groupAlive() && Date.now() < killDeadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 500))]);
      this.child.stdout?.destroy();
      this.child.stderr?.destroy();
      untrackProcessGroup(this);
    })();
    return this.stopping;
  }
}
