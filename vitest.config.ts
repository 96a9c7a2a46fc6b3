import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Three projects, and every test file is in exactly one:
 * - unit: pure, in-process tests of the core, the recipes, the scan, the checks over files and the Ink components
 *   (`npm run test:unit`, the fast loop; well under a minute). Runs first.
 * - e2e: the built CLI, services with real OpenTelemetry SDKs (npm, pip, Go modules), signal and kill attacks, the
 *   12-shape corpus: every file that listens only on free ports (port 0 / freePort(), from the ephemeral range),
 *   keeps its files in its own temp folders and shares installs only through locked caches
 *   (test/helpers/shared-cache.mjs). These run on E2E_WORKERS workers at once, after the unit project.
 * - e2e-fixed-ports: files that start something on a fixed port (the CLI's `check`/`doctor`: services on the port the
 *   scan found, the receiver on 4318/4317; `receive`; the guide in tmux, which runs the checks; a held default port),
 *   one file at a time, after everything else, so no two of them, and none of them and the corpus, ever hold one port
 *   at once. The corpus (fixed shape ports) runs in `e2e` because no other file there listens on a fixed port. A new
 *   file is put here by the rule below when it drives those commands or tmux; list others by name.
 * `npm test` runs all three, as CI does; `npm run test:e2e` the two e2e projects.
 */
const UNIT_FOLDERS = ['src/', 'test/helpers/', 'test/chat/', 'test/checks/static/', 'test/checks/backend/', 'test/recipes/', 'test/scan/', 'test/model/'];
/** In unit folders, but they build or run real toolchains (Go builds, module downloads) or say so by name. */
const isSlow = (file: string) => file.startsWith('test/recipes/go/') || /\.e2e\.test\.tsx?$/.test(file);

/** Fixed ports held in-process, which the text rule below cannot see. */
const FIXED_PORT_FILES: Record<string, string> = {
  'test/checks/runtime/default-port-moved.test.ts': 'holds port 8000 to see the default moved',
  'test/checks/runtime/flask-app-factory.test.ts': "starts Flask on the scanned default 5000 when it is free (a corpus shape's port)",
  'test/install/mcp-server.e2e.test.ts': "the MCP tools check, score and doctor run the services and the receiver on 4318/4317",
};
/** Runs the built CLI's check / doctor / receive / guide / demo (fixed and standard ports), or the guide in tmux. */
const DRIVES_FIXED_PORTS = /tmux|\[\s*(BIN,\s*)?'(check|doctor|receive|guide|demo)'/;
/** Two e2e files at a time: the CI machine has 2 cores and most of an e2e file is waiting on installs and services. */
const E2E_WORKERS = 2;
/** Unit files are pure CPU: one worker per core, at least two (vitest's default leaves one of two cores idle). */
const UNIT_WORKERS = Math.max(2, availableParallelism() - 1);

/**
 * Seconds the longest e2e files took in the last clean-clone CI run (`.ci/run`'s verbose output, one file at a time).
 * Only the order uses them: the longest start first, so none is left running alone at the end while a worker idles.
 */
const E2E_SECONDS: Record<string, number> = {
  'test/e2e/shapes-corpus.test.ts': 398,
  'test/checks/runtime/shop-runtime.test.ts': 80,
  'test/e2e/demo-proof.test.ts': 67,
  'test/attacks/kill-mid-apply.test.ts': 62,
  'test/false-pass/flush-django-runserver.e2e.test.ts': 37,
  'test/false-pass/flush-on-sigterm.test.ts': 31,
  'test/doctor/node-loading.test.ts': 30,
  'test/doctor/doctor.test.ts': 30,
  'test/doctor/python-process-model.test.ts': 26,
};

/** vitest's order (groups, projects, cached durations or file sizes), with the files of E2E_SECONDS longest first. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const position = new Map(base.map((spec, i) => [spec, i]));
    const projectRank = new Map<string, number>();
    base.forEach((spec, i) => projectRank.has(spec.project.name) || projectRank.set(spec.project.name, i));
    const seconds = (spec: TestSpecification) => E2E_SECONDS[relative(ROOT, spec.moduleId)] ?? 0;
    return [...base].sort(
      (a, b) =>
        projectRank.get(a.project.name)! - projectRank.get(b.project.name)! || seconds(b) - seconds(a) || position.get(a)! - position.get(b)!,
    );
  }
}

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
const notUnit = all.filter((file) => !unit.includes(file));
const fixedPorts = notUnit.filter((file) => file in FIXED_PORT_FILES || DRIVES_FIXED_PORTS.test(readFileSync(join(ROOT, file), 'utf8')));
const e2e = notUnit.filter((file) => !fixedPorts.includes(file));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    sequence: { sequencer: LongestFirst },
    projects: [
      { extends: true, test: { name: 'unit', include: unit, isolate: false, maxWorkers: UNIT_WORKERS, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'e2e', include: e2e, maxWorkers: E2E_WORKERS, sequence: { groupOrder: 1 } } },
      // maxWorkers 1 with per-file isolation and no groupOrder: vitest runs these one by one after every other group.
      { extends: true, test: { name: 'e2e-fixed-ports', include: fixedPorts, maxWorkers: 1 } },
    ],
  },
});
