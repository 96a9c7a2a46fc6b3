/**
 * Installs shared by the corpus drives, prepared once (kept between runs under ~/.cache/trace-guide-tests and filled by
 * one process at a time: test/helpers/shared-cache.mjs),
 * so twelve apps do not each fetch the same packages. Nothing here edits an app: trace-guide's own install commands
 * still run in every copy; they only find what they fetch close by.
 * - npm: the shared npm cache is used without re-asking the registry for what it holds (prefer-offline), no audit call.
 * - pip: one wheelhouse with every Python app's declared dependencies and every OpenTelemetry package trace-guide's
 *   Python recipes pin (read from the built recipes), and pip installs from it alone (find-links, no index: the index
 *   look-ups, not the downloads, are what made each install slow: 154 s with the index, 50 s without, on the loaded
 *   machine). A package a recipe adds that is not pinned in versions.ts would then fail to install: the drive reports
 *   that apply's pip error as a finding (the step is not proven), never as a pass.
 * - Go: the module and build caches are the machine's own and are shared already.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { sharedCacheDir } from './shared-cache.mjs';
import { PROJECT_ROOT, PYTHON_SHAPES, SHAPES_DIR } from './shapes-drive.mjs';

const run = promisify(execFile);

export const NPM_SHARED_CACHE_ENV = {
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

/** The requirement lines the app in `dir` declares: requirements.txt lines, or pyproject.toml's [project] dependencies. */
async function declaredRequirements(dir) {
  const lines = [];
  if (existsSync(path.join(dir, 'requirements.txt'))) {
    for (const line of (await readFile(path.join(dir, 'requirements.txt'), 'utf8')).split('\n')) {
      const req = line.replace(/#.*/, '').trim();
      if (req && !req.startsWith('-')) lines.push(req);
    }
  }
  if (existsSync(path.join(dir, 'pyproject.toml'))) {
    const deps = /^dependencies\s*=\s*\[([^\]]*)\]/m.exec(await readFile(path.join(dir, 'pyproject.toml'), 'utf8'));
    for (const m of deps?.[1].matchAll(/"([^"]+)"/g) ?? []) lines.push(m[1]);
    lines.push('setuptools', 'wheel'); // the build backend `pip install -e .` fetches for a pyproject without [build-system]
  }
  return lines;
}

/** The OpenTelemetry packages trace-guide's Python recipes pin (from dist/, so `npm run build` first). */
async function recipePackages() {
  const v = await import(path.join(PROJECT_ROOT, 'dist/lang/python/recipes/versions.js'));
  const pins = [
    v.DISTRO,
    v.EXPORTER_HTTP,
    v.EXPORTER_GRPC,
    ...Object.values(v.INSTRUMENTATIONS),
    v.LOGGING_INSTRUMENTATION,
    v.THREADING_INSTRUMENTATION,
  ];
  return pins.filter(Boolean).map((p) => `${p.name}==${p.version}`);
}

/** Downloads `packages` once into a wheelhouse named by their list (by one process; others wait); returns its folder. */
async function wheelhouse(packages, log) {
  const python = (await run('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])).stdout.trim();
  const key = createHash('sha256').update(packages.join('\n')).digest('hex').slice(0, 12);
  const started = Date.now();
  let downloaded = false;
  const dir = await sharedCacheDir(
    `shapes-python-${key}-py${python}-${process.platform}-${process.arch}`,
    async (staging) => {
      await run('python3', ['-m', 'pip', 'download', '-q', '--disable-pip-version-check', '-d', staging, ...packages], {
        maxBuffer: 16 * 1024 * 1024,
      });
      downloaded = true;
    },
  );
  if (downloaded) log(`python wheelhouse downloaded in ${Math.round((Date.now() - started) / 1000)} s: ${dir}`);
  return dir;
}

/**
 * The environment that makes pip install from one local wheelhouse alone (no index look-ups): every requirement the
 * Python apps in `appDirs` declare plus every package trace-guide's Python recipes pin, downloaded once.
 */
export async function offlinePipEnv(appDirs, { log = () => {} } = {}) {
  const declared = (await Promise.all(appDirs.map(declaredRequirements))).flat();
  const packages = [...new Set([...declared, ...(await recipePackages())])].sort();
  const links = await wheelhouse(packages, log);
  return { PIP_FIND_LINKS: links, PIP_NO_INDEX: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
}

/**
 * Prepares what the drives of `names` share and returns the environment every drive runs with (trace-guide's commands
 * and the services inherit it).
 */
export async function prepareShapeInstalls(names, { log = () => {} } = {}) {
  const python = names.filter((n) => PYTHON_SHAPES.has(n)).map((n) => path.join(SHAPES_DIR, n));
  return { ...NPM_SHARED_CACHE_ENV, ...(python.length > 0 ? await offlinePipEnv(python, { log }) : {}) };
}
