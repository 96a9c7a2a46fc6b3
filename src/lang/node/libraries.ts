/**
 * Node.js / TypeScript: library → finding table.
 *
 * Finding names:
 * - framework: express, fastify, nestjs, koa, hapi, hono, grpc
 * - http:      axios, got, node-fetch, undici, superagent, fetch (global fetch), http (node:http/https request/get)
 * - queue:     kafkajs, kafka (node-rdkafka, @confluentinc/kafka-javascript), amqplib, nats, bullmq, sqs
 * - db:        pg, mysql2, mysql, mongodb, mongoose, redis, ioredis, prisma, sequelize, typeorm, knex, drizzle
 * - logging:   winston, pino, bunyan, console
 * - tracing:   opentelemetry, opentracing, jaeger-client, zipkin, dd-trace, newrelic, elastic-apm, sentry, aws-xray
 */
import type {
  Category,
  CommandAgent,
  EntryMarker,
  LanguageTable,
  LibraryRule,
  PortPattern,
} from '../../repo/detect/types.js';

/** A library whose npm name is also what the code imports. */
function lib(name: string, category: Category, packages: readonly string[]): LibraryRule {
  const imports = packages.map((p) => p.replace(/\/\*$/, '')).filter((p) => !p.endsWith('*'));
  return { name, category, packages, imports };
}

export const NODE_RULES: readonly LibraryRule[] = [
  // Frameworks: meta-frameworks first, so they are listed before what they build on.
  lib('nestjs', 'framework', ['@nestjs/core']),
  lib('express', 'framework', ['express']),
  lib('fastify', 'framework', ['fastify']),
  lib('koa', 'framework', ['koa']),
  lib('hapi', 'framework', ['@hapi/hapi']),
  lib('hono', 'framework', ['hono']),
  lib('grpc', 'framework', ['@grpc/grpc-js', 'grpc']),

  lib('axios', 'http', ['axios']),
  lib('got', 'http', ['got']),
  lib('node-fetch', 'http', ['node-fetch']),
  lib('undici', 'http', ['undici']),
  lib('superagent', 'http', ['superagent']),
  {
    name: 'fetch',
    category: 'http',
    usage: { hint: 'fetch(', pattern: /(?<![\w.$])fetch\(\s*[`'"\w]/ },
    unlessImported: ['node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch'],
  },
  {
    name: 'http',
    category: 'http',
    imports: ['http', 'https'],
    usage: { hint: '.request(', pattern: /\bhttps?\.request\(/ },
  },
  {
    name: 'http',
    category: 'http',
    imports: ['http', 'https'],
    usage: { hint: '.get(', pattern: /\bhttps?\.get\(/ },
  },

  lib('kafkajs', 'queue', ['kafkajs']),
  lib('kafka', 'queue', ['node-rdkafka', '@confluentinc/kafka-javascript']),
  lib('amqplib', 'queue', ['amqplib', 'amqp-connection-manager']),
  lib('nats', 'queue', ['nats']),
  lib('bullmq', 'queue', ['bullmq', 'bull']),
  lib('sqs', 'queue', ['@aws-sdk/client-sqs']),

  lib('pg', 'db', ['pg', 'postgres']),
  lib('mysql2', 'db', ['mysql2']),
  lib('mysql', 'db', ['mysql']),
  lib('mongoose', 'db', ['mongoose']),
  lib('mongodb', 'db', ['mongodb']),
  lib('ioredis', 'db', ['ioredis']),
  lib('redis', 'db', ['redis']),
  lib('prisma', 'db', ['@prisma/client']),
  lib('sequelize', 'db', ['sequelize']),
  lib('typeorm', 'db', ['typeorm', '@nestjs/typeorm']),
  lib('knex', 'db', ['knex']),
  lib('drizzle', 'db', ['drizzle-orm']),

  lib('winston', 'logging', ['winston']),
  lib('pino', 'logging', ['pino', 'pino-http', 'nestjs-pino']),
  lib('bunyan', 'logging', ['bunyan']),
  {
    name: 'console',
    category: 'logging',
    usage: { hint: 'console.', pattern: /\bconsole\.(?:log|info|warn|error|debug)\(/ },
  },

  lib('opentelemetry', 'tracing', ['@opentelemetry/*']),
  lib('opentracing', 'tracing', ['opentracing']),
  lib('jaeger-client', 'tracing', ['jaeger-client']),
  lib('zipkin', 'tracing', ['zipkin', 'zipkin-*']),
  lib('dd-trace', 'tracing', ['dd-trace']),
  lib('newrelic', 'tracing', ['newrelic']),
  lib('elastic-apm', 'tracing', ['elastic-apm-node']),
  lib('sentry', 'tracing', ['@sentry/tracing', '@sentry/node']),
  lib('aws-xray', 'tracing', ['aws-xray-sdk', 'aws-xray-sdk-core']),
];

/** Group 1 is the port. Env var names are limited to the service's own port, so DB_PORT defaults are not taken. */
export const NODE_PORTS: readonly PortPattern[] = [
  { hint: 'listen(', pattern: /\.listen\(\s*(\d{2,5})\b/g, rank: 1 },
  { hint: 'listen(', pattern: /\.listen\(\s*\{[^}]{0,200}?\bport\s*:\s*(\d{2,5})\b/g, rank: 1 },
  {
    hint: 'process.env',
    pattern: /process\.env\.(?:HTTP_|APP_|SERVER_|API_)?PORT\b\s*\)?\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})\b/g,
    rank: 2,
  },
  { hint: 'ort = ', pattern: /\b(?:const|let|var)\s+(?:port|PORT)\s*=\s*['"]?(\d{2,5})\b/g, rank: 3 },
  { hint: 'ort: number', pattern: /\b(?:const|let|var)\s+(?:port|PORT)\s*:\s*number\s*=\s*['"]?(\d{2,5})\b/g, rank: 3 },
];

export const NODE_ENTRY_MARKERS: readonly EntryMarker[] = [
  { kind: 'bootstrap', hint: 'NestFactory', pattern: /\bNestFactory\.create/ },
  { kind: 'listen', hint: 'listen(', pattern: /\.listen\(/ },
  { kind: 'listen', hint: 'createServer(', pattern: /\bcreateServer\(/ },
];

export const NODE_TABLE: LanguageTable = {
  language: 'node',
  importSeparator: '/',
  rules: NODE_RULES,
  ports: NODE_PORTS,
  entryMarkers: NODE_ENTRY_MARKERS,
};

/** Tracing started from a start script or container command. */
export const NODE_AGENTS: readonly CommandAgent[] = [
  { name: 'opentelemetry', pattern: /(?:-r|--require|--import)[= ]+@opentelemetry\// },
  { name: 'dd-trace', pattern: /(?:-r|--require|--import)[= ]+dd-trace/ },
  { name: 'newrelic', pattern: /(?:-r|--require|--import)[= ]+newrelic/ },
  { name: 'elastic-apm', pattern: /(?:-r|--require|--import)[= ]+elastic-apm-node/ },
];
