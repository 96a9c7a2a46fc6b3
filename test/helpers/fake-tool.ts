/**
 * A stand-in for a package manager on PATH (a small sh script), so tests can run allowed commands such as
 * `go mod tidy` without the real tool or the network. `useFakeTools` prepends its folder to PATH until `restore()`.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export async function useFakeTools(
  tools: Record<string, string>,
): Promise<{ bin: string; restore: () => Promise<void> }> {
  const bin = await mkdtemp(path.join(tmpdir(), 'trace-guide-fake-bin-'));
  for (const [name, body] of Object.entries(tools)) {
    const file = path.join(bin, name);
    await writeFile(file, `#!/bin/sh\n${body}\n`);
    await chmod(file, 0o755);
  }
  const before = process.env.PATH;
  process.env.PATH = `${bin}${path.delimiter}${before ?? ''}`;
  return {
    bin,
    restore: async () => {
      process.env.PATH = before;
      await rm(bin, { recursive: true, force: true });
    },
  };
}
