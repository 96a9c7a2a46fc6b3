/**
 * The npm package as a user gets it: `npm pack` of the built tree, installed into an empty prefix (with what the
 * machine's npm cache or registry gives), then the installed `trace-guide` runs --version, scan and plan.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, PROJECT_ROOT } from '../helpers/cli.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let sample: string;
let tarballFiles: string[];
let installed: string;

/** npm's environment without the settings of an npm that may be running these tests (`npm test` sets its own). */
function npmEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (/^npm_config_(prefix|global|location|dry_run|ignore_scripts)$/i.test(key)) delete env[key];
  return env;
}

beforeAll(async () => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'tg-npm-'));
  // dist/ is built already (assertBuilt): pack it as it is rather than rebuild in `prepare`.
  const packed = JSON.parse(
    execFileSync(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
      cwd: PROJECT_ROOT,
      env: npmEnv(),
      encoding: 'utf8',
    }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarballFiles = packed[0]!.files.map((f) => f.path);
  const prefix = join(work, 'prefix');
  execFileSync(
    NPM,
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      join(work, packed[0]!.filename),
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    {
      cwd: work,
      env: npmEnv(),
      stdio: 'pipe',
      timeout: 240_000,
    },
  );
  installed = join(prefix, 'bin', 'trace-guide');
  sample = await makeSampleRepo({
    'package.json': JSON.stringify({
      name: 'shop-api',
      scripts: { start: 'node server.js' },
      dependencies: { express: '^4.21.0' },
    }),
    'server.js': "const express = require('express');\nexpress().listen(process.env.PORT || 3000);\n",
  });
}, 300_000);
afterAll(async () => {
  if (work) rmSync(work, { recursive: true, force: true });
  if (sample) await removeSampleRepo(sample);
});

function runInstalled(args: string[]) {
  // Run from the sample repo, away from this checkout's node_modules: only the prefix's own install is used.
  const result = spawnSync(installed, args, {
    cwd: sample,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the packed npm package, installed into an empty prefix', () => {
  it('ships the CLI, the skill and its data, and no sources, tests or source maps', () => {
    expect(tarballFiles).toEqual(
      expect.arrayContaining([
        'package.json',
        'bin/trace-guide.js',
        'dist/cli/main.js',
        'dist/cli/mcp/server.js',
        'skills/instrument-distributed-tracing/skill.yaml',
        'SKILL.md',
      ]),
    );
    expect(tarballFiles.filter((f) => /^(src|test|bundle)\//.test(f) || f.endsWith('.map'))).toEqual([]);
  });

  it('runs --version, scan and plan', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(runInstalled(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const scan = runInstalled(['scan', sample, '--json']);
    expect(scan.code, scan.stderr).toBe(0);
    expect(
      (JSON.parse(scan.stdout) as { scan: { services: Array<{ id: string }> } }).scan.services.map((s) => s.id),
    ).toEqual(['shop-api']);
    const plan = runInstalled(['plan', sample, '--step', '1', '--offline', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect((JSON.parse(plan.stdout) as { proposals: unknown[] }).proposals.length).toBeGreaterThan(0);
  });
});
