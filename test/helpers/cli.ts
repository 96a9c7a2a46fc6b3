import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = `${PROJECT_ROOT}bin/trace-guide.js`;

/** The end-to-end tests run the built CLI; say so plainly when it has not been built. */
export function assertBuilt(): void {
  const main = `${PROJECT_ROOT}dist/cli/main.js`;
  if (!existsSync(main))
    throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the end-to-end tests');
  const source = statSync(`${PROJECT_ROOT}src/cli/main.ts`).mtimeMs;
  if (statSync(main).mtimeMs < source) throw new Error('dist/ is older than src/: run `npm run build` first');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real trace-guide binary with stdin closed (not a TTY), the way CI and agents run it. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
