import { spawn, type ChildProcess } from 'node:child_process';
import { trackProcessGroup, untrackProcessGroup, type LiveProcessGroup } from '../core/process-groups.js';

export interface CommandRun {
  ok: boolean;
  code: number | null;
  /** The last lines of stdout and stderr together, for messages. */
  tail: string;
  durationMs: number;
  timedOut: boolean;
  /** The argv that failed (the last one run), for messages. */
  argv: string[];
}

export interface RunOptions {
  /** Time limit for the whole chain. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  onOutput?: (chunk: string) => void;
}

/**
 * A command of a chain as a process group of its own (an install spawns workers: npm's scripts, pip's builds), tracked
 * in the one registry, so that Ctrl-C in the guide or a signal to trace-guide stops the whole install, not just its leader.
 */
class CommandGroup implements LiveProcessGroup {
  private closed = false;
  private readonly done: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    this.done = new Promise((resolve) => child.once('close', () => resolve()));
    void this.done.then(() => {
      this.closed = true;
      untrackProcessGroup(this);
    });
  }

  get pgid(): number {
    return this.child.pid ?? -1;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // the group is gone
    }
  }

  killNow(): void {
    this.signal('SIGKILL');
    untrackProcessGroup(this);
  }

  async stop(graceMs = 1_500): Promise<void> {
    if (this.closed) return;
    this.signal('SIGTERM');
    const grace = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs).unref());
    if ((await Promise.race([this.done, grace])) === 'late') this.signal('SIGKILL');
    untrackProcessGroup(this);
  }
}

function runArgv(
  argv: string[],
  cwd: string,
  deadline: number,
  options: RunOptions,
  keep: (chunk: Buffer) => void,
): Promise<{ code: number | null; timedOut: boolean; error?: string }> {
  return new Promise((resolve) => {
    const [file, ...args] = argv as [string, ...string[]];
    // No shell: the words are passed to the program as they are, nothing is expanded or interpreted.
    const child = spawn(file, args, {
      cwd,
      shell: false,
      detached: true,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const group = new CommandGroup(child);
    if (child.pid !== undefined) trackProcessGroup(group);
    let timedOut = false;
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(
      () => {
        timedOut = true;
        group.signal('SIGTERM');
      },
      Math.max(0, deadline - Date.now()),
    );
    child.on('error', (error) => {
      clearTimeout(timer);
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      resolve({ code: null, timedOut, error: missing ? `${file} was not found on PATH` : error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut });
    });
  });
}

/**
 * Runs a command chain (the argv of each command of an `&&` chain, as the safety policy parsed it) in `cwd`, one
 * after the other without a shell, stopping at the first that fails; with a time limit; never throws for a failing
 * command. Output is kept only as a tail (the last ~40 lines) so a noisy install cannot fill memory.
 */
export async function runCommandChain(
  chain: readonly string[][],
  cwd: string,
  options: RunOptions = {},
): Promise<CommandRun> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 10 * 60_000);
  let tail = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    options.onOutput?.(text);
    tail = (tail + text).split('\n').slice(-40).join('\n');
  };
  if (chain.length === 0 || chain.some((argv) => argv.length === 0))
    throw new Error('runCommandChain needs at least one non-empty argv');
  for (const argv of chain) {
    const run = await runArgv(argv, cwd, deadline, options, keep);
    if (run.error !== undefined || run.code !== 0 || run.timedOut) {
      const text = run.error !== undefined ? `${tail}\n${run.error}` : tail;
      return {
        ok: false,
        code: run.code,
        tail: text.trim(),
        durationMs: Date.now() - started,
        timedOut: run.timedOut,
        argv,
      };
    }
  }
  return {
    ok: true,
    code: 0,
    tail: tail.trim(),
    durationMs: Date.now() - started,
    timedOut: false,
    argv: chain[chain.length - 1]!,
  };
}
