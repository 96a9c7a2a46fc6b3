/**
 * Which Python functions of a service deserve a business span, read from its code (step 3 reference: "a business step
 * a person would name; an external call or query the auto-instrumentation does not cover"; not getters, not every
 * function):
 * - a route handler (a `@x.route/get/post/…` function, or a view a URL table names) that does work: it queries a database or calls a client, calls a
 *   function the application defines itself, or — on a state-changing route — changes state;
 * - a function of the application, called from a handler, that queries a database or calls a client itself;
 * - a top-level function named like a business step (charge, pay, checkout, refund, reserve, fulfil, submit…).
 * A handler whose only work is calling such a function is covered by that function's span. Handlers that only answer
 * with a literal or a lookup are trivial and get no span.
 */
import { pythonFunctions, type PyFunction } from './python-source.js';
import type { PySource } from './python-sources.js';

/** A route parameter the handler receives, to carry as an attribute: `raw` when its value is already an int or float. */
export interface RouteParam {
  name: string;
  raw: boolean;
}

export interface SpanTarget {
  file: string;
  fn: PyFunction;
  routeParams: RouteParam[];
  /** Why it gets a span, for the proposal's text. */
  reason: string;
}

export interface SpanSearch {
  targets: SpanTarget[];
  /** Route handlers read, for saying why nothing was proposed. */
  handlers: number;
  files: number;
}

/** Views named in a URL table: Django `path("x/", views.detail)`, Flask `add_url_rule(…, view_func=detail)`. */
const ROUTE_REFERENCE =
  /\b(?:re_)?path\(\s*[rRuU]?["'][^"'\n]*["']\s*,\s*(?:\w+\.)*(\w+)\s*[,)]|\bview_func\s*=\s*(?:\w+\.)*(\w+)/g;
