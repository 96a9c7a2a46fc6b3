/**
 * bundle/ is committed (a Claude Code plugin installed from git runs it with no `npm ci`), so it must be what
 * scripts/bundle.mjs makes from the sources now: rebuilt into a temp folder, it must match byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/cli.js';

function filesUnder(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(root, join(dir, e.name)) : [relative(root, join(dir, e.name))]))
    .sort();
}

it('bundle/ is what `npm run bundle` makes from the current sources', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'tg-bundle-'));
  try {
    execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'bundle.mjs'), fresh], {
      cwd: PROJECT_ROOT,
      stdio: 'pipe',
    });
    const committed = join(PROJECT_ROOT, 'bundle');
    const stale = 'bundle/ is stale: run `npm run bundle` and commit bundle/';
    expect(filesUnder(committed), stale).toEqual(filesUnder(fresh));
    for (const file of filesUnder(fresh)) {
      expect(
        readFileSync(join(committed, file)).equals(readFileSync(join(fresh, file))),
        `${stale} (${file} differs)`,
      ).toBe(true);
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
});
