#!/usr/bin/env node
/**
 * Bundles the CLI with esbuild into bundle/ (committed): main.js, the entry, plus one chunk per lazily imported part
 * (the guide with Ink and React, the receiver, the MCP server, …), so `node bin/trace-guide.js` runs from a plain clone or
 * an installed Claude Code plugin with no `npm ci`. Usage: node scripts/bundle.mjs [outdir] (default: bundle/).
 * Deterministic: the same sources give the same bytes (test/install/bundle-fresh.e2e.test.ts compares them).
 */
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const outdir = path.resolve(process.argv[2] ?? path.join(ROOT, 'bundle'));

// Built beside the old bundle and swapped in only when the build succeeded: a failed build leaves the old one.
const staging = `${outdir}.partial-${process.pid}`;
await rm(staging, { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Bundled CommonJS packages call require() for Node's own modules: give the ESM chunks a real one.
  banner: {
    js: "import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);",
  },
  // Ink loads the React devtools only when DEV=true; they are not a dependency.
  external: ['react-devtools-core'],
  define: { 'process.env.NODE_ENV': '"production"' },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  minify: true,
  logLevel: 'warning',
}).catch(async (error) => {
  await rm(staging, { recursive: true, force: true });
  throw error;
});
await rm(outdir, { recursive: true, force: true });
await rename(staging, outdir);
