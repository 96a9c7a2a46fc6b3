/**
 * pyproject.toml and Pipfile read with smol-toml: the dependencies of every table that declares them, each with the
 * line it is written on; a malformed file is a problem naming the file, line and column, never a crash.
 */
import { describe, expect, it } from 'vitest';
import { parseToml } from '../../src/lang/python/manifest.js';
import { scanRepo } from '../../src/repo/scan.js';
import { names, service, sampleRepos } from './util.js';

const repo = sampleRepos();

const lineOf = (parsed: ReturnType<typeof parseToml>) => {
  if ('error' in parsed) throw new Error(parsed.error);
  return Object.fromEntries(parsed.dependencies.map((d) => [d.name, d.evidence.line]));
};

describe('pyproject.toml and Pipfile (smol-toml)', () => {
  it('reads PEP 621, optional dependencies, dependency groups and Poetry tables, with their lines', () => {
    const text = [
      '[project]', // 1
      'name = "orders"', // 2
      'dependencies = [ # runtime', // 3
      '  "fastapi>=0.110",', // 4
      "  'httpx',", // 5
      ']', // 6
      '', // 7
      '[project.optional-dependencies]', // 8
      'db = ["SQLAlchemy>=2", "psycopg[binary]"]', // 9
      '', // 10
      '[dependency-groups]', // 11
      'test = ["pytest", { include-group = "lint" }]', // 12
      'lint = ["ruff"]', // 13
      '', // 14
      '[tool.poetry.dependencies]', // 15
      'python = "^3.12"', // 16
      'redis = { version = "^5", extras = ["hiredis"] }', // 17
      '', // 18
      '[tool.poetry.group.dev.dependencies]', // 19
      '"black" = "*"', // 20
    ].join('\n');
    const parsed = parseToml('svc/pyproject.toml', text, 'pyproject');
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.name).toBe('orders');
    expect(lineOf(parsed)).toEqual({
      fastapi: 4,
      httpx: 5,
      SQLAlchemy: 9,
      psycopg: 9,
      pytest: 12,
      ruff: 13,
      redis: 17,
      black: 20,
    });
    expect(parsed.dependencies.find((d) => d.name === 'redis')!.evidence).toEqual({
      file: 'svc/pyproject.toml',
      line: 17,
      text: 'redis = { version = "^5", extras = ["hiredis"] }',
    });
  });

  it('reads what the old line reader could not: dotted keys, a multi-line string before the list, a name in [tool.poetry]', () => {
    const text = [
      '[tool.poetry]', // 1
      'name = "legacy"', // 2
      'description = """', // 3
      'dependencies = ["not-a-dependency"]', // 4
      '"""', // 5
      'dependencies.django = "^5"', // 6
    ].join('\n');
    const parsed = parseToml('pyproject.toml', text, 'pyproject');
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.name).toBe('legacy');
    expect(lineOf(parsed)).toEqual({ django: 6 });
  });

  it('reads a Pipfile', () => {
    const text =
      '[[source]]\nurl = "https://pypi.org/simple"\n\n[packages]\nflask = "*"\n\n[dev-packages]\npytest = "*"\n\n[requires]\npython_version = "3.12"\n';
    expect(lineOf(parseToml('Pipfile', text, 'pipfile'))).toEqual({ flask: 5, pytest: 8 });
  });

  it('reports a malformed file naming it, with line and column', () => {
    const duplicate = parseToml('api/pyproject.toml', '[project]\nname = "a"\nname = "b"\n', 'pyproject');
    expect(duplicate).toEqual({
      error: expect.stringMatching(/^api\/pyproject\.toml is not valid TOML \(line 3, column \d+: .+\)$/),
    });
    const badValue = parseToml('api/pyproject.toml', '[project]\nname = flask\n', 'pyproject');
    expect(badValue).toEqual({
      error: expect.stringMatching(/^api\/pyproject\.toml is not valid TOML \(line 2, column 8: invalid value\)$/),
    });
    const unclosed = parseToml('Pipfile', '[packages]\nflask = { version = "*"\n', 'pipfile');
    expect(unclosed).toEqual({
      error: expect.stringMatching(/^Pipfile is not valid TOML \(line \d+, column \d+: .*unclosed bracket/),
    });
  });

  it('a malformed pyproject.toml is a scan problem for that file, and the service is still scanned from its sources', async () => {
    const dir = await repo({
      'api/pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi"\nversion = "1"\n',
      'api/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    });
    const result = await scanRepo(dir);
    expect(result.problems).toEqual([
      {
        file: 'api/pyproject.toml',
        message: expect.stringMatching(/^api\/pyproject\.toml is not valid TOML \(line \d+, column \d+: /),
      },
    ]);
    expect(names(service(result, 'api').frameworks)).toEqual(['fastapi']);
  });
});
