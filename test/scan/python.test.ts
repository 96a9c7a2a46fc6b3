import { describe, expect, it } from 'vitest';
import { scanRepo } from '../../src/repo/scan.js';
import { finding, names, service, sampleRepos } from './util.js';

const repo = sampleRepos();

describe('scanRepo: Python services', () => {
  it('Flask: app.run(port=5000) under __main__, requests/psycopg2/logging, python app.py', async () => {
    const dir = await repo({
      'requirements.txt': 'Flask==3.0.0\nrequests>=2.31\npsycopg2-binary==2.9.9  # db\nkafka-python==2.0.2\n',
      'app.py': [
        'import logging',
        'import requests',
        'import psycopg2',
        'from flask import Flask, jsonify',
        '',
        'app = Flask(__name__)',
        'log = logging.getLogger(__name__)',
        '',
        "@app.route('/')",
        'def index():',
        "    return jsonify(requests.get('http://users:8000/me').json())",
        '',
        "if __name__ == '__main__':",
        "    app.run(host='0.0.0.0', port=5000)",
      ].join('\n'),
      'tests/test_app.py': 'import httpx\n',
    });
    const s = service(await scanRepo(dir));
    expect(s).toMatchObject({ language: 'python', manifest: 'requirements.txt' });
    expect(s.typescript).toBeUndefined();
    expect(names(s.frameworks)).toEqual(['flask']);
    expect(finding(s.frameworks, 'flask').evidence).toEqual({
      file: 'app.py',
      line: 4,
      text: 'from flask import Flask, jsonify',
    });
    expect(s.entrypoint?.file).toBe('app.py');
    expect(s.start).toMatchObject({ command: 'python app.py', source: 'python' });
    expect(s.port).toEqual({
      value: 5000,
      evidence: { file: 'app.py', line: 14, text: "app.run(host='0.0.0.0', port=5000)" },
    });
    expect(names(s.httpClients)).toEqual(['requests']);
    expect(names(s.dbClients)).toEqual(['psycopg2']);
    // declared, never imported: manifest evidence
    expect(finding(s.queueClients, 'kafka-python').evidence).toMatchObject({ file: 'requirements.txt', line: 4 });
    expect(names(s.logging)).toEqual(['logging']);
  });

  it('FastAPI: pyproject (PEP 621), Procfile uvicorn --port, httpx/sqlalchemy/structlog, existing OpenTelemetry', async () => {
    const dir = await repo({
      'pyproject.toml': [
        '[project]',
        'name = "search-api"',
        'version = "0.1.0"',
        'dependencies = [',
        '  "fastapi>=0.110",',
        '  "uvicorn[standard]",',
        '  "httpx",',
        '  "SQLAlchemy>=2",',
        '  "structlog",',
        '  "opentelemetry-instrumentation-fastapi",',
        ']',
        '',
        '[tool.ruff]',
        'line-length = 100 # comment',
      ].join('\n'),
      Procfile: 'web: uvicorn app.main:api --host 0.0.0.0 --port 8001\nworker: python worker.py\n',
      'app/__init__.py': '',
      'app/main.py': [
        'from fastapi import FastAPI',
        'import httpx',
        'from sqlalchemy import create_engine',
        'import structlog',
        'from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor',
        '',
        'api = FastAPI()',
      ].join('\n'),
    });
    const s = service(await scanRepo(dir));
    expect(s.name).toBe('search-api');
    expect(s.manifest).toBe('pyproject.toml');
    expect(names(s.frameworks)).toEqual(['fastapi']);
    expect(s.start).toEqual({
      command: 'uvicorn app.main:api --host 0.0.0.0 --port 8001',
      source: 'Procfile',
      evidence: { file: 'Procfile', line: 1, text: 'web: uvicorn app.main:api --host 0.0.0.0 --port 8001' },
    });
    expect(s.entrypoint?.file).toBe('app/main.py');
    expect(s.port).toMatchObject({ value: 8001, evidence: { file: 'Procfile', line: 1 } });
    expect(names(s.httpClients)).toEqual(['httpx']);
    expect(names(s.dbClients)).toEqual(['sqlalchemy']);
    expect(names(s.logging)).toEqual(['structlog']);
    expect(finding(s.tracing, 'opentelemetry').evidence).toMatchObject({ file: 'app/main.py', line: 5 });
  });

  it('FastAPI without a start file: derived uvicorn command', async () => {
    const dir = await repo({
      'requirements.txt': 'fastapi\naio-pika\nnats-py\npymongo\nloguru\n',
      'main.py':
        'from fastapi import FastAPI\nimport aio_pika\nimport nats\nfrom pymongo import MongoClient\nfrom loguru import logger\n\napp = FastAPI()\n',
    });
    const s = service(await scanRepo(dir));
    expect(s.start).toMatchObject({
      command: 'uvicorn main:app',
      source: 'python',
      evidence: { file: 'main.py', line: 7 },
    });
    expect(s.entrypoint?.file).toBe('main.py');
    // No port written anywhere: uvicorn's default, marked as a default.
    expect(s.port).toMatchObject({
      value: 8000,
      evidence: { file: 'main.py', line: 7 },
      frameworkDefault: expect.stringContaining('8000'),
    });
    expect(names(s.queueClients)).toEqual(['aio-pika', 'nats-py']);
    expect(names(s.dbClients)).toEqual(['pymongo']);
    expect(names(s.logging)).toEqual(['loguru']);
  });

  it('Django: manage.py in a subfolder of the requirements root, runserver, django ORM', async () => {
    const dir = await repo({
      'shop/requirements.txt': 'Django==5.0\nredis==5.0\n',
      'shop/src/manage.py': [
        '#!/usr/bin/env python',
        'import os, sys',
        'def main():',
        "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')",
        '    from django.core.management import execute_from_command_line',
        '    execute_from_command_line(sys.argv)',
        "if __name__ == '__main__':",
        '    main()',
      ].join('\n'),
      'shop/src/shop/settings.py': 'INSTALLED_APPS = []\n',
      'shop/src/shop/wsgi.py':
        'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      'shop/src/orders/models.py': 'from django.db import models\nimport redis\nclass Order(models.Model):\n    pass\n',
      'shop/src/orders/migrations/0001_initial.py': 'from django.db import migrations\n',
    });
    const result = await scanRepo(dir);
    const s = service(result);
    expect(s).toMatchObject({
      root: 'shop',
      id: 'shop',
      name: 'shop',
      language: 'python',
      manifest: 'shop/requirements.txt',
    });
    expect(names(s.frameworks)).toEqual(['django']);
    expect(s.entrypoint).toMatchObject({ file: 'shop/src/manage.py', evidence: { line: 6 } });
    expect(s.start).toMatchObject({
      command: 'python manage.py runserver --noreload',
      source: 'manage.py',
      why: expect.stringMatching(/child process that its parent kills outright on SIGTERM/),
    });
    expect(names(s.dbClients)).toEqual(['redis-py', 'django-orm']);
    expect(finding(s.dbClients, 'django-orm').evidence).toEqual({
      file: 'shop/src/orders/models.py',
      line: 1,
      text: 'from django.db import models',
    });
  });
});
