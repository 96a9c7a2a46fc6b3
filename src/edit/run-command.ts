import { spawn } from 'node:child_process';

export interface CommandRun {
  ok: boolean;
  code: number | null;
  /** The last lines of stdout and stderr together, for messages. */
  tail: string;
  durationMs: number;
  timedOut: boolean;
}

/**
 * Runs a proposal's command through the shell in `cwd`, with a time limit; never throws for a failing command.
 * Output is kept only as a tail (the last ~40 lines) so a noisy install cannot fill memory.
 */
export function runCommand(
  command: string,
  cwd: string,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; onOutput?: (chunk: string) => void } = {},
): Promise<CommandRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, { cwd, shell: true, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    let timedOut = false;
    const keep = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.onOutput?.(text);
      tail = (tail + text).split('\n').slice(-40).join('\n');
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, options.timeoutMs ?? 10 * 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, code: null, tail: error.message, durationMs: Date.now() - started, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0 && !timedOut, code, tail: tail.trim(), durationMs: Date.now() - started, timedOut });
    });
  });
}
