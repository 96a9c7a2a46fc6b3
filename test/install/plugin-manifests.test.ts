/**
 * The Claude Code plugin's manifests, checked against the keys the Claude Code docs define (plugins reference and
 * plugin marketplaces pages): .claude-plugin/plugin.json, .claude-plugin/marketplace.json, the plugin's skills and
 * commands, and every ${CLAUDE_PLUGIN_ROOT} path they use pointing at a file the plugin ships.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/cli.js';

const read = (rel: string) => readFileSync(join(PROJECT_ROOT, rel), 'utf8');
const json = (rel: string) => JSON.parse(read(rel)) as Record<string, unknown>;

/** plugin.json: `name` is required; the rest are the documented metadata and component-path keys. */
const PLUGIN_KEYS = [
  'name',
  'version',
  'description',
  'author',
  'homepage',
  'repository',
  'license',
  'keywords',
  'commands',
  'agents',
  'skills',
  'hooks',
  'mcpServers',
  'outputStyles',
  'lspServers',
];
/** marketplace.json: `name`, `owner` and `plugins` are required. */
const MARKETPLACE_KEYS = ['name', 'owner', 'plugins', 'metadata', 'description', 'version'];
/** A marketplace plugin entry: `name` and `source` are required; the plugin.json keys plus category, tags, strict. */
const ENTRY_KEYS = [...PLUGIN_KEYS, 'source', 'category', 'tags', 'strict'];
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function frontmatter(rel: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(read(rel));
  expect(match, `${rel} starts with a YAML frontmatter block`).not.toBeNull();
  return parseYaml(match![1]!) as Record<string, unknown>;
}

/** Every ${CLAUDE_PLUGIN_ROOT}/path in a text, as a path inside the plugin folder. */
const pluginRootPaths = (text: string) => [...text.matchAll(/\$\{CLAUDE_PLUGIN_ROOT\}\/([\w./-]+)/g)].map((m) => m[1]!);

describe('Claude Code plugin manifests', () => {
  const pkg = json('package.json');
  const plugin = json('.claude-plugin/plugin.json');
  const marketplace = json('.claude-plugin/marketplace.json');

  it('plugin.json uses only documented keys, a kebab-case name and the package version', () => {
    expect(Object.keys(plugin).filter((k) => !PLUGIN_KEYS.includes(k))).toEqual([]);
    expect(plugin.name).toMatch(KEBAB);
    expect(plugin.version).toBe(pkg.version);
    expect(typeof plugin.description).toBe('string');
  });

  it('plugin.json starts the MCP server from the plugin folder with node', () => {
    const servers = plugin.mcpServers as Record<string, { command: string; args: string[] }>;
    expect(Object.keys(servers)).toEqual(['trace-guide']);
    const server = servers['trace-guide']!;
    expect(server.command).toBe('node');
    expect(server.args).toEqual(['${CLAUDE_PLUGIN_ROOT}/bin/trace-guide.js', 'mcp']);
    for (const rel of pluginRootPaths(server.args.join(' ')))
      expect(existsSync(join(PROJECT_ROOT, rel)), rel).toBe(true);
  });

  it('marketplace.json lists this folder as the plugin, with documented keys only', () => {
    expect(Object.keys(marketplace).filter((k) => !MARKETPLACE_KEYS.includes(k))).toEqual([]);
    expect(marketplace.name).toMatch(KEBAB);
    expect((marketplace.owner as { name?: unknown }).name).toEqual(expect.any(String));
    const entries = marketplace.plugins as Array<Record<string, unknown>>;
    expect(entries).toHaveLength(1);
    const entry = entries[0]!;
    expect(Object.keys(entry).filter((k) => !ENTRY_KEYS.includes(k))).toEqual([]);
    expect(entry).toMatchObject({ name: plugin.name, source: './', version: pkg.version });
    expect(existsSync(join(PROJECT_ROOT, entry.source as string, '.claude-plugin', 'plugin.json'))).toBe(true);
  });

  it('every skill folder that is a plugin skill has a SKILL.md with name and description', () => {
    const skills = readdirSync(join(PROJECT_ROOT, 'skills')).filter((d) =>
      existsSync(join(PROJECT_ROOT, 'skills', d, 'SKILL.md')),
    );
    expect(skills).toEqual(['instrument-distributed-tracing']);
    const meta = frontmatter('skills/instrument-distributed-tracing/SKILL.md');
    expect(meta.name).toBe('instrument-distributed-tracing');
    expect(String(meta.description).length).toBeGreaterThan(50);
    // The step pages it points the agent at are there.
    expect(
      readdirSync(join(PROJECT_ROOT, 'skills/instrument-distributed-tracing/steps')).filter((f) =>
        /^\d-.*\.md$/.test(f),
      ),
    ).toHaveLength(6);
  });

  it('the slash commands have a description and run files the plugin ships', () => {
    const commands = readdirSync(join(PROJECT_ROOT, 'commands')).filter((f) => f.endsWith('.md'));
    expect(commands.sort()).toEqual(['check.md', 'doctor.md', 'scan.md']);
    for (const file of [...commands.map((c) => `commands/${c}`), 'skills/instrument-distributed-tracing/SKILL.md']) {
      if (file.startsWith('commands/')) expect(frontmatter(file).description, file).toEqual(expect.any(String));
      const paths = pluginRootPaths(read(file));
      expect(paths.length, `${file} runs the plugin's CLI`).toBeGreaterThan(0);
      for (const rel of paths) expect(existsSync(join(PROJECT_ROOT, rel)), `${file}: ${rel}`).toBe(true);
    }
  });
});
