/**
 * The scan on the corpus of real app shapes (test/fixtures/shapes/): framework, entrypoint, start command, port (a
 * framework's default marked as such) and the GET routes the runtime run would probe, blueprint / router / group
 * prefixes included.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanRepo } from '../../src/repo/scan.js';
import type { Service } from '../../src/types/scan.js';
import { detectGetRoutes } from '../../src/verify/runtime/route-detection.js';
import { readDocs, readServiceSources } from '../../src/verify/runtime/service-sources.js';
import { removeSampleRepo } from '../helpers/sample-repo.js';
import { copyShape, shapeNames } from '../helpers/shapes.js';
import { service } from './util.js';

const copies: string[] = [];
afterEach(async () => {
  await Promise.all(copies.splice(0).map(removeSampleRepo));
});

async function scanShape(name: string): Promise<{ dir: string; s: Service }> {
  const dir = await copyShape(name);
  copies.push(dir);
  return { dir, s: service(await scanRepo(dir)) };
}

async function routesOf(dir: string, s: Service): Promise<string[]> {
  const routes = detectGetRoutes(s, await readServiceSources(dir, s), await readDocs(dir, s));
  return routes.map((r) => r.path).sort();
}

interface Expected {
  /**
   * The service name: what the project says (manifest name, Django project package, served package, cmd/<name>); FOLDER
   * when nothing does (the copy's folder name).
   */
  name: string;
  framework: string;
  entry: string;
  start: string;
  port: number | undefined;
  /** The port is a framework default (no port is written anywhere). */
  defaultPort: boolean;
  routes: string[];
}

const FOLDER = '<the folder name>';

const EXPECTED: Record<string, Expected> = {
  'flask-module': {
    name: FOLDER,
    framework: 'flask',
    entry: 'app.py',
    start: 'flask --app app run',
    port: 5000,
    defaultPort: true,
    routes: ['/', '/todos'],
  },
  'flask-factory': {
    name: 'notebook',
    framework: 'flask',
    entry: 'notebook/__init__.py',
    start: 'flask --app notebook run',
    port: 5000,
    defaultPort: true,
    routes: ['/auth/login', '/auth/register', '/hello'],
  },
  'flask-gunicorn': {
    name: 'shop',
    framework: 'flask',
    entry: 'shop/__init__.py',
    start: 'gunicorn "shop:create_app()"',
    port: 8000,
    defaultPort: true,
    routes: ['/api/v1/products', '/health/live'],
  },
  'fastapi-uvicorn': {
    name: FOLDER, // its package is api, which names nothing
    framework: 'fastapi',
    entry: 'api/main.py',
    start: 'uvicorn api.main:app --reload',
    port: 8000,
    defaultPort: true,
    routes: ['/items/', '/status', '/users/me'],
  },
  'django-runserver': {
    name: 'site_config',
    framework: 'django',
    entry: 'manage.py',
    start: 'python manage.py runserver --noreload',
    port: 8000,
    defaultPort: true,
    routes: ['/', '/polls/'],
  },
  'express-cjs-guard': {
    name: 'bookmarks',
    framework: 'express',
    entry: 'app.js',
    start: 'node app.js',
    port: 3000,
    defaultPort: false,
    routes: ['/', '/bookmarks/', '/bookmarks/latest'],
  },
  'express-bin-www': {
    name: 'library',
    framework: 'express',
    entry: 'bin/www',
    start: 'npm start',
    port: 3000,
    defaultPort: false,
    routes: ['/', '/books/'],
  },
  'express-esm': {
    name: 'weather',
    framework: 'express',
    entry: 'src/index.js',
    start: 'npm start',
    port: 8080,
    defaultPort: false,
    routes: ['/api/forecast/today', '/health'],
  },
  'ts-express-tsx': {
    name: 'ledger',
    framework: 'express',
    entry: 'src/server.ts',
    start: 'npm start',
    port: 4000,
    defaultPort: false,
    routes: ['/accounts/', '/healthz'],
  },
  'oneline-package': {
    name: 'pinger',
    framework: 'express',
    entry: 'server.js',
    start: 'npm start',
    port: 3100,
    defaultPort: false,
    routes: ['/ping'],
  },
  'gin-logger': {
    name: 'quotes',
    framework: 'gin',
    entry: 'main.go',
    start: 'go run .',
    port: 8080,
    defaultPort: true,
    routes: ['/healthz', '/v1/admin/stats', '/v1/quotes'],
  },
  'go-nethttp-cmd': {
    name: 'notesd',
    framework: 'net/http',
    entry: 'cmd/notesd/main.go',
    start: 'go run ./cmd/notesd',
    port: 7070,
    defaultPort: false,
    routes: ['/healthz', '/notes'],
  },
};

describe('scan on real app shapes', () => {
  it('covers every shape in the corpus (a new fixture needs its expectations here)', async () => {
    expect(await shapeNames()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name}: ${want.framework}, ${want.start}, port ${want.port}${want.defaultPort ? ' (default)' : ''}`, async () => {
      const { dir, s } = await scanShape(name);
      expect(s.name).toBe(want.name === FOLDER ? path.basename(dir) : want.name);
      expect(s.frameworks.map((f) => f.name)).toContain(want.framework);
      expect(s.entrypoint?.file).toBe(want.entry);
      expect(s.start?.command).toBe(want.start);
      expect(s.port?.value).toBe(want.port);
      if (want.defaultPort) {
        expect(s.port?.frameworkDefault, 'a default port says it is one').toMatch(new RegExp(String(want.port)));
      } else {
        expect(s.port?.frameworkDefault).toBeUndefined();
      }
      expect(await routesOf(dir, s)).toEqual(want.routes);
    });
  }
});
