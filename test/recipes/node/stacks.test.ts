/** Step 2–6 proposals for the other Node stacks: Express ESM, Fastify, Koa, NestJS with tsc, an esbuild bundle. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeSampleRepo, removeSampleRepo, type SampleFiles } from '../../helpers/sample-repo.js';
import { snapshot } from '../../helpers/recipe-harness.js';
import {
  applyAllSteps,
  expectIdempotent,
  expectUndoRestores,
  ids,
  nodeCheck,
  packageJson,
  planNode,
  tsSyntaxErrors,
} from './node-harness.js';

const dirs: string[] = [];
async function repo(files: SampleFiles): Promise<string> {
  const dir = await makeSampleRepo(files);
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeSampleRepo));
});

const pkg = (name: string, extra: Record<string, unknown>) =>
  `${JSON.stringify({ name, version: '1.0.0', private: true, ...extra }, null, 2)}\n`;

describe('Express ESM', () => {
  const files: SampleFiles = {
    'package.json': pkg('shop-api', {
      type: 'module',
      scripts: { start: 'node src/app.js' },
      dependencies: { express: '^5.1.0', pino: '^9.0.0' },
    }),
    'package-lock.json': '{}\n',
    'src/app.js': [
      "import express from 'express';",
      "import pino from 'pino';",
      '',
      'const log = pino();',
      'const app = express();',
      "app.post('/orders/:orderId', async (req, res) => {",
      '  const order = { id: req.params.orderId, total: 3 };',
      '  log.info({ order }, `order ${order.id} saved`);',
      '  res.status(201).json(order);',
      '});',
      "app.get('/healthz', (req, res) => res.send('ok'));",
      'app.listen(8080);',
      '',
    ].join('\n'),
  };

  test('tracing.mjs with the ESM hook, --import, a span in the route, pino correlation by instrumentation', async () => {
    const dir = await repo(files);
    const before = await snapshot(dir);
    const run = await applyAllSteps(dir, { 'business-attributes': 'app.order.id, app.customer.tier' });
    const setup = await readFile(path.join(dir, 'tracing.mjs'), 'utf8');
    expect(setup).toContain("register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);");
    expect(setup).toContain("process.env.OTEL_NODE_RESOURCE_DETECTORS ??= 'host,process,serviceinstance,env';");
    expect(setup).toContain(
      "const { ATTR_SERVICE_NAME, ATTR_DEPLOYMENT_ENVIRONMENT_NAME } = await import('@opentelemetry/semantic-conventions');",
    );
    expect(setup).toContain("[ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: 'development',");
    expect((await packageJson(dir)).scripts?.start).toBe('node --import ./tracing.mjs src/app.js');
    const app = await readFile(path.join(dir, 'src/app.js'), 'utf8');
    expect(app).toContain("import { withSpan } from '../with-span.mjs';");
    expect(app).toContain("withSpan('orders', { 'app.order.id': req.params.orderId }, async () => {");
    expect(ids(run.plans.correlation)).toEqual(['shop-api:log-correlation']); // a note: pino is covered
    for (const f of ['tracing.mjs', 'with-span.mjs', 'src/app.js']) nodeCheck(dir, f);
    await expectIdempotent(dir, { 'business-attributes': 'app.order.id, app.customer.tier' });
    await expectUndoRestores(dir, before, run.writes);
  });
});

describe('Fastify and Koa (CommonJS)', () => {
  test('Fastify: the request parameter name is used for attributes', async () => {
    const dir = await repo({
      'package.json': pkg('catalog', { scripts: { start: 'node index.js' }, dependencies: { fastify: '^5.0.0' } }),
      'index.js': [
        "const fastify = require('fastify')();",
        '',
        "fastify.get('/products/:sku', async (request, reply) => {",
        "  return { sku: request.params.sku, price: '4.50' };",
        '});',
        'fastify.listen({ port: 3001 });',
        '',
      ].join('\n'),
    });
    const before = await snapshot(dir);
    const run = await applyAllSteps(dir);
    const index = await readFile(path.join(dir, 'index.js'), 'utf8');
    expect(index).toContain("return withSpan('products', { 'app.products.sku': request.params.sku }, async () => {");
    for (const f of ['index.js', 'tracing.cjs', 'with-span.cjs']) nodeCheck(dir, f);
    await expectIdempotent(dir);
    await expectUndoRestores(dir, before, run.writes);
  });

  test('Koa router: kafkajs is covered by its instrumentation; setTimeout hand-off is noted', async () => {
    const dir = await repo({
      'package.json': pkg('payments', {
        scripts: { start: 'PORT=4000 node server.js' },
        dependencies: { koa: '^2.15.0', '@koa/router': '^13.0.0', kafkajs: '^2.2.4' },
      }),
      'server.js': [
        "const Koa = require('koa');",
        "const Router = require('@koa/router');",
        "const { Kafka } = require('kafkajs');",
        '',
        "const producer = new Kafka({ brokers: ['localhost:9092'] }).producer();",
        'const app = new Koa();',
        'const router = new Router();',
        "router.post('/payments/:id/capture', async (ctx) => {",
        "  await producer.send({ topic: 'payments', messages: [{ value: ctx.params.id }] });",
        '  ctx.body = { ok: true };',
        '});',
        'app.use(router.routes());',
        'app.listen(4000);',
        '',
      ].join('\n'),
    });
    const run = await applyAllSteps(dir);
    expect((await packageJson(dir)).scripts?.start).toBe('PORT=4000 node --require ./tracing.cjs server.js');
    const server = await readFile(path.join(dir, 'server.js'), 'utf8');
    expect(server).toContain("withSpan('payments.capture', { 'app.payments.capture.id': ctx.params.id }");
    const queue = run.plans.propagation?.find((p) => p.id === 'payments:queue-propagation');
    expect(queue?.change.kind === 'note' && queue.change.text).toContain('@opentelemetry/instrumentation-kafkajs');
    for (const f of ['server.js', 'tracing.cjs']) nodeCheck(dir, f);
  });

  test('node-rdkafka is not instrumented: a generated inject/extract module and a note', async () => {
    const dir = await repo({
      'package.json': pkg('worker', {
        scripts: { start: 'node worker.js' },
        dependencies: { 'node-rdkafka': '^3.0.0' },
      }),
      'worker.js':
        "const Kafka = require('node-rdkafka');\nconst consumer = new Kafka.KafkaConsumer({}, {});\nconsumer.connect();\n",
    });
    await applyAllSteps(dir);
    nodeCheck(dir, 'message-context.cjs');
    const text = await readFile(path.join(dir, 'message-context.cjs'), 'utf8');
    expect(text).toContain('propagation.inject(context.active(), headers)');
    expect(text).toContain('kind: SpanKind.CONSUMER');
    expect(text).toContain('span.end()');
  });
});

describe('TypeScript', () => {
  test('NestJS with tsc: NODE_OPTIONS for nest start, --require for start:prod, TS helper, a note for controllers', async () => {
    const dir = await repo({
      'package.json': pkg('billing', {
        scripts: { build: 'nest build', start: 'nest start', 'start:prod': 'node dist/main' },
        dependencies: { '@nestjs/core': '^11.0.0', '@nestjs/common': '^11.0.0' },
        devDependencies: { typescript: '^5.9.0' },
      }),
      'tsconfig.json':
        '{ "compilerOptions": { "module": "commonjs", "outDir": "./dist", "experimentalDecorators": true } }\n',
      'src/main.ts':
        "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();\n",
      'src/app.module.ts': "import { Module } from '@nestjs/common';\n\n@Module({})\nexport class AppModule {}\n",
    });
    const before = await snapshot(dir);
    const run = await applyAllSteps(dir);
    const scripts = (await packageJson(dir)).scripts!;
    expect(scripts.start).toBe("NODE_OPTIONS='--require ./tracing.cjs' nest start");
    expect(scripts['start:prod']).toBe('node --require ./tracing.cjs dist/main');
    expect(ids(run.plans['manual-spans'])).toEqual(['billing:with-span-helper', 'billing:spans-by-hand']);
    expect(await tsSyntaxErrors(dir, 'src/with-span.ts')).toEqual([]);
    nodeCheck(dir, 'tracing.cjs');
    await expectIdempotent(dir);
    await expectUndoRestores(dir, before, run.writes);
  });

  test('Express in TypeScript: the wrapped handler transpiles without diagnostics', async () => {
    const dir = await repo({
      'package.json': pkg('ts-api', {
        scripts: { build: 'tsc', start: 'node dist/index.js' },
        dependencies: { express: '^5.1.0' },
      }),
      'tsconfig.json': '{ "compilerOptions": { "module": "commonjs", "outDir": "dist", "rootDir": "src" } }\n',
      'src/index.ts': [
        "import express, { type Request, type Response } from 'express';",
        '',
        'const app = express();',
        "app.get('/invoices/:invoiceId', async (req: Request, res: Response) => {",
        '  const invoice = { id: req.params.invoiceId, lines: [1, 2].map((n) => ({ n })) };',
        '  res.json(invoice);',
        '});',
        'app.listen(3000);',
        '',
      ].join('\n'),
    });
    await applyAllSteps(dir, { 'business-attributes': 'app.invoice.id' });
    const index = await readFile(path.join(dir, 'src/index.ts'), 'utf8');
    expect(index).toContain("import { withSpan } from './with-span';");
    expect(index).toContain("String((req.params as Record<string, unknown>)['invoiceId'])");
    expect(await tsSyntaxErrors(dir, 'src/index.ts')).toEqual([]);
    expect(await tsSyntaxErrors(dir, 'src/with-span.ts')).toEqual([]);
  });

  test('esbuild bundle: --packages=external is added to the build script', async () => {
    const dir = await repo({
      'package.json': pkg('edge', {
        scripts: {
          build: 'esbuild src/index.ts --bundle --platform=node --outfile=dist/index.js',
          start: 'node dist/index.js',
        },
        dependencies: { express: '^5.1.0' },
        devDependencies: { esbuild: '^0.25.0' },
      }),
      'tsconfig.json': '{ "compilerOptions": { "module": "commonjs" } }\n',
      'src/index.ts': "import express from 'express';\nconst app = express();\napp.listen(3000);\n",
    });
    const proposals = await planNode(dir, 'auto-instrumentation');
    expect(proposals.find((p) => p.id === 'edge:bundle-externals')?.change).toMatchObject({
      kind: 'edit',
      edits: [
        { new: '"build": "esbuild src/index.ts --bundle --packages=external --platform=node --outfile=dist/index.js"' },
      ],
    });
    await applyAllSteps(dir);
    const scripts = (await packageJson(dir)).scripts!;
    expect(scripts.start).toBe('node --require ./tracing.cjs dist/index.js');
    await expectIdempotent(dir);
  });

  test('webpack bundle: a note that names the instrumented packages', async () => {
    const dir = await repo({
      'package.json': pkg('bundled', {
        scripts: { build: 'webpack --mode production', start: 'node dist/main.js' },
        dependencies: { express: '^5.1.0', pg: '^8.0.0' },
      }),
      'src/main.js': "const express = require('express');\nconst { Pool } = require('pg');\nexpress().listen(3000);\n",
    });
    const proposals = await planNode(dir, 'auto-instrumentation');
    const bundle = proposals.find((p) => p.id === 'bundled:bundle-externals');
    expect(bundle?.change.kind === 'note' && bundle.change.text).toMatch(
      /webpack-node-externals[\s\S]*express, pg|express, pg[\s\S]*webpack-node-externals/,
    );
  });
});
