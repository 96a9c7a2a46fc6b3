/** Shared by the Go recipe tests: copy the demo inventory service, run proposals' commands, go vet. */
import { execFileSync, execSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Proposal } from '../../../src/plan/proposal.js';

export const GO_ENV = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };

export async function inventoryFiles(): Promise<Record<string, string>> {
  const dir = path.resolve(import.meta.dirname, '../../../examples/shop/inventory');
  const out: Record<string, string> = {};
  for (const name of await readdir(dir)) out[`inventory/${name}`] = await readFile(path.join(dir, name), 'utf8');
  return out;
}

/** Runs the command proposals (go get …) for real, in their cwd. */
export function runCommands(root: string, proposals: readonly Proposal[]): void {
  for (const p of proposals) {
    if (p.change.kind !== 'command') continue;
    execSync(p.change.command, { cwd: path.join(root, p.change.cwd), env: GO_ENV, stdio: 'pipe', timeout: 120_000 });
  }
}

/**
 * `go vet ./...` in the module folder with -mod=readonly, so it also proves go.mod and go.sum are complete (it may not
 * rewrite them); throws with the compiler's output when it fails.
 */
export function goVet(moduleDir: string): void {
  try {
    execFileSync('go', ['vet', './...'], { cwd: moduleDir, env: { ...GO_ENV, GOFLAGS: '-mod=readonly' }, stdio: 'pipe', timeout: 120_000 });
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`go vet failed:\n${err.stderr?.toString() ?? ''}${err.stdout?.toString() ?? ''}`);
  }
}

export function gofmtList(moduleDir: string): string {
  return execFileSync('gofmt', ['-l', '.'], { cwd: moduleDir, encoding: 'utf8' }).trim();
}
