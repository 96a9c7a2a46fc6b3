/**
 * The Claude Code plugin as a user gets it: a copy of the plugin folder (what git ships: tracked files, no node_modules,
 * no dist/) in a fresh temp location. Its entry runs `--version`, `scan` and `plan`; the MCP server starts exactly as
 * plugin.json tells Claude Code to start it; the bundle's lazily loaded parts (the guide with Ink and React) load.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

let plugin: string;
let sample: string;

/** Runs the copied plugin's entry the way its commands do: node ${CLAUDE_PLUGIN_ROOT}/bin/trace-guide.js … */
function runPlugin(args: string[]) {
  const result = spawnSync(process.execPath, [join(plugin, 'bin', 'trace-guide.js'), ...args], {
    cwd: sample,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Chunk files a bundle file imports statically (not `import("…")`), transitively. */
function staticClosure(dir: string, file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(dir, file), 'utf8');
  for (const m of text.matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]+)"/g))
    staticClosure(dir, join(dirname(file), m[1]!), seen);
  return seen;
}

beforeAll(async () => {
  plugin = join(mkdtempSync(join(tmpdir(), 'tg-plugin-')), 'trace-guide');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  }).split('\0');
  for (const rel of files.filter((f) => f && existsSync(join(PROJECT_ROOT, f)))) {
    mkdirSync(dirname(join(plugin, rel)), { recursive: true });
    copyFileSync(join(PROJECT_ROOT, rel), join(plugin, rel));
  }
  sample = await makeSampleRepo({
    'package.json': JSON.stringify({
      name: 'shop-api',
      scripts: { start: 'node server.js' },
      dependencies: { express: '^4.21.0' },
    }),
    'server.js': "const express = require('express');\nexpress().listen(process.env.PORT || 3000);\n",
  });
});
afterAll(async () => {
  if (plugin) rmSync(dirname(plugin), { recursive: true, force: true });
  if (sample) await removeSampleRepo(sample);
});

describe('the plugin folder, copied without node_modules', () => {
  it('has no node_modules or dist/ in it or above it', () => {
    expect(existsSync(join(plugin, 'node_modules'))).toBe(false);
    expect(existsSync(join(plugin, 'dist'))).toBe(false);
    for (let dir = dirname(plugin); dir !== dirname(dir); dir = dirname(dir))
      expect(existsSync(join(dir, 'node_modules')), dir).toBe(false);
  });

  it('runs --version, scan and plan from the bundle', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(runPlugin(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const scan = runPlugin(['scan', sample, '--json']);
    expect(scan.code, scan.stderr).toBe(0);
    expect(
      (JSON.parse(scan.stdout) as { scan: { services: Array<{ id: string }> } }).scan.services.map((s) => s.id),
    ).toEqual(['shop-api']);
    const plan = runPlugin(['plan', sample, '--step', '1', '--offline', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect((JSON.parse(plan.stdout) as { proposals: unknown[] }).proposals.length).toBeGreaterThan(0);
  });

  it('starts the MCP server as plugin.json says, with ${CLAUDE_PLUGIN_ROOT} set to the copy', async () => {
    const config = JSON.parse(readFileSync(join(plugin, '.claude-plugin', 'plugin.json'), 'utf8')) as {
      mcpServers: Record<string, { command: string; args: string[] }>;
    };
    const server = config.mcpServers['trace-guide']!;
    const client = new Client({ name: 'plugin-test', version: '0.0.0' });
    const command = server.command === 'node' ? process.execPath : server.command;
    await client.connect(
      new StdioClientTransport({
        command,
        args: server.args.map((a) => a.replaceAll('${CLAUDE_PLUGIN_ROOT}', plugin)),
        cwd: sample,
        stderr: 'ignore',
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['scan', 'plan', 'apply', 'check', 'doctor']));
      const scan = (await client.callTool({ name: 'scan', arguments: {} })) as {
        isError?: boolean;
        content: Array<{ text: string }>;
      };
      expect(scan.isError).toBeFalsy();
      expect(JSON.parse(scan.content[0]!.text)).toMatchObject({ ok: true, scan: { root: sample } });
    } finally {
      await client.close();
    }
  });

  it('keeps the guide (Ink, React) out of the entry and loads it lazily', () => {
    const bundle = join(plugin, 'bundle');
    const eager = [...staticClosure(bundle, 'main.js')];
    const chunks = readdirSync(join(bundle, 'chunks'));
    const guide = chunks.find((c) => c.startsWith('guide-'));
    expect(guide).toBeDefined();
    expect(eager.length, 'the entry imports shared chunks statically').toBeGreaterThan(1);
    expect(eager).not.toContain(join('chunks', guide!));
    // Every chunk loads with no node_modules (devtools is Ink's DEV=true-only import of a package it does not ship).
    const loadable = chunks.filter((c) => !c.startsWith('devtools-')).map((c) => join(bundle, 'chunks', c));
    const script = `for (const f of ${JSON.stringify(loadable)}) await import(f);`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: plugin,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status, result.stderr).toBe(0);
  });
});
