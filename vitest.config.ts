import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Two projects, and every test file is in exactly one:
 * - unit: pure, in-process tests of the core, the recipes, the scan, the checks over files and the Ink components
 *   (`npm run test:unit`, the fast loop; well under a minute).
 * - e2e: everything else — the built CLI, services with real OpenTelemetry SDKs (npm, pip, Go modules), tmux, signal and
 *   kill attacks (`npm run test:e2e`). `npm test` runs both, as CI does.
 */
const UNIT_FOLDERS = ['src/', 'test/helpers/', 'test/chat/', 'test/checks/static/', 'test/checks/backend/', 'test/recipes/', 'test/scan/', 'test/model/'];
/** In unit folders, but they build or run real toolchains (Go builds, module downloads) or say so by name. */
const isSlow = (file: string) => file.startsWith('test/recipes/go/') || /\.e2e\.test\.tsx?$/.test(file);

const ROOT = fileURLToPath(new URL('.', import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = relative(ROOT, join(ROOT, dir, entry.name));
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : testFiles(path);
    return /\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const all = [...testFiles('src'), ...testFiles('test')];
const unit = all.filter((file) => UNIT_FOLDERS.some((folder) => file.startsWith(folder)) && !isSlow(file));
const e2e = all.filter((file) => !unit.includes(file));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: unit, isolate: false } },
      { extends: true, test: { name: 'e2e', include: e2e } },
    ],
  },
});
