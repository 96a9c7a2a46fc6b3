#!/usr/bin/env node
import { existsSync } from 'node:fs';

// dist/ is the TypeScript build (npm package, a clone after `npm ci`); bundle/ is the committed esbuild bundle that
// needs no node_modules (a Claude Code plugin, a clone without `npm ci`).
const built = new URL('../dist/cli/main.js', import.meta.url);
const entry = existsSync(built) ? built : new URL('../bundle/main.js', import.meta.url);
const { main } = await import(entry.href);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(
      `trace-guide: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 3;
  },
);
