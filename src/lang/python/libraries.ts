/**
 * Python: library → finding table. `packages` are PyPI names (normalized: lower-case, '_'/'.' → '-'),
 * `imports` are module paths as written after `import` / `from`.
 *
 * Finding names:
 * - framework: flask, fastapi, django, starlette, aiohttp-server, grpc
 * - http:      requests, httpx, aiohttp, urllib, urllib3
 * - queue:     kafka-python, confluent-kafka, pika, aio-pika, nats-py, celery
 * - db:        psycopg2, psycopg, sqlalchemy, pymongo, redis-py, django-orm, asyncpg, mysqlclient, pymysql
 * - logging:   logging, structlog, loguru
 * - tracing:   opentelemetry, opentracing, jaeger-client, zipkin, ddtrace, newrelic, elastic-apm, sentry
 */
import type { CommandAgent, EntryMarker, LanguageTable, LibraryRule, PortPattern } from '../../repo/detect/types.js';

export const PYTHON_RULES: readonly LibraryRule[] = [
  { name: 'django', category: 'framework', packages: ['django'], imports: ['django'] },
  { name: 'fastapi', category: 'framework', packages: ['fastapi'], imports: ['fastapi'] },
  { name: 'flask', category: 'framework', packages: ['flask'], imports: ['flask'] },
  { name: 'starlette', category: 'framework', imports: ['starlette'] },
  { name: 'grpc', category: 'framework', packages: ['grpcio'], imports: ['grpc'] },

  { name: 'requests', category: 'http', packages: ['requests'], imports: ['requests'] },
  { name: 'httpx', category: 'http', packages: ['httpx'], imports: ['httpx'] },
  { name: 'aiohttp', category: 'http', packages: ['aiohttp'], imports: ['aiohttp'] },
  { name: 'urllib', category: 'http', imports: ['urllib.request'] },
  { name: 'urllib3', category: 'http', packages: ['urllib3'], imports: ['urllib3'] },

  { name: 'kafka-python', category: 'queue', packages: ['kafka-python', 'kafka-python-ng'], imports: ['kafka'] },
  { name: 'confluent-kafka', category: 'queue', packages: ['confluent-kafka'], imports: ['confluent_kafka'] },
  { name: 'pika', category: 'queue', packages: ['pika'], imports: ['pika'] },
  { name: 'aio-pika', category: 'queue', packages: ['aio-pika'], imports: ['aio_pika'] },
  { name: 'nats-py', category: 'queue', packages: ['nats-py'], imports: ['nats'] },
  { name: 'celery', category: 'queue', packages: ['celery'], imports: ['celery'] },

  { name: 'psycopg2', category: 'db', packages: ['psycopg2', 'psycopg2-binary'], imports: ['psycopg2'] },
  { name: 'psycopg', category: 'db', packages: ['psycopg', 'psycopg-binary'], imports: ['psycopg'] },
  { name: 'asyncpg', category: 'db', packages: ['asyncpg'], imports: ['asyncpg'] },
  {
    name: 'sqlalchemy',
    category: 'db',
    packages: ['sqlalchemy', 'flask-sqlalchemy'],
    imports: ['sqlalchemy', 'flask_sqlalchemy'],
  },
  { name: 'pymongo', category: 'db', packages: ['pymongo', 'motor'], imports: ['pymongo', 'motor'] },
  { name: 'redis-py', category: 'db', packages: ['redis'], imports: ['redis'] },
  { name: 'mysqlclient', category: 'db', packages: ['mysqlclient'], imports: ['MySQLdb'] },
  { name: 'pymysql', category: 'db', packages: ['pymysql'], imports: ['pymysql'] },
  { name: 'django-orm', category: 'db', imports: ['django.db'] },

  { name: 'logging', category: 'logging', imports: ['logging'] },
  { name: 'structlog', category: 'logging', packages: ['structlog'], imports: ['structlog'] },
  { name: 'loguru', category: 'logging', packages: ['loguru'], imports: ['loguru'] },

  { name: 'opentelemetry', category: 'tracing', packages: ['opentelemetry-*'], imports: ['opentelemetry'] },
  { name: 'opentracing', category: 'tracing', packages: ['opentracing'], imports: ['opentracing'] },
  { name: 'jaeger-client', category: 'tracing', packages: ['jaeger-client'], imports: ['jaeger_client'] },
  { name: 'zipkin', category: 'tracing', packages: ['py-zipkin', 'aiozipkin'], imports: ['py_zipkin', 'aiozipkin'] },
  { name: 'ddtrace', category: 'tracing', packages: ['ddtrace'], imports: ['ddtrace'] },
  { name: 'newrelic', category: 'tracing', packages: ['newrelic'], imports: ['newrelic'] },
  { name: 'elastic-apm', category: 'tracing', packages: ['elastic-apm'], imports: ['elasticapm'] },
  { name: 'sentry', category: 'tracing', packages: ['sentry-sdk'], imports: ['sentry_sdk'] },
];

export const PYTHON_PORTS: readonly PortPattern[] = [
  { hint: '.run(', pattern: /\.run\([^)]{0,300}?\bport\s*=\s*(\d{2,5})\b/g, rank: 1 },
  {
    hint: 'PORT',
    pattern: /(?:environ\.get|getenv)\(\s*['"](?:HTTP_|APP_|SERVER_)?PORT['"]\s*,\s*['"]?(\d{2,5})\b/g,
    rank: 2,
  },
  { hint: 'PORT', pattern: /^PORT\s*=\s*(\d{2,5})\b/gm, rank: 3 },
];

export const PYTHON_ENTRY_MARKERS: readonly EntryMarker[] = [
  { kind: 'main', hint: '__main__', pattern: /^if\s+__name__\s*==\s*['"]__main__['"]/m },
  { kind: 'app', hint: 'Flask(', pattern: /^[ \t]*\w+[ \t]*=[ \t]*Flask\(/m },
  { kind: 'app', hint: 'FastAPI(', pattern: /^[ \t]*\w+[ \t]*=[ \t]*FastAPI\(/m },
  { kind: 'django', hint: 'execute_from_command_line', pattern: /\bexecute_from_command_line\(/ },
  // An app factory: a top-level function whose body builds the app object (def create_app(): app = Flask(__name__)).
  {
    kind: 'factory',
    hint: 'def ',
    pattern:
      /^(?:async[ \t]+)?def[ \t]+\w+[ \t]*\([^)]*\)[^:\n]*:[ \t]*(?:#[^\n]*)?(?:\n(?:[ \t][^\n]*)?)*?\n[ \t]+\w+[ \t]*=[ \t]*(?:Flask|FastAPI)\(/m,
  },
  // A server started from code (app.run(...), uvicorn.run(app, ...)): without a port= it listens on the default.
  { kind: 'run-call', hint: '.run(', pattern: /\b\w+\.run\([^\n]*/ },
];

export const PYTHON_TABLE: LanguageTable = {
  language: 'python',
  importSeparator: '.',
  rules: PYTHON_RULES,
  ports: PYTHON_PORTS,
  entryMarkers: PYTHON_ENTRY_MARKERS,
};

export const PYTHON_AGENTS: readonly CommandAgent[] = [
  { name: 'opentelemetry', pattern: /\bopentelemetry-instrument\b/ },
  { name: 'ddtrace', pattern: /\bddtrace-run\b/ },
  { name: 'newrelic', pattern: /\bnewrelic-admin\s+run-program\b/ },
];
