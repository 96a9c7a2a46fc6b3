/**
 * The Anthropic SDK is loaded only when a model client is built: the modules the CLI loads at start (plan, apply and
 * every other command, offline) reach it through no import that runs at load time. The graph is read from the source
 * with the import checker's parser: value imports are followed, type imports (erased) and import() calls (run later)
 * are not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf } from '../../architecture/check-imports.js';
import { anthropicClient } from './model-planner.js';
import { loadAnthropicSdk } from './anthropic-sdk.js';

const SRC = fileURLToPath(new URL('../../', import.meta.url));
const SDK = '@anthropic-ai/sdk';

const parsed = new Map<string, ReturnType<typeof importsOf>>();
const importsOfFile = (file: string) =>
  parsed.get(file) ?? parsed.set(file, importsOf(file, readFileSync(SRC + file, 'utf8'))).get(file)!;

/** The source files and packages loaded with the entries (relative to src/), following import() calls too when asked. */
function loadedWith(entries: string[], followDynamic: boolean): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const site of importsOfFile(file)) {
      if (site.typeOnly || (site.dynamic && !followDynamic)) continue;
      if (!site.specifier.startsWith('.')) {
        packages.add(site.specifier);
        continue;
      }
      const base = posix.normalize(posix.join(posix.dirname(file), site.specifier)).replace(/\.js$/, '');
      const target = [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((candidate) => existsSync(SRC + candidate));
      if (target) queue.push(target);
    }
  }
  return { files, packages };
}

/** The CLI's commands, each imported by cli/main.ts when it runs. */
const COMMANDS = [
  'scan',
  'status',
  'reset',
  'guide',
  'demo',
  'plan',
  'apply',
  'undo',
  'skip',
  'receive',
  'ask',
  'doctor',
  'check',
];

describe('the Anthropic SDK loads only when a model is used', () => {
  it('no command loads it at start: plan and apply (whose model planner module is loaded) and every other one', () => {
    for (const command of COMMANDS) {
      const atStart = loadedWith(['cli/main.ts', `cli/commands/${command}.ts`], false);
      expect(atStart.packages, command).not.toContain(SDK);
    }
    const plan = loadedWith(['cli/main.ts', 'cli/commands/plan.ts'], false).files;
    expect(plan).toContain('workflow/plan-step.ts');
    expect(plan).toContain('plan/model/model-planner.ts');
    expect(loadedWith(['cli/main.ts', 'cli/commands/apply.ts'], false).files).toContain('workflow/apply-step.ts');
  });

  it('is reached through the one import() that builds a client (so the walk above can see it)', () => {
    const withLater = loadedWith(['cli/commands/plan.ts', 'cli/commands/ask.ts'], true);
    expect(withLater.packages).toContain(SDK);
    const importers = [...withLater.files].filter((file) =>
      importsOfFile(file).some((site) => site.specifier === SDK && !site.typeOnly),
    );
    expect(importers).toEqual(['plan/model/anthropic-sdk.ts']);
  });

  it('builds a client with the SDK when none is given, and uses a given one as is', async () => {
    const Sdk = await loadAnthropicSdk();
    expect(await loadAnthropicSdk()).toBe(Sdk);
    const built = await anthropicClient({ apiKey: 'test-key', maxRetries: 1, timeoutMs: 1234 });
    expect(built).toBeInstanceOf(Sdk);
    expect(built).toMatchObject({ maxRetries: 1, timeout: 1234 });
    const given = {} as InstanceType<typeof Sdk>;
    expect(await anthropicClient({ client: given })).toBe(given);
  });
});
