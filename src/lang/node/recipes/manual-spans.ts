/**
 * Step 3 for Node services: a small generated `withSpan(name, attributes, fn)` module (startActiveSpan, try/finally
 * span.end(), recordException + ERROR status) and a few exact edits that run the business part of async route handlers
 * (Express, Fastify, Koa routers: `x.get('/path', async (req, res) => { … })`) inside a span named after the route, with
 * route parameters and the chosen business attributes. Handlers that cannot be delimited with confidence, NestJS
 * controllers and database clients without instrumentation get notes with the snippet instead.
 */
import path from 'node:path';
import type { Service } from '../../../types/scan.js';
import { answer, inService, type PlanContext } from '../../../plan/context.js';
import { createFile, editFile, note, serviceHeads } from '../../../plan/proposal-builders.js';
import type { EditPair, Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { blockAt } from './js-block.js';
import { jsStringBody, otherTracers } from './service-files.js';

const STEP = 'manual-spans' as const;
const MAX_SPANS = 3;
const ROUTE =
  /^([ \t]*)([A-Za-z_$][\w$]*)\.(get|post|put|patch|delete)\(\s*(['"])(\/[^'"\n]*)\4\s*,\s*async\s*(?:\(([^)]*)\)|([A-Za-z_$][\w$]*))\s*=>\s*\{/gm;
const SKIP_PATHS = /^\/(?:health|healthz|ready|readyz|live|livez|metrics|ping|status|version)\b/;
const UNINSTRUMENTED_DB: Record<string, string> = {
  prisma:
    'Add @prisma/instrumentation (PrismaInstrumentation) to the instrumentations in the set-up file and enable the tracing preview feature if your Prisma version needs it.',
  drizzle:
    'Drizzle runs on a driver (pg, mysql2, better-sqlite3); pg and mysql2 are instrumented, so its queries are covered when it uses them.',
};

interface Helper {
  path: string;
  template: string;
}

function helperFor(service: Service): Helper {
  if (service.typescript) {
    const entry = service.entrypoint?.file;
    const dir = entry && /\.[cm]?tsx?$/.test(entry) ? path.posix.dirname(entry) : inService(service, 'src');
    return { path: dir === '.' ? 'with-span.ts' : `${dir}/with-span.ts`, template: 'node/with-span.ts' };
  }
  const esm = service.moduleSystem === 'esm';
  return {
    path: inService(service, esm ? 'with-span.mjs' : 'with-span.cjs'),
    template: esm ? 'node/with-span.mjs' : 'node/with-span.cjs',
  };
}

function importSpecifier(fromFile: string, helper: Helper, service: Service): string {
  let rel = path.posix.relative(path.posix.dirname(fromFile), helper.path);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  if (helper.path.endsWith('.ts')) rel = rel.replace(/\.ts$/, service.moduleSystem === 'esm' ? '.js' : '');
  return rel;
}

function isEsmFile(file: string, service: Service): boolean {
  if (/\.m[jt]s$/.test(file)) return true;
  if (/\.c[jt]s$/.test(file)) return false;
  return service.moduleSystem === 'esm' || (service.typescript === true && /\.tsx?$/.test(file));
}

/** The edit that adds the helper's import after the file's last top-of-file import/require, if it can be placed exactly. */
function importEdit(text: string, line: string): EditPair | undefined {
  const lines = text.split('\n');
  let anchor = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (
      /^(?:const|let|var)\s+[^=]+=\s*require\(\s*['"][^'"]+['"]\s*\)[^\n]*;?\s*$/.test(l) ||
      /^import\s[^\n]*from\s+['"][^'"]+['"];?\s*$/.test(l) ||
      /^import\s+['"][^'"]+['"];?\s*$/.test(l)
    )
      anchor = i;
    else if (/^(?:app|router|server|fastify)\b|^(?:async\s+)?function\b|^class\b/.test(l)) break;
  }
  if (anchor === -1) return undefined;
  const old = `${lines[anchor]}\n`;
  if (text.split(old).length !== 2) return undefined;
  return { old, new: `${old}${line}\n` };
}

function spanName(routePath: string): string {
  const parts = routePath.split('/').filter((p) => p && !p.startsWith(':') && !p.startsWith('{') && !p.includes('*'));
  return parts.join('.') || 'root';
}

interface Wrap {
  file: string;
  route: string;
  name: string;
  pair: EditPair;
}

function reindent(body: string, by: string): string {
  return body
    .split('\n')
    .map((l) => (l.trim() === '' ? l : by + l))
    .join('\n');
}

/** Business attributes whose last segment names a route parameter (app.order.id ↔ :id), else app.<span>.<param>. */
function attributesFor(routePath: string, name: string, reqVar: string, business: string[], ts: boolean): string {
  const params = [...routePath.matchAll(/:([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!);
  const entries = params.map((p) => {
    const key =
      business.find((b) =>
        [b.split('.').slice(-1).join(''), b.split('.').slice(-2).join('')].some(
          (k) => k.toLowerCase() === p.toLowerCase(),
        ),
      ) ?? `app.${name}.${p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
    const value = ts ? `String((${reqVar}.params as Record<string, unknown>)['${p}'])` : `${reqVar}.params.${p}`;
    return `'${jsStringBody(key)}': ${value}`;
  });
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

/** Plans the wrap of one route handler, or says why it cannot be done safely. */
function wrapHandler(
  text: string,
  match: RegExpExecArray,
  file: string,
  name: string,
  business: string[],
  ts: boolean,
): { wrap?: Wrap; reason?: string } {
  const [head, indent = '', , method, , routePath = '', paramList, single] = match;
  const route = `${method!.toUpperCase()} ${routePath}`;
  const open = match.index + head.length - 1;
  const block = blockAt(text, open);
  if (!block) return { reason: `${file}: the handler of ${route} could not be delimited safely` };
  const tail = /^\s*\)\s*;?/.exec(text.slice(block.end));
  if (!tail) return { reason: `${file}: ${route} has more arguments after its handler` };
  const body = text.slice(open + 1, block.end - 1);
  if (/\bwithSpan\s*\(|\bstartActiveSpan\s*\(|\bstartSpan\s*\(/.test(body)) return {};
  const reqVar =
    (single ?? paramList ?? '')
      .split(',')[0]
      ?.replace(/[:=].*$/, '')
      .trim() || 'req';
  const attrs = attributesFor(routePath, name, reqVar, business, ts);
  const inner = `${indent}  `;
  const call = (ret: string, content: string, ind: string) =>
    `\n${ind}${ret} withSpan('${jsStringBody(name)}', ${attrs}, async () => {${reindent(content, '  ')}${ind}});\n`;
  let newBody = call('return', body.replace(/\s+$/, '\n'), inner) + indent;
  // `…; try { work } catch (err) { next(err) }` at the end of the handler: the span covers the work and sees its error
  // before the catch does.
  for (const t of body.matchAll(/(^|\n)[ \t]*try\s*\{/g)) {
    const tryOpen = t.index + t[0].length - 1;
    const tryBlock = blockAt(body, tryOpen);
    if (!tryBlock) break;
    const afterTry = body.slice(tryBlock.end);
    const catchHead = /^\s*catch\s*(?:\([^)]*\))?\s*\{/.exec(afterTry);
    const catchBlock = catchHead ? blockAt(afterTry, catchHead[0].length - 1) : undefined;
    if (!catchBlock || afterTry.slice(catchBlock.end).trim() !== '') continue;
    const tryIndent = /[ \t]*$/.exec(body.slice(0, tryOpen).replace(/try\s*$/, ''))?.[0] ?? inner;
    const tryBody = body.slice(tryOpen + 1, tryBlock.end - 1);
    newBody = `${body.slice(0, tryOpen + 1)}${call('return await', tryBody.replace(/\s+$/, '\n'), `${tryIndent}  `)}${tryIndent}}${afterTry}`;
    break;
  }
  const old = text.slice(match.index, block.end);
  if (text.split(old).length !== 2) return { reason: `${file}: the handler of ${route} occurs more than once` };
  return { wrap: { file, route, name, pair: { old, new: `${text.slice(match.index, open + 1)}${newBody}}` } } };
}

async function planService(ctx: PlanContext, service: Service): Promise<Proposal[]> {
  if (otherTracers(service).length > 0) return [];
  const head = serviceHeads(STEP, service);
  const businessRaw = answer(ctx, 'business-attributes');
  const business =
    typeof businessRaw === 'string'
      ? businessRaw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  const helper = helperFor(service);
  const helperExists = await ctx.repo.exists(helper.path);
  const out: Proposal[] = [];
  const helperId = `${service.id}:with-span-helper`;

  const files = [
    ...new Set([
      ...(service.entrypoint ? [service.entrypoint.file] : []),
      ...service.frameworks.map((f) => f.evidence.file),
    ]),
  ].filter((f) => /\.[cm]?[jt]s$/.test(f) && !/\.d\.ts$/.test(f));
  const wrapsByFile = new Map<string, { text: string; wraps: Wrap[] }>();
  const problems: string[] = [];
  const usedNames = new Set<string>();
  let budget = MAX_SPANS;
  const isNest = service.frameworks.some((f) => f.name === 'nestjs');
  if (!isNest) {
    for (const file of files) {
      const text = await ctx.repo.read(file);
      if (!text || text.includes('(generated by trace-guide)')) continue;
      const ts = /\.[cm]?ts$/.test(file);
      for (const match of text.matchAll(ROUTE)) {
        if (budget === 0) break;
        const routePath = match[5] ?? '';
        if (SKIP_PATHS.test(routePath)) continue;
        let name = spanName(routePath);
        if (usedNames.has(name)) name = `${name}.${match[3]}`;
        const result = wrapHandler(text, match, file, name, business, ts);
        if (result.reason) problems.push(result.reason);
        if (!result.wrap) continue;
        usedNames.add(name);
        budget--;
        const entry = wrapsByFile.get(file) ?? { text, wraps: [] };
        entry.wraps.push(result.wrap);
        wrapsByFile.set(file, entry);
      }
    }
  }

  const needsHelper = wrapsByFile.size > 0 || isNest || problems.length > 0;
  if (needsHelper && !helperExists) {
    out.push(
      createFile(
        head(
          'with-span-helper',
          `Create ${helper.path}: withSpan() for business operations`,
          'One helper that always ends spans and records errors, so each wrapped operation is three lines.',
        ),
        helper.path,
        await ctx.templates.render(helper.template, { serviceName: jsStringBody(service.name) }),
      ),
    );
  }
  for (const [file, { text, wraps }] of wrapsByFile) {
    const esm = isEsmFile(file, service);
    const spec = importSpecifier(file, helper, service);
    const edits: EditPair[] = [];
    if (!/\bwithSpan\b/.test(text)) {
      const line = esm ? `import { withSpan } from '${spec}';` : `const { withSpan } = require('${spec}');`;
      const imp = importEdit(text, line);
      if (!imp) {
        problems.push(`${file}: no import/require line to add \`${line}\` after`);
        continue;
      }
      edits.push(imp);
    }
    edits.push(...wraps.map((w) => w.pair));
    out.push(
      editFile(
        head(
          `spans-${file.replace(/[^\w]+/g, '-')}`,
          `Spans for ${wraps.map((w) => `${w.route} ("${w.name}")`).join(', ')}`,
          'Business operations become child spans of the request, with route parameters as attributes and errors recorded.',
          !helperExists ? [helperId] : [],
        ),
        file,
        edits,
      ),
    );
  }
  if (isNest || problems.length > 0) {
    out.push(
      note(
        head(
          'spans-by-hand',
          `Add business spans in ${service.name} by hand`,
          'These places could not be edited with confidence.',
        ),
        (
          await ctx.templates.render('node/notes/manual-spans-by-hand.txt', {
            serviceName: service.name,
            reason: isNest
              ? 'NestJS controllers are classes with decorators; trace-guide does not rewrite their methods.'
              : 'some route handlers could not be edited safely.',
            helper: helper.path,
            nest: isNest,
            places: isNest
              ? service.frameworks.map((f) => `${f.evidence.file}:${f.evidence.line}`).join(', ')
              : problems.join('; '),
            attributes: business.join(', '),
          })
        ).trimEnd(),
      ),
    );
  }
  const uncovered = [...new Set(service.dbClients.map((d) => d.name).filter((n) => n in UNINSTRUMENTED_DB))];
  if (uncovered.length > 0) {
    out.push(
      note(
        head(
          'db-spans',
          `Database spans for ${uncovered.join(', ')} in ${service.name}`,
          'Queries without spans hide where request time goes.',
        ),
        (
          await ctx.templates.render('node/notes/db-not-instrumented.txt', {
            serviceName: service.name,
            clients: uncovered.join(', '),
            advice: uncovered.map((n) => UNINSTRUMENTED_DB[n]).join(' '),
          })
        ).trimEnd(),
      ),
    );
  }
  return out;
}

export const nodeManualSpans: Recipe = {
  id: 'node-manual-spans',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => service.language === 'node',
  plan: planService,
  whyNothing: whyNothingFor,
};

/** What the recipe looked for in a service it proposed nothing for: said to the user instead of a bare "no change". */
async function whyNothingFor(ctx: PlanContext, service: Service): Promise<string> {
  const tracers = otherTracers(service);
  if (tracers.length > 0)
    return `${service.name} already traces with ${tracers.join(', ')}, so no OpenTelemetry span was proposed`;
  const files = [
    ...new Set([
      ...(service.entrypoint ? [service.entrypoint.file] : []),
      ...service.frameworks.map((f) => f.evidence.file),
    ]),
  ].filter((f) => /\.[cm]?[jt]s$/.test(f));
  let routes = 0;
  for (const file of files) {
    const text = await ctx.repo.read(file);
    if (text) routes += [...text.matchAll(ROUTE)].filter((m) => !SKIP_PATHS.test(m[5] ?? '')).length;
  }
  return routes === 0
    ? `no business operation found in the routes of ${service.name}: no app.get/post/put/patch/delete handler with an inline async function in ${files.join(', ') || 'its entry file'} (routes in routers or other files are not rewritten)`
    : `the ${routes} route handler(s) found in ${files.join(', ')} already have spans`;
}
