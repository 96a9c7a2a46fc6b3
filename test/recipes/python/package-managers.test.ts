/**
 * Where the OpenTelemetry packages go: requirements.txt, pyproject.toml (PEP 621, Poetry, uv), Pipfile — and a
 * question instead of a guess when two manifests disagree. Edited TOML is parsed back with smol-toml.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterEach, describe, expect, test } from 'vitest';
import { assessProposal } from '../../../src/safety/proposal-policy.js';
import { applyIn, planIn, snapshot, undoIn } from '../../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';
import { manifestWithPackages } from '../../../src/lang/python/recipes/package-manager.js';
import { pyCompile, pythonFilesOf } from './python-sample.js';
import { withNoActiveVenv } from '../../helpers/no-active-venv.js';

// Where pip installs depends on whether a virtual environment is active (recipes/python/python-env.ts): plan with none.
withNoActiveVenv();

let root: string | undefined;
afterEach(async () => {
  if (root) await removeSampleRepo(root);
  root = undefined;
});

const APP = 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\ndef index():\n    return "ok"\n';

async function planApply(files: Record<string, string>, tools: string[]) {
  root = await makeSampleRepo({ ...files, 'svc/app.py': APP });
  const before = await snapshot(root);
  const { proposals } = await planIn(root, 'auto-instrumentation', {}, { tools });
  const mine = proposals.filter((p) => p.service === 'svc');
  const writes = await applyIn(root, mine);
  await pyCompile(root, pythonFilesOf(mine));
  const again = await planIn(root, 'auto-instrumentation', {}, { tools });
  expect(again.proposals.filter((p) => p.service === 'svc')).toEqual([]);
  return {
    mine,
    read: (rel: string) => readFile(path.join(root!, rel), 'utf8'),
    undo: async () => {
      await undoIn(root!, writes);
      expect(await snapshot(root!)).toEqual(before);
    },
  };
}

const command = (mine: Awaited<ReturnType<typeof planApply>>['mine']) =>
  mine.find((p) => p.id === 'svc:otel-packages-install')!.change;

describe('python package managers', () => {
  test('PEP 621 pyproject: entries appended to [project].dependencies, pip install -e . from a new .venv', async () => {
    const run = await planApply(
      {
        'svc/pyproject.toml':
          '[project]\nname = "svc"\nversion = "0.1.0"\ndependencies = ["flask>=3"]  # web\n\n[tool.black]\nline-length = 100\n',
      },
      ['pip', 'python3'],
    );
    const doc = parse(await run.read('svc/pyproject.toml')) as { project: { dependencies: string[] }; tool: unknown };
    expect(doc.project.dependencies).toEqual([
      'flask>=3',
      'opentelemetry-distro==0.66b1',
      'opentelemetry-exporter-otlp-proto-http==1.45.1',
      'opentelemetry-instrumentation-flask==0.66b1',
    ]);
    expect(doc.tool).toEqual({ black: { 'line-length': 100 } });
    expect(command(run.mine)).toMatchObject({
      kind: 'command',
      command: '.venv/bin/python -m pip install -e .',
      cwd: 'svc',
    });
    await run.undo();
  });

  test('PEP 621 pyproject with its environment already there: its dependencies and the added packages are installed by name, not by building the project (-e .)', async () => {
    const run = await planApply(
      {
        'svc/pyproject.toml': '[project]\nname = "svc"\nversion = "0.1.0"\ndependencies = ["flask>=3"]\n',
        'svc/.venv/pyvenv.cfg': 'home = /usr/bin\n',
      },
      ['pip', 'python3'],
    );
    expect(command(run.mine)).toMatchObject({
      kind: 'command',
      command:
        ".venv/bin/python -m pip install 'flask>=3' opentelemetry-distro==0.66b1 opentelemetry-exporter-otlp-proto-http==1.45.1 opentelemetry-instrumentation-flask==0.66b1",
      cwd: 'svc',
    });
    // The safety policy that runs at apply allows it (a > unquoted would be refused as a shell metacharacter).
    expect(assessProposal(command(run.mine), 'recipe').decision).toBe('allow');
    await run.undo();
  });

  test('PEP 621 pyproject whose dependencies pip cannot take word by word (a marker): pip install -e . as before', async () => {
    const run = await planApply(
      {
        'svc/pyproject.toml':
          '[project]\nname = "svc"\nversion = "0.1.0"\ndependencies = ["flask>=3", "tomli>=2; python_version < \'3.11\'"]\n',
        'svc/.venv/pyvenv.cfg': 'home = /usr/bin\n',
      },
      ['pip', 'python3'],
    );
    expect(command(run.mine)).toMatchObject({
      kind: 'command',
      command: '.venv/bin/python -m pip install -e .',
      cwd: 'svc',
    });
    await run.undo();
  });

  test('poetry: [tool.poetry.dependencies] entries, poetry lock && poetry install touching poetry.lock', async () => {
    const run = await planApply(
      {
        'svc/pyproject.toml':
          '[tool.poetry]\nname = "svc"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3.1"\n\n[build-system]\nrequires = ["poetry-core"]\n',
        'svc/poetry.lock': '# lock\n',
      },
      ['poetry'],
    );
    const doc = parse(await run.read('svc/pyproject.toml')) as {
      tool: { poetry: { dependencies: Record<string, string> } };
      'build-system': unknown;
    };
    expect(doc.tool.poetry.dependencies).toMatchObject({
      flask: '^3.1',
      'opentelemetry-distro': '0.66b1',
      'opentelemetry-instrumentation-flask': '0.66b1',
    });
    expect(doc['build-system']).toEqual({ requires: ['poetry-core'] });
    expect(command(run.mine)).toMatchObject({
      kind: 'command',
      command: 'poetry lock && poetry install',
      touches: ['svc/poetry.lock'],
    });
    await run.undo();
  });

  test('uv: the [project] list is edited and uv sync refreshes uv.lock', async () => {
    const run = await planApply(
      {
        'svc/pyproject.toml': '[project]\nname = "svc"\nversion = "0.1.0"\ndependencies = [\n    "flask>=3",\n]\n',
        'svc/uv.lock': 'version = 1\n',
      },
      ['uv'],
    );
    const doc = parse(await run.read('svc/pyproject.toml')) as { project: { dependencies: string[] } };
    expect(doc.project.dependencies).toContain('opentelemetry-distro==0.66b1');
    expect(command(run.mine)).toMatchObject({ kind: 'command', command: 'uv sync', touches: ['svc/uv.lock'] });
    await run.undo();
  });

  test('Pipfile: [packages] entries, pipenv install touching Pipfile.lock; a missing pipenv is a note', async () => {
    const run = await planApply({ 'svc/Pipfile': '[packages]\nflask = "*"\n\n[dev-packages]\npytest = "*"\n' }, []);
    const doc = parse(await run.read('svc/Pipfile')) as {
      packages: Record<string, string>;
      'dev-packages': Record<string, string>;
    };
    expect(doc.packages['opentelemetry-distro']).toBe('==0.66b1');
    expect(doc['dev-packages']).toEqual({ pytest: '*' });
    const install = command(run.mine);
    expect(install.kind).toBe('note');
    expect(install.kind === 'note' && install.text).toMatch(/pipenv is not installed.*pipenv install/s);
    await run.undo();
  });

  test('requirements.txt beside a Pipfile: a question, no dependency edit', async () => {
    root = await makeSampleRepo({
      'svc/requirements.txt': 'flask==3.1.0\n',
      'svc/Pipfile': '[packages]\nflask = "*"\n',
      'svc/app.py': APP,
    });
    const { proposals } = await planIn(root, 'auto-instrumentation', {}, { tools: ['pip', 'pipenv'] });
    const deps = proposals.find((p) => p.id === 'svc:otel-packages')!;
    expect(deps.change.kind).toBe('note');
    expect(deps.title).toMatch(/Which manifest/);
    expect(deps.change.kind === 'note' && deps.change.text).toMatch(
      /svc\/requirements\.txt \(pip\) and svc\/Pipfile \(pipenv\).*opentelemetry-distro==0\.66b1/s,
    );
    expect(
      proposals.filter(
        (p) => p.change.kind === 'command' || (p.change.kind === 'edit' && !p.change.path.endsWith('.py')),
      ),
    ).toEqual([]);
  });

  test('manifest text that cannot be edited with confidence is left to a note', () => {
    expect(manifestWithPackages('pip', 'flask\n', [{ name: 'x', version: '1' }])).toBe('flask\nx==1\n');
    expect(
      manifestWithPackages('pep621', '[project]\ndependencies = [\n  "a",  # note\n]\n', [{ name: 'x', version: '1' }]),
    ).toBeUndefined();
    expect(
      manifestWithPackages('poetry', '[tool.poetry]\nname = "a"\n', [{ name: 'x', version: '1' }]),
    ).toBeUndefined();
    // Poetry 2 with PEP 621 dependencies only.
    expect(
      manifestWithPackages('poetry', '[project]\nname = "a"\ndependencies = ["flask"]\n', [
        { name: 'x', version: '1' },
      ]),
    ).toBe('[project]\nname = "a"\ndependencies = ["flask",\n    "x==1",\n]\n');
  });
});
