import { describe, expect, it } from 'vitest';
import { scanRepo } from '../../src/repo/scan.js';
import { finding, names, service, sampleRepos } from './util.js';

const repo = sampleRepos();

describe('scanRepo: Node services', () => {
  it('Express (CommonJS JS): framework, entry, start, port default from process.env.PORT, clients', async () => {
    const dir = await repo({
      'package.json': JSON.stringify(
        {
          name: 'orders',
          scripts: { start: 'node server.js', test: 'jest' },
          dependencies: { express: '^4.19.0', axios: '^1.6.0', pg: '^8.11.0', winston: '^3.11.0', kafkajs: '^2.2.4' },
        },
        null,
        2,
      ),
      'server.js': [
        "const express = require('express');",
        "const { Pool } = require('pg');",
        "const logger = require('./logger');",
        "const { Kafka } = require('kafkajs');",
        '',
        'const app = express();',
        'const PORT = process.env.PORT || 3000;',
        "app.get('/orders', async (req, res) => {",
        "  const r = await fetch('http://inventory:8080/stock');",
        '  res.json(await r.json());',
        '});',
        'app.listen(PORT, () => console.log(`listening on ${PORT}`));',
        '',
      ].join('\n'),
      'logger.js': "const winston = require('winston');\nmodule.exports = winston.createLogger({});\n",
      'client.js': "const axios = require('axios');\nmodule.exports = () => axios.get('http://payments/');\n",
      'server.test.js': "const request = require('supertest');\nconst got = require('got');\n",
    });
    const result = await scanRepo(dir);
    const s = service(result);
    expect(s).toMatchObject({
      root: '.',
      language: 'node',
      name: 'orders',
      typescript: false,
      moduleSystem: 'commonjs',
    });
    expect(s.manifest).toBe('package.json');
    expect(names(s.frameworks)).toEqual(['express']);
    expect(finding(s.frameworks, 'express').evidence).toEqual({
      file: 'server.js',
      line: 1,
      text: "const express = require('express');",
    });
    expect(s.entrypoint?.file).toBe('server.js');
    expect(s.start).toMatchObject({ command: 'npm start', source: 'package.json' });
    expect(s.start?.evidence.text).toBe('"start": "node server.js",');
    expect(s.port).toEqual({
      value: 3000,
      evidence: { file: 'server.js', line: 7, text: 'const PORT = process.env.PORT || 3000;' },
    });
    expect(names(s.httpClients).sort()).toEqual(['axios', 'fetch']);
    expect(finding(s.httpClients, 'fetch').evidence.line).toBe(9);
    expect(finding(s.httpClients, 'axios').evidence).toMatchObject({ file: 'client.js', line: 1 });
    expect(names(s.queueClients)).toEqual(['kafkajs']);
    expect(names(s.dbClients)).toEqual(['pg']);
    expect(names(s.logging)).toEqual(['winston', 'console']);
    expect(finding(s.logging, 'winston').evidence.file).toBe('logger.js');
    expect(s.tracing).toEqual([]);
    // test files are not read: got is only used in a test
    expect(names(s.httpClients)).not.toContain('got');
  });

  it('Express in TypeScript (ESM, tsconfig): entry mapped from dist back to src, literal listen port', async () => {
    const dir = await repo({
      'package.json': JSON.stringify(
        {
          name: 'catalog',
          type: 'module',
          scripts: { build: 'tsc', start: 'node dist/server.js', dev: 'tsx watch src/server.ts' },
          dependencies: { express: '^4.19.0', undici: '^6.0.0', ioredis: '^5.3.0', pino: '^9.0.0' },
          devDependencies: { typescript: '^5.4.0', '@types/express': '^4.17.0' },
        },
        null,
        2,
      ),
      'tsconfig.json':
        '{\n  // comment\n  "compilerOptions": { "module": "NodeNext", "outDir": "dist", "rootDir": "src", "strict": true },\n}\n',
      'src/server.ts': [
        "import express, { type Request } from 'express';",
        "import { request } from 'undici';",
        "import { Redis } from 'ioredis';",
        "import pino from 'pino';",
        '',
        'const log = pino();',
        'const app = express();',
        'app.listen(8081);',
      ].join('\n'),
      'dist/server.js': "import express from 'express'; app.listen(9999);",
    });
    const s = service(await scanRepo(dir));
    expect(s).toMatchObject({ typescript: true, moduleSystem: 'esm', name: 'catalog' });
    expect(names(s.frameworks)).toEqual(['express']);
    expect(s.entrypoint).toMatchObject({ file: 'src/server.ts' });
    expect(s.start?.command).toBe('npm start');
    expect(s.port).toEqual({ value: 8081, evidence: { file: 'src/server.ts', line: 8, text: 'app.listen(8081);' } });
    expect(names(s.httpClients)).toEqual(['undici']);
    expect(names(s.dbClients)).toEqual(['ioredis']);
    expect(names(s.logging)).toEqual(['pino']);
    // dist/ is build output: never read
    expect(s.port?.value).not.toBe(9999);
  });

  it('Fastify: listen({ port }) and dev script', async () => {
    const dir = await repo({
      'package.json': JSON.stringify(
        {
          name: 'gateway',
          scripts: { dev: 'node --watch src/index.js' },
          dependencies: { fastify: '^4.0.0', got: '^14.0.0', mongodb: '^6.0.0' },
        },
        null,
        2,
      ),
      'src/index.js': [
        "const Fastify = require('fastify');",
        "const got = require('got');",
        "const { MongoClient } = require('mongodb');",
        'const app = Fastify({ logger: true });',
        "app.listen({ port: 4000, host: '0.0.0.0' });",
      ].join('\n'),
    });
    const s = service(await scanRepo(dir));
    expect(names(s.frameworks)).toEqual(['fastify']);
    expect(s.start).toMatchObject({ command: 'npm run dev', source: 'package.json' });
    expect(s.entrypoint?.file).toBe('src/index.js');
    expect(s.port?.value).toBe(4000);
    expect(s.port?.evidence.line).toBe(5);
    expect(names(s.httpClients)).toEqual(['got']);
    expect(names(s.dbClients)).toEqual(['mongodb']);
  });

  it('NestJS: nest start → src/main.ts, port from process.env.PORT ?? 3000, CommonJS by tsconfig', async () => {
    const dir = await repo({
      'package.json': JSON.stringify(
        {
          name: 'billing',
          scripts: { start: 'nest start', 'start:prod': 'node dist/main' },
          dependencies: {
            '@nestjs/core': '^10.0.0',
            '@nestjs/common': '^10.0.0',
            '@nestjs/platform-express': '^10.0.0',
            '@nestjs/typeorm': '^10.0.0',
            typeorm: '^0.3.0',
          },
        },
        null,
        2,
      ),
      'tsconfig.json': '{ "compilerOptions": { "module": "commonjs", "outDir": "./dist" } }',
      'nest-cli.json': '{ "sourceRoot": "src" }',
      'src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { AppModule } from './app.module';",
        'async function bootstrap() {',
        '  const app = await NestFactory.create(AppModule);',
        '  await app.listen(process.env.PORT ?? 3000);',
        '}',
        'bootstrap();',
      ].join('\n'),
      'src/app.module.ts':
        "import { Module } from '@nestjs/common';\nimport { TypeOrmModule } from '@nestjs/typeorm';\n@Module({})\nexport class AppModule {}\n",
    });
    const s = service(await scanRepo(dir));
    expect(names(s.frameworks)).toEqual(['nestjs']);
    expect(s).toMatchObject({ typescript: true, moduleSystem: 'commonjs' });
    expect(s.entrypoint?.file).toBe('src/main.ts');
    expect(s.start?.command).toBe('npm start');
    expect(s.port).toMatchObject({ value: 3000, evidence: { file: 'src/main.ts', line: 5 } });
    expect(names(s.dbClients)).toEqual(['typeorm']);
    expect(finding(s.dbClients, 'typeorm').evidence.file).toBe('src/app.module.ts');
  });

  it('Koa without start script: entry from the listen call, Dockerfile EXPOSE as the port, manifest evidence fallback', async () => {
    const dir = await repo({
      'package.json': JSON.stringify(
        {
          name: 'notify',
          dependencies: { koa: '^2.15.0', amqplib: '^0.10.0', 'node-fetch': '^3.0.0', bunyan: '^1.8.0' },
        },
        null,
        2,
      ),
      'app.js': [
        "import Koa from 'koa';",
        "import fetch from 'node-fetch';",
        "import amqp from 'amqplib';",
        'const app = new Koa();',
        'const port = Number(process.env.LISTEN) ;',
        'app.listen(port);',
        "await fetch('http://x');",
      ].join('\n'),
      Dockerfile: 'FROM node:20\nCOPY . .\nEXPOSE 3005\nCMD ["node", "app.js"]\n',
    });
    const s = service(await scanRepo(dir));
    expect(names(s.frameworks)).toEqual(['koa']);
    expect(s.entrypoint?.file).toBe('app.js');
    expect(s.start).toMatchObject({
      command: 'node app.js',
      source: 'Dockerfile',
      evidence: { file: 'Dockerfile', line: 4 },
    });
    expect(s.port).toEqual({ value: 3005, evidence: { file: 'Dockerfile', line: 3, text: 'EXPOSE 3005' } });
    // node-fetch imported: the global-fetch row does not fire
    expect(names(s.httpClients)).toEqual(['node-fetch']);
    expect(names(s.queueClients)).toEqual(['amqplib']);
    // bunyan is a dependency never imported: evidence falls back to the manifest line
    expect(finding(s.logging, 'bunyan').evidence).toMatchObject({ file: 'package.json', text: '"bunyan": "^1.8.0"' });
  });
});