const ROUTE_DECORATOR = /^@\w+(?:\.\w+)*\.(?:route|get|post|put|patch|delete|api_route)\(/;
const WRITE_ROUTE =
  /^@\w+(?:\.\w+)*\.(?:post|put|patch|delete)\(|^@\w+(?:\.\w+)*\.(?:route|api_route)\([^\n]*methods\s*=\s*[[(][^\])]*["'](?:POST|PUT|PATCH|DELETE)["']/i;
const BUSINESS_NAME = /(?:^|_)(?:charge|pay|payment|checkout|refund|reserve|fulfil|fulfill|place_order|submit)/;
/** A database query or a client call: DB-API cursors and connections, ORMs, HTTP clients, caches, message producers. */
const CLIENT_CALL =
  /\.(?:execute|executemany|executescript|fetchone|fetchall|fetchmany|commit|rollback|scalars|scalar_one|query)\(|\.objects\.\w+\(|(?<![\w.])(?:requests|httpx|aiohttp|urllib\.request)\.\w+|(?<![\w.])urlopen\(|(?<![\w.])\w*(?:session|client|http|conn|cursor|redis|cache|producer|channel|bucket|table)\w*\.(?:get|post|put|patch|delete|request|send|publish|basic_publish|produce|set|hget|hset|lpush|rpush|put_item|get_item|upload_file)\(/i;
/** A change of the application's state (on a state-changing route). */
const STATE_CHANGE =
  /\.(?:append|appendleft|extend|insert|update|add|pop|popleft|remove|discard|clear|save|delete|create|bulk_create)\(|^[ \t]*[\w.]+\[[^\]\n]+\][ \t]*=(?!=)|^[ \t]*(?:del|global)[ \t]/m;

interface Def {
  file: string;
  fn: PyFunction;
  body: string;
  handler: boolean;
}

/** Names the file imports: `from m import a, b as c` → a, c (called bare); `import m`, `from . import m` → m (called as m.x). */
function importedNames(text: string): { bare: Set<string>; modules: Set<string> } {
  const bare = new Set<string>();
  const modules = new Set<string>();
  for (const m of text.matchAll(/^from[ \t]+([\w.]+)[ \t]+import[ \t]+\(?([^)\n]+(?:\n[^)\n]+)*)\)?/gm)) {
    for (const part of m[2]!.split(',')) {
      const name = /^\s*(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(part.replace(/#.*/, ''));
      if (!name) continue;
      // `from . import db` imports a module; `from .db import get_db` a name. Either may be called; keep both readings.
      bare.add(name[2] ?? name[1]!);
      modules.add(name[2] ?? name[1]!);
    }
  }
  for (const m of text.matchAll(/^import[ \t]+([\w., \t]+)$/gm)) {
    for (const part of m[1]!.split(',')) {
      const name = /^\s*([\w.]+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
      if (name) modules.add(name[2] ?? name[1]!.split('.')[0]!);
    }
  }
  return { bare, modules };
}

/** The application functions `body` (in `file`) calls, by the names the file can reach them under. */
function calledOwn(body: string, file: string, text: string, own: readonly Def[]): Def[] {
  const { bare, modules } = importedNames(text);
  return own.filter((d) => {
    const name = d.fn.name;
    if ((d.file === file || bare.has(name)) && new RegExp(`(?<![\\w.])${name}\\s*\\(`).test(body)) return true;
    return [...modules].some((m) => new RegExp(`(?<![\\w.])${m.replace(/\./g, '\\.')}\\.${name}\\s*\\(`).test(body));
  });
}

/**
 * The parameters of a decorated route's path the handler takes: Flask `<int:id>` / `<name>`, FastAPI `{name}`. Flask's
 * int and float converters give numbers; anything else (strings, UUIDs, paths, FastAPI's typed values) is carried as str.
 */
export function routeParams(fn: PyFunction): RouteParam[] {
  const route = fn.decorators
    .map((d) => (ROUTE_DECORATOR.test(d) ? /\(\s*[rRuU]?["']([^"'\n]*)["']/.exec(d)?.[1] : undefined))
    .find((r) => r !== undefined);
  if (!route) return [];
  const out: RouteParam[] = [];
  for (const m of route.matchAll(/<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>|\{(\w+)(?::[^}]*)?\}/g)) {
    const name = (m[2] ?? m[3])!;
    if (fn.params.includes(name) && !out.some((p) => p.name === name))
      out.push({ name, raw: m[1] === 'int' || m[1] === 'float' });
  }
  return out;
}

export function findSpanTargets(sources: readonly PySource[]): SpanSearch {
  const referenced = new Set(sources.flatMap((s) => [...s.text.matchAll(ROUTE_REFERENCE)].map((m) => (m[1] ?? m[2])!)));
  const defs: Def[] = sources.flatMap((s) =>
    pythonFunctions(s.text).map((fn) => ({
      file: s.path,
      fn,
      body: s.text.slice(fn.bodyStart, fn.bodyEnd),
      handler: fn.decorators.some((d) => ROUTE_DECORATOR.test(d)) || (fn.indent === '' && referenced.has(fn.name)),
    })),
  );
  const own = defs.filter((d) => !d.handler && d.fn.indent === '' && !d.fn.name.startsWith('__'));
  const handlers = defs.filter((d) => d.handler);
  const textOf = (file: string) => sources.find((s) => s.path === file)!.text;
  const chosen = new Map<Def, string>();

  for (const d of own) if (BUSINESS_NAME.test(d.fn.name)) chosen.set(d, 'a business step by its name');
  for (const h of handlers) {
    for (const callee of calledOwn(h.body, h.file, textOf(h.file), own)) {
      if (!chosen.has(callee) && CLIENT_CALL.test(callee.body))
        chosen.set(callee, `called from the ${h.fn.name} handler, it queries a database or calls a client`);
    }
  }
  for (const h of handlers) {
    const write = h.fn.decorators.some((d) => WRITE_ROUTE.test(d));
    const uncovered = calledOwn(h.body, h.file, textOf(h.file), own).filter((c) => !chosen.has(c) && c !== h);
    if (BUSINESS_NAME.test(h.fn.name) && h.fn.indent === '') chosen.set(h, 'a business step by its name');
    else if (CLIENT_CALL.test(h.body)) chosen.set(h, 'the handler queries a database or calls a client');
    else if (uncovered.length > 0)
      chosen.set(h, `the handler's work calls ${uncovered.map((c) => c.fn.name).join(', ')}`);
    else if (write && STATE_CHANGE.test(h.body)) chosen.set(h, 'the handler of a state-changing route changes state');
  }
  const targets = defs
    .filter((d) => chosen.has(d))
    .map((d) => ({ file: d.file, fn: d.fn, routeParams: routeParams(d.fn), reason: chosen.get(d)! }));
  return { targets, handlers: handlers.length, files: sources.length };
}
