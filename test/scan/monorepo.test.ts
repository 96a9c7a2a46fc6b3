import { afterEach, describe, expect, it } from 'vitest';
import { scanRepo } from '../../src/repo/scan.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';
import { finding, names, service } from './util.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeSampleRepo));
});

describe('scanRepo: monorepo', () => {
  it('finds each service, skips the workspace root, and reports existing tracing per service', async () => {
    const dir = await makeSampleRepo(
      {
        'package.json': JSON.stringify(
          {
            name: 'acme',
            private: true,
            workspaces: ['services/*'],
            scripts: { lint: 'eslint .' },
            devDependencies: { eslint: '^9.0.0' },
          },
          null,
          2,
        ),
        '.gitignore': 'node_modules/\n',
        'README.md': '# acme\n',
        // Node + OpenTelemetry (SDK in a file loaded first)
        'services/web/package.json': JSON.stringify(
          {
            name: '@acme/web',
            scripts: { start: 'node --require ./tracing.js index.js' },
            dependencies: {
              express: '^4.0.0',
              '@opentelemetry/sdk-node': '^0.52.0',
              '@opentelemetry/auto-instrumentations-node': '^0.48.0',
            },
          },
          null,
          2,
        ),
        'services/web/tracing.js': "const { NodeSDK } = require('@opentelemetry/sdk-node');\nnew NodeSDK().start();\n",
        'services/web/index.js': "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
        // Python + dd-trace started from the Procfile
        'services/recs/requirements.txt': 'flask\nddtrace\n',
        'services/recs/Procfile': 'web: ddtrace-run gunicorn app:app --bind 0.0.0.0:5001\n',
        'services/recs/app.py': 'from flask import Flask\napp = Flask(__name__)\n',
        // Go + OpenTracing / Jaeger
        'services/stock/go.mod':
          'module acme/stock\n\ngo 1.22\n\nrequire (\n\tgithub.com/opentracing/opentracing-go v1.2.0\n\tgithub.com/uber/jaeger-client-go v2.30.0+incompatible\n)\n',
        'services/stock/main.go':
          'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/opentracing/opentracing-go"\n)\n\nfunc main() {\n\t_ = opentracing.GlobalTracer()\n\thttp.ListenAndServe(":7000", nil)\n}\n',
        // Node + dd-trace via -r in the start script
        'services/mail/package.json': JSON.stringify(
          {
            name: 'mail',
            scripts: { start: 'node -r dd-trace/init worker.js' },
            dependencies: { 'dd-trace': '^5.0.0', nats: '^2.0.0' },
          },
          null,
          2,
        ),
        'services/mail/worker.js': "import { connect } from 'nats';\nawait connect();\n",
        // a shared library: no framework, no entrypoint, still listed
        'packages/shared/package.json': JSON.stringify(
          { name: '@acme/shared', main: 'index.js', dependencies: { pino: '^9.0.0' } },
          null,
          2,
        ),
        'packages/shared/index.js': "module.exports = require('pino')();\n",
        // a package.json with no deps and no scripts is not a service
        'tools/esm/package.json': '{ "type": "module" }',
        'tools/esm/x.js': 'export {};\n',
        // node_modules is gitignored and never read
        'node_modules/express/package.json': JSON.stringify({ name: 'express', dependencies: { debug: '*' } }),
        'node_modules/express/index.js': "require('http').createServer().listen(1);\n",
      },
      { git: true },
    );
    dirs.push(dir);
    const result = await scanRepo(dir);
    expect(result.usedGit).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.services.map((s) => `${s.root}:${s.language}`)).toEqual([
      'packages/shared:node',
      'services/mail:node',
      'services/recs:python',
      'services/stock:go',
      'services/web:node',
    ]);

    const web = service(result, 'services/web');
    expect(web).toMatchObject({ id: 'services/web', name: '@acme/web', manifest: 'services/web/package.json' });
    expect(names(web.frameworks)).toEqual(['express']);
    expect(web.entrypoint?.file).toBe('services/web/index.js');
    expect(web.port).toMatchObject({ value: 3000, evidence: { file: 'services/web/index.js', line: 3 } });
    expect(finding(web.tracing, 'opentelemetry').evidence).toEqual({
      file: 'services/web/tracing.js',
      line: 1,
      text: "const { NodeSDK } = require('@opentelemetry/sdk-node');",
    });

    const recs = service(result, 'services/recs');
    expect(names(recs.frameworks)).toEqual(['flask']);
    expect(recs.start).toMatchObject({
      command: 'ddtrace-run gunicorn app:app --bind 0.0.0.0:5001',
      source: 'Procfile',
    });
    expect(recs.entrypoint?.file).toBe('services/recs/app.py');
    expect(recs.port?.value).toBe(5001);
    expect(finding(recs.tracing, 'ddtrace').evidence).toMatchObject({ file: 'services/recs/Procfile', line: 1 });

    const stock = service(result, 'services/stock');
    expect(names(stock.tracing)).toEqual(['opentracing', 'jaeger-client']);
    expect(finding(stock.tracing, 'opentracing').evidence).toMatchObject({ file: 'services/stock/main.go', line: 6 });
    expect(finding(stock.tracing, 'jaeger-client').evidence).toMatchObject({ file: 'services/stock/go.mod', line: 7 });
    expect(stock.port?.value).toBe(7000);

    const mail = service(result, 'services/mail');
    expect(finding(mail.tracing, 'dd-trace').evidence).toMatchObject({
      file: 'services/mail/package.json',
      text: '"start": "node -r dd-trace/init worker.js"',
    });
    expect(mail.entrypoint?.file).toBe('services/mail/worker.js');
    expect(mail.moduleSystem).toBe('commonjs');
    expect(names(mail.queueClients)).toEqual(['nats']);

    const shared = service(result, 'packages/shared');
    expect(shared.frameworks).toEqual([]);
    expect(shared.entrypoint).toBeUndefined();
    expect(names(shared.logging)).toEqual(['pino']);
  });

  it('a Node and a Python service in the same folder get distinct ids', async () => {
    const dir = await makeSampleRepo({
      'package.json': JSON.stringify({ name: 'both', dependencies: { express: '*' } }),
      'index.js': "require('express')().listen(3000);\n",
      'pyproject.toml': '[project]\nname = "both"\ndependencies = ["fastapi"]\n',
      'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    });
    dirs.push(dir);
    const result = await scanRepo(dir);
    expect(result.services.map((s) => s.id).sort()).toEqual(['both', 'both#python']);
  });
});
