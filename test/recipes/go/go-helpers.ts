/** Shared by the Go recipe tests: copy the demo inventory service, run proposals' commands, go vet. */
import { execFileSync, execSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { applyProposals } from '../../../src/edit/apply.js';
import type { Proposal } from '../../../src/types/proposal.js';
import type { AppliedWrite } from '../../../src/session/schema.js';
import { removeSampleRepo } from '../../helpers/sample-repo.js';

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
    execFileSync('go', ['vet', './...'], {
      cwd: moduleDir,
      env: { ...GO_ENV, GOFLAGS: '-mod=readonly' },
      stdio: 'pipe',
      timeout: 120_000,
    });
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`go vet failed:\n${err.stderr?.toString() ?? ''}${err.stdout?.toString() ?? ''}`);
  }
}

export function gofmtList(moduleDir: string): string {
  return execFileSync('gofmt', ['-l', '.'], { cwd: moduleDir, encoding: 'utf8' }).trim();
}

/**
 * For a Go recipe test file: go commands resolve modules (-mod=mod) with the local toolchain while its tests run, and
 * the sample repos pushed onto the returned list are removed after them.
 */
export function useGoSampleRepos(): string[] {
  const saved = { GOFLAGS: process.env.GOFLAGS, GOTOOLCHAIN: process.env.GOTOOLCHAIN };
  const repos: string[] = [];
  beforeAll(() => {
    process.env.GOFLAGS = '-mod=mod';
    process.env.GOTOOLCHAIN = 'local';
  });
  afterAll(async () => {
    process.env.GOFLAGS = saved.GOFLAGS;
    process.env.GOTOOLCHAIN = saved.GOTOOLCHAIN;
    for (const r of repos) await removeSampleRepo(r);
  });
  return repos;
}

/** Applies every proposal but notes through the real engine, running the commands (go get …); throws on any failure. */
export async function applyAllWithCommands(
  root: string,
  proposals: readonly Proposal[],
  commandTimeoutMs = 120_000,
): Promise<AppliedWrite[]> {
  const outcome = await applyProposals(
    root,
    proposals.filter((p) => p.change.kind !== 'note'),
    { runCommands: true, commandTimeoutMs },
  );
  const failed = outcome.results.filter((r) => !r.ok);
  if (failed.length > 0)
    throw new Error(`apply failed: ${failed.map((r) => `${r.proposalId}: ${r.message}`).join('; ')}`);
  return outcome.writes;
}
