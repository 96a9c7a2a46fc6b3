/**
 * Service names come from what the project says about itself — the manifest's name, then the Django project package or
 * the package the start command serves (Python), cmd/<name> or the module path's last element (Go) — and the folder
 * name only last. Each case sits in a folder whose name differs from the expected one, so the folder cannot pass for it.
 */
import { describe, expect, it } from 'vitest';
import { scanRepo } from '../../src/repo/scan.js';
import { setupCfgName } from '../../src/repo/detect/service-name.js';
import { service, sampleRepos } from './util.js';

const repo = sampleRepos();

const MANAGE_PY = (settings: string) =>
  [
    'import os, sys',
    'def main():',
    `    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "${settings}")`,
    '    from django.core.management import execute_from_command_line',
    '    execute_from_command_line(sys.argv)',
    'if __name__ == "__main__":',
    '    main()',
  ].join('\n');

const DJANGO = (settings: string) => ({
  'svc/requirements.txt': 'Django==5.1\n',
  'svc/manage.py': MANAGE_PY(settings),
  [`svc/${settings.split('.')[0]}/__init__.py`]: '',
  [`svc/${settings.split('.')[0]}/settings.py`]: 'ROOT_URLCONF = "urls"\n',
  'svc/polls/views.py': 'from django.http import HttpResponse\n\ndef index(request):\n    return HttpResponse("ok")\n',
});

const FLASK_PACKAGE = {
  '__init__.py': 'from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n',
};

async function nameOf(files: Record<string, string>, root = 'svc'): Promise<string> {
  return service(await scanRepo(await repo(files)), root).name;
}

describe('service names', () => {
  it('Django: the project package (the package of DJANGO_SETTINGS_MODULE), not the folder', async () => {
    expect(await nameOf(DJANGO('bookshop.settings'))).toBe('bookshop');
  });

  it('Django with a generic settings package (config.settings.local): the folder', async () => {
    expect(await nameOf(DJANGO('config.settings'))).toBe('svc');
  });

  it('pyproject [project] name wins over the Django package', async () => {
    expect(
      await nameOf({
        ...DJANGO('bookshop.settings'),
        'svc/pyproject.toml': '[project]\nname = "bookshop-web"\ndependencies = ["django"]\n',
      }),
    ).toBe('bookshop-web');
  });

  it('setup.py name, then setup.cfg [metadata] name', async () => {
    const served = {
      'svc/Procfile': 'web: gunicorn "catalog:create_app()"\n',
      'svc/requirements.txt': 'flask\ngunicorn\n',
      'svc/catalog/__init__.py': FLASK_PACKAGE['__init__.py'],
    };
    expect(
      await nameOf({
        ...served,
        'svc/setup.py': 'from setuptools import setup\nsetup(name="catalog-api", install_requires=["flask"])\n',
      }),
    ).toBe('catalog-api');
    expect(await nameOf({ ...served, 'svc/setup.cfg': '[metadata]\nname = catalog-service\nversion = 1.0\n' })).toBe(
      'catalog-service',
    );
  });

  it('gunicorn pkg:create_app(): the served package', async () => {
    const files = {
      'svc/Procfile': 'web: gunicorn "catalog:create_app()"\n',
      'svc/requirements.txt': 'flask\ngunicorn\n',
      'svc/catalog/__init__.py': FLASK_PACKAGE['__init__.py'],
    };
    expect(await nameOf(files)).toBe('catalog');
  });

  it('uvicorn src-layout package: the package under src/; a generic package (api) leaves the folder name', async () => {
    const app = 'from fastapi import FastAPI\n\napp = FastAPI()\n';
    expect(
      await nameOf({
        'svc/requirements.txt': 'fastapi\nuvicorn\n',
        'svc/src/billing/main.py': app,
        'svc/src/billing/__init__.py': '',
      }),
    ).toBe('billing');
    expect(
      await nameOf({ 'svc/requirements.txt': 'fastapi\nuvicorn\n', 'svc/api/main.py': app, 'svc/api/__init__.py': '' }),
    ).toBe('svc');
  });

  it('a top-level module app (app.py) leaves the folder name', async () => {
    expect(
      await nameOf({
        'svc/requirements.txt': 'flask\n',
        'svc/app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      }),
    ).toBe('svc');
  });

  it('Go: cmd/<name> the service starts from; else the module path’s last element without /vN; the id stays the module path', async () => {
    const main = 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n';
    const cmd = service(
      await scanRepo(
        await repo({ 'svc/go.mod': 'module example.com/acme/notes\n\ngo 1.22\n', 'svc/cmd/notesd/main.go': main }),
      ),
      'svc',
    );
    expect(cmd.name).toBe('notesd');
    const versioned = service(
      await scanRepo(await repo({ 'go.mod': 'module github.com/acme/ledger/v2\n\ngo 1.22\n', 'main.go': main })),
    );
    expect(versioned).toMatchObject({ id: 'github.com/acme/ledger/v2', name: 'ledger' });
  });

  it('Node: the package.json name', async () => {
    const files = {
      'svc/package.json': '{"name":"pinger","scripts":{"start":"node server.js"},"dependencies":{"express":"^4"}}',
      'svc/server.js': "require('express')().listen(3000);\n",
    };
    expect(await nameOf(files)).toBe('pinger');
  });

  it('setupCfgName reads only [metadata]', () => {
    expect(setupCfgName('[options]\nname = nope\n[metadata]\nname=real ; comment\n')).toBe('real');
    expect(setupCfgName('[options]\nname = nope\n')).toBeUndefined();
  });
});
