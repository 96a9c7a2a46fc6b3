import { describe, expect, it } from 'vitest';
import { checkCommand } from './command-policy.js';
import { splitCommand } from './command-words.js';

describe('splitCommand', () => {
  it('splits an && chain into argv without a shell', () => {
    expect(splitCommand('go get a.b/c@v1 && go mod tidy')).toEqual({
      ok: true,
      chain: [
        ['go', 'get', 'a.b/c@v1'],
        ['go', 'mod', 'tidy'],
      ],
    });
  });
  it("keeps a '…' quoted word as one literal word", () => {
    expect(splitCommand("yarn workspace 'my pkg' add x")).toEqual({
      ok: true,
      chain: [['yarn', 'workspace', 'my pkg', 'add', 'x']],
    });
  });
  it.each([
    'a;b',
    'a | b',
    'a & b',
    'a&&b',
    'a $(b)',
    'a `b`',
    'a > f',
    'a "b"',
    'a\\ b',
    'a\tb',
    'a\nb',
    'a *',
    "a 'b",
  ])('refuses %j', (text) => {
    expect(splitCommand(text).ok).toBe(false);
  });
});

describe('checkCommand allows what the recipes and doctor build', () => {
  const allowed: [string, string[][]][] = [
    [
      'npm install --save-exact --no-audit --no-fund @opentelemetry/api@1.9.0',
      [['npm', 'install', '--save-exact', '--no-audit', '--no-fund', '@opentelemetry/api@1.9.0']],
    ],
    [
      'npm install --save-exact --no-audit --no-fund -w @shop/api @opentelemetry/api@1.9.0',
      [['npm', 'install', '--save-exact', '--no-audit', '--no-fund', '-w', '@shop/api', '@opentelemetry/api@1.9.0']],
    ],
    ['npm install --workspace=services/api x@^1.2.0', [['npm', 'install', '--workspace=services/api', 'x@^1.2.0']]],
    [
      'pnpm add --save-exact --filter api @opentelemetry/api@1.9.0',
      [['pnpm', 'add', '--save-exact', '--filter', 'api', '@opentelemetry/api@1.9.0']],
    ],
    [
      'yarn workspace api add --exact @opentelemetry/api@1.9.0',
      [['yarn', 'workspace', 'api', 'add', '--exact', '@opentelemetry/api@1.9.0']],
    ],
    ['bun add --exact @opentelemetry/api@1.9.0', [['bun', 'add', '--exact', '@opentelemetry/api@1.9.0']]],
    ['pip install -r requirements.txt', [['pip', 'install', '-r', 'requirements.txt']]],
    ['pip install -e .', [['pip', 'install', '-e', '.']]],
    [
      'pip install --require-virtualenv -r requirements.txt',
      [['pip', 'install', '--require-virtualenv', '-r', 'requirements.txt']],
    ],
    [
      '.venv/bin/python -m pip install -r orders/requirements.txt',
      [['.venv/bin/python', '-m', 'pip', 'install', '-r', 'orders/requirements.txt']],
    ],
    ['.venv/bin/pip install -r requirements.txt', [['.venv/bin/pip', 'install', '-r', 'requirements.txt']]],
    [
      'python3 -m venv .venv && .venv/bin/python -m pip install -r requirements.txt',
      [
        ['python3', '-m', 'venv', '.venv'],
        ['.venv/bin/python', '-m', 'pip', 'install', '-r', 'requirements.txt'],
      ],
    ],
    [
      "pip install 'opentelemetry-instrumentation-flask[instruments]>=0.48b0,<1'",
      [['pip', 'install', 'opentelemetry-instrumentation-flask[instruments]>=0.48b0,<1']],
    ],
    [
      'poetry add opentelemetry-api@1.27.0 opentelemetry-sdk==1.27.0',
      [['poetry', 'add', 'opentelemetry-api@1.27.0', 'opentelemetry-sdk==1.27.0']],
    ],
    [
      'poetry lock && poetry install',
      [
        ['poetry', 'lock'],
        ['poetry', 'install'],
      ],
    ],
    ['uv add opentelemetry-api==1.27.0', [['uv', 'add', 'opentelemetry-api==1.27.0']]],
    ['uv sync', [['uv', 'sync']]],
    ['uv pip install -r requirements.txt', [['uv', 'pip', 'install', '-r', 'requirements.txt']]],
    ['pipenv install opentelemetry-api==1.27.0', [['pipenv', 'install', 'opentelemetry-api==1.27.0']]],
    [
      'go get go.opentelemetry.io/otel@v1.28.0 go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin@v0.53.0 && go mod tidy',
      [
        [
          'go',
          'get',
          'go.opentelemetry.io/otel@v1.28.0',
          'go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin@v0.53.0',
        ],
        ['go', 'mod', 'tidy'],
      ],
    ],
  ];
  it.each(allowed)('%s', (command, chain) => {
    expect(checkCommand(command)).toEqual({ ok: true, chain });
  });
});

describe('checkCommand refuses, with the reason', () => {
  const refused: [string, RegExp][] = [
    ['rm -rf /', /not an allowed tool/],
    ['node evil.js', /not an allowed tool/],
    ['constructor x', /not an allowed tool/],
    ['npm run build', /npm may only run: install, i, add/],
    ['npm exec x', /not allowed/],
    ['go build ./...', /go may only run: get, mod tidy/],
    ['go run .', /not allowed/],
    ['yarn workspace api run x', /may only run: add/],
    ['npm install x@file:../y', /not an npm registry package/],
    ['npm install x@npm:evil', /not an npm registry package/],
    ['npm install user/repo', /not an npm registry package/],
    ['npm install evil.tgz', /not an npm registry package/],
    ['npm install --save-exact=true x', /flag "--save-exact=true"/],
    ['npm install -w ../outside x', /after -w/],
    ['npm install -w /abs x', /after -w/],
    ['pip install x @ https://e.x/x.whl', /not a PyPI package/],
    ['pip install x.whl', /not a PyPI package/],
    ['pip install -r ../reqs.txt', /after -r/],
    ['python3 -m venv /tmp/v', /not a path inside/],
    ['python3 -c x', /not allowed/],
    ['/usr/bin/pip install x', /not an allowed tool/],
    ['../.venv/bin/pip install x', /not an allowed tool/],
    ['go get ./...', /not a Go module path/],
    ['go get -u x.io/y', /flag "-u"/],
    ['poetry add ./local', /not a PyPI package/],
    ['poetry add git+https://github.com/a/b', /not a PyPI package/],
    ['uv add https://e.x/a.whl', /metacharacters|not a PyPI package/],
    ['uv sync --python /usr/bin/python', /flag "--python"/],
    ['pnpm add -C /tmp x', /flag "-C"/],
    ['pnpm add --dir=/tmp x', /flag "--dir=\/tmp"/],
    ['go mod tidy && go get a.b/c && go mod tidy', /at most two/],
    ['pip install x>=1', /metacharacters/],
  ];
  it.each(refused)('%s', (command, reason) => {
    const verdict = checkCommand(command);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });
});
