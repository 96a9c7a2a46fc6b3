/**
 * The GET routes a service serves, read from its route registrations (Express / Fastify / Koa, Flask / FastAPI /
 * Django, Gin / Echo / net/http, Spring's @GetMapping), each under the prefix of the object it is registered on (blueprint, router, group,
 * include — see route-prefixes.ts). Routes with parameters are only probed when a sample value is evident (a concrete
 * URL in a README that fits the pattern); routes that fail on purpose (/fail, /error...) are marked expectError.
 */
import type { Service } from '../../types/scan.js';
import { joinPath, readPrefixes } from './route-prefixes.js';
import { springGetRoutes } from './spring-routes.js';
import type { SourceFile } from './service-sources.js';

export interface DetectedRoute {
  /** The concrete path to request, e.g. /checkout/widget. */
  path: string;
  /** The registered pattern, e.g. /checkout/:sku. */
  pattern: string;
  /** Where the route is registered. */
  file: string;
  line: number;
  /** The route fails on purpose (its name says so): its spans should carry an error. */
  expectError: boolean;
}

interface Registration {
  pattern: string;
  line: number;
  file: string;
  /** The route object it is registered on (app, router, bp, v1), for its prefix; undefined for a Django urlpatterns list. */
  owner?: string;
}

// Group 1: the object the route is registered on; group 3: the path.
const NODE_PATTERNS = [
  // app.get('/x', ...), router.get("/x"), fastify.get(`/x`)
  /\b([\w$]+)\s*\.\s*get\s*\(\s*(['"`])(\/[^'"`]*)\2/g,
  // app.route('/x').get(...)
  /\b([\w$]+)\s*\.\s*route\s*\(\s*(['"`])(\/[^'"`]*)\2\s*\)\s*\.\s*get\s*\(/g,
];
const PYTHON_PATTERNS = [
  // @app.get("/x"), @router.get("/x"), @bp.get("/x")
  /@(?:[\w]+\.)*(\w+)\.get\(\s*(['"])(\/[^'"]*)\2/g,
];
const GO_PATTERNS = [
  // r.GET("/x", ...), e.GET("/x", ...), group.GET(...)
  /\b(?:[\w]+\.)*(\w+)\.GET\(\s*(")(\/[^"]*)"/g,
  // http.HandleFunc("/x", ...), mux.Handle("GET /x", ...)
  /\b(?:[\w]+\.)*(\w+)\.Handle(?:Func)?\(\s*(")((?:GET\s+)?\/[^"]*)"/g,
];

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function collect(file: SourceFile, patterns: RegExp[]): Registration[] {
  const found: Registration[] = [];
  for (const pattern of patterns) {
    for (const match of file.text.matchAll(new RegExp(pattern.source, pattern.flags))) {
      found.push({
        pattern: (match[3] ?? '').replace(/^GET\s+/, ''),
        line: lineOf(file.text, match.index ?? 0),
        file: file.rel,
        owner: match[1]!,
      });
    }
  }
  return found;
}

/** Flask's @app.route("/x") (GET unless methods= leaves it out). */
function flaskRoutes(file: SourceFile): Registration[] {
  const found: Registration[] = [];
  for (const match of file.text.matchAll(/@(?:\w+\.)*(\w+)\.route\(\s*(['"])(\/[^'"]*)\2([^)]*)\)/g)) {
    const rest = match[4] ?? '';
    if (/methods\s*=/.test(rest) && !/['"]GET['"]/.test(rest)) continue;
    found.push({
      pattern: match[3] ?? '',
      line: lineOf(file.text, match.index ?? 0),
      file: file.rel,
      owner: match[1]!,
    });
  }
  return found;
}

/**
 * Django's path('x/', view) in urls.py (the method is decided by the view; a GET is tried). A path that includes another
 * urls module is a prefix for that module's routes (route-prefixes.ts), not a route itself. Patterns stay relative
 * ('polls/', '') so they join with their include prefix; the leading slash is added at the end.
 */
function djangoRoutes(file: SourceFile): Registration[] {
  if (!/(^|\/)urls\.py$/.test(file.rel)) return [];
  const found: Registration[] = [];
  for (const match of file.text.matchAll(/\b(?:re_)?path\(\s*r?(['"])([^'"]*)\1\s*,\s*(include\()?/g)) {
    const raw = match[2] ?? '';
    if (raw.startsWith('admin') || match[3]) continue;
    found.push({ pattern: raw.replace(/^\^|\$$/g, ''), line: lineOf(file.text, match.index ?? 0), file: file.rel });
  }
  return found;
}

/** A regex matching concrete paths of a pattern with parameters (:id, {id}, <id>, <int:id>), or undefined without parameters. */
function parameterRegex(pattern: string): RegExp | undefined {
  const parts = pattern.split(/(:[A-Za-z_]\w*|\{[^}]+\}|<[^>]+>)/);
  if (parts.length === 1) return undefined;
  const body = parts
    .map((part, i) => (i % 2 === 1 ? '[A-Za-z0-9_.~-]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`(${body})(?=[\\s'"\`?#)]|$)`, 'm');
}

function hasWildcard(pattern: string): boolean {
  return /\*|\(\?|\[/.test(pattern);
}

/** A concrete path for a parameterised pattern found in the docs, e.g. /checkout/widget for /checkout/:sku. */
function sampleFromDocs(pattern: string, docs: readonly string[]): string | undefined {
  const re = parameterRegex(pattern);
  if (!re) return undefined;
  for (const doc of docs) {
    const match = re.exec(doc);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

const FAILING_ROUTE = /(^|\/)(fail|failure|error|errors|boom|crash|panic|raise|throw)(\/|$)/i;

export function detectGetRoutes(
  service: Service,
  sources: readonly SourceFile[],
  docs: readonly string[],
): DetectedRoute[] {
  const registrations: Registration[] = [];
  for (const file of sources) {
    if (service.language === 'node') registrations.push(...collect(file, NODE_PATTERNS));
    if (service.language === 'python')
      registrations.push(...collect(file, PYTHON_PATTERNS), ...flaskRoutes(file), ...djangoRoutes(file));
    if (service.language === 'go') registrations.push(...collect(file, GO_PATTERNS));
    if (service.language === 'java')
      registrations.push(...springGetRoutes(file.text).map((r) => ({ ...r, file: file.rel })));
  }
  const prefixes = readPrefixes(service, sources);
  for (const reg of registrations) {
    const full = joinPath(prefixes.prefixOf(reg.file, reg.owner), reg.pattern);
    reg.pattern = full.startsWith('/') ? full : `/${full}`;
  }
  const routes: DetectedRoute[] = [];
  const seen = new Set<string>();
  for (const reg of registrations) {
    if (hasWildcard(reg.pattern)) continue;
    const concrete = parameterRegex(reg.pattern) ? sampleFromDocs(reg.pattern, docs) : reg.pattern;
    if (concrete === undefined || seen.has(concrete)) continue;
    seen.add(concrete);
    routes.push({
      path: concrete,
      pattern: reg.pattern,
      file: reg.file,
      line: reg.line,
      expectError: FAILING_ROUTE.test(reg.pattern),
    });
  }
  return routes;
}
