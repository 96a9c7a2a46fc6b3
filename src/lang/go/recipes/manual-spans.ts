/**
 * Step 3 for Go services: a few INTERNAL business spans in the HTTP handlers that matter — those of state-changing
 * routes (POST/PUT/PATCH/DELETE) and those calling a database or another service — started from the request's
 * context, ended by `defer`, with errors recorded and the span's context handed on (database/sql calls get their
 * Context form). A package-level `tracer` comes from a small generated file. Handlers that cannot be edited with
 * confidence and database clients without instrumentation get notes with the snippet.
 */
import path from 'node:path';
import type { Service } from '../../../types/scan.js';
import { createFile, editFile, note, serviceHeads } from '../../../plan/proposal-builders.js';
import { answer, type PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { hasOtelSetup, otherTracers } from './existing-tracing.js';
import { GoEditSet } from './go-file-edit.js';
import { goGetProposal, missingPins } from './go-get.js';
import { findHandlers, type GoHandler } from './go-handlers.js';
import { importedPaths } from './go-imports.js';
import { goModOf, goSources, samePackage, type GoSource } from './go-sources.js';
import { lineNumber } from './go-syntax.js';
import { instrumentBody, type StructField } from './handler-span.js';
import { MODULES, otelReleaseFor } from './otel-releases.js';

const STEP = 'manual-spans' as const;
const MAX_SPANS = 4;
const TRACER_FILE = 'otel_tracer.go';
const SKIP_ROUTES = /^(?:[A-Z]+ )?\/(?:health|healthz|ready|readyz|live|livez|metrics|ping|status|version)\b/;
/** Calls that make a handler worth a span even on a GET: database queries, outbound HTTP, message producers. */
const CLIENT_CALL =
  /\.(?:Query|QueryRow|Exec|QueryContext|QueryRowContext|ExecContext|Do|WriteMessages|SendMessage|Publish|PublishWithContext)\(|\bhttp\.(?:Get|Post|Head|PostForm)\(|\.(?:Find|First|Create|Save|Updates)\(&/;
const SQL_RECEIVER = [/\b(\w+)\s+\*sql\.(?:DB|Tx|Conn|Stmt)\b/g, /\b(\w+)(?:\s*,\s*\w+)?\s*:?=\s*sql\.Open(?:DB)?\(/g];

/** The business attribute keys the user listed (e.g. app.order.id). */
export function businessAttributes(ctx: PlanContext): string[] {
  const raw = answer(ctx, 'business-attributes');
  if (typeof raw !== 'string') return [];
  return raw
    .split(',')
    .map((a) => a.trim())
    .filter((a) => /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$/.test(a));
}

/** A low-cardinality span name: the handler function's name, else the route's fixed segments (POST /orders/:id/cancel → orders.cancel). */
export function spanNameFor(handler: Pick<GoHandler, 'funcName' | 'route'>): string {
  if (handler.funcName) return handler.funcName;
  const [method, pattern = ''] = handler.route.includes(' ') ? handler.route.split(' ', 2) : ['', handler.route];
  const parts = pattern.split('/').filter((p) => p && !/^[:*{]/.test(p));
  return parts.join('.') || (method ?? '').toLowerCase() || 'handler';
}

function structFieldsIn(sources: readonly GoSource[]): (typeName: string) => StructField[] | undefined {
  return (typeName) => {
    for (const s of sources) {
      const m = new RegExp(`^type\\s+${typeName}\\s+struct\\s*\\{\\n([\\s\\S]*?)^\\}`, 'm').exec(s.text);
      if (!m) continue;
      const fields: StructField[] = [];
      for (const line of m[1]!.split('\n')) {
        const f = /^\s*([A-Z]\w*(?:\s*,\s*[A-Z]\w*)*)\s+([\w.*[\]]+)/.exec(line);
        if (f) for (const name of f[1]!.split(',')) fields.push({ name: name.trim(), type: f[2]! });
      }
      return fields;
    }
    return undefined;
  };
}

function sqlReceiversIn(sources: readonly GoSource[]): Set<string> {
  const out = new Set<string>();
  for (const s of sources) for (const re of SQL_RECEIVER) for (const m of s.text.matchAll(re)) out.add(m[1]!);
  return out;
}

function packageName(text: string): string | undefined {
  return /^package\s+(\w+)/m.exec(text)?.[1];
}

/** database/sql calls without a context, on known *sql receivers, as `file:line` lines. */
export function callsWithoutContext(
  files: ReadonlyArray<{ path: string; text: string }>,
  receivers: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  for (const f of files)
    for (const m of f.text.matchAll(/\b(\w+)\.(Query|QueryRow|Exec|Prepare|Begin)\(/g))
      if (receivers.has(m[1]!))
        out.push(
          `- ${f.path}:${lineNumber(f.text, m.index)} ${m[1]}.${m[2]}(…) → ${m[2] === 'Begin' ? 'BeginTx(ctx, nil)' : `${m[2]}Context(ctx, …)`}`,
        );
  return out;
}

const DB_INSTRUMENTED: Record<string, RegExp> = {
  'database/sql': /"github\.com\/XSAM\/otelsql"|"github\.com\/uptrace\/opentelemetry-go-extra\/otelsql"/,
  sqlx: /otelsql"|otelsqlx"/,
  pgx: /"github\.com\/exaring\/otelpgx"|\.Tracer\s*=/,
  gorm: /"gorm\.io\/plugin\/opentelemetry\/tracing"|otelgorm"/,
  'go-redis': /redisotel/,
  'mongo-driver': /otelmongo"/,
};

export const goManualSpans: Recipe = {
  id: 'go-manual-spans',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => service.language === 'go',
  whyNothing: whyNothingFor,
  async plan(ctx: PlanContext, service: Service): Promise<Proposal[]> {
    const head = serviceHeads(STEP, service);
    const sources = await goSources(ctx, service);
    if (!hasOtelSetup(sources) || otherTracers(service).length > 0) return []; // step 2 first
    const business = businessAttributes(ctx);
    const problems: string[] = [];
    const { handlers, unresolved } = findHandlers(sources);
    const text = (file: string) => sources.find((s) => s.path === file)!.text;
    const chosen = handlers
      .filter((h) => !SKIP_ROUTES.test(h.route))
      .filter((h) => h.mutating || CLIENT_CALL.test(text(h.file).slice(h.open, h.close)))
      .slice(0, MAX_SPANS);
    for (const u of unresolved.filter(
      (u) => /^(?:POST|PUT|PATCH|DELETE) /.test(u.route) && !SKIP_ROUTES.test(u.route),
    )) {
      problems.push(
        `- ${u.file}:${u.line} ${u.route}: the handler \`${u.expression}\` is not a function this service declares`,
      );
    }

    const edits = new GoEditSet();
    const instrumentedDirs = new Map<string, GoSource>();
    const usedNames = new Set<string>();
    const describe = new Map<string, string[]>();
    for (const handler of chosen) {
      const source = sources.find((s) => s.path === handler.file)!;
      const body = source.text.slice(handler.open + 1, handler.close);
      if (/\b\w*[tT]racer\.Start\(|\bspan\.End\(\)/.test(body)) continue; // already has its span
      const imports = importedPaths(source.text);
      if (imports.has('runtime/trace') || imports.has('google.golang.org/grpc/codes')) {
        problems.push(
          `- ${handler.file}:${handler.line} ${handler.route}: the file imports another package named trace or codes`,
        );
        continue;
      }
      const pkg = samePackage(sources, source.path);
      let spanName = spanNameFor(handler);
      if (usedNames.has(spanName)) spanName = `${spanName}.${handler.route.split(' ')[0]!.toLowerCase()}`;
      const result = instrumentBody(body, handler, {
        spanName,
        business,
        structFields: structFieldsIn(pkg),
        sqlReceivers: sqlReceiversIn(pkg),
      });
      if ('reason' in result) {
        problems.push(`- ${handler.file}:${handler.line} ${handler.route}: ${result.reason}`);
        continue;
      }
      const edit = edits.for(source);
      const old = source.text.slice(handler.open, handler.close + 1);
      if (!edit.replace(old, `{${result.body}}`)) {
        problems.push(`- ${handler.file}:${handler.line} ${handler.route}: its body occurs more than once in the file`);
        continue;
      }
      edit.need({ path: MODULES.trace });
      if (result.usesCodes) edit.need({ path: 'go.opentelemetry.io/otel/codes' });
      if (result.usesAttribute) edit.need({ path: 'go.opentelemetry.io/otel/attribute' });
      usedNames.add(spanName);
      instrumentedDirs.set(path.posix.dirname(source.path), source);
      const what = [`span "${spanName}" in ${handler.route}`];
      if (result.attributes.length) what.push(`attributes ${result.attributes.join(', ')}`);
      if (result.errorsRecorded) what.push(`${result.errorsRecorded} error path(s) recorded`);
      if (result.sqlCalls) what.push(`${result.sqlCalls} database/sql call(s) get the span's context`);
      describe.set(source.path, [...(describe.get(source.path) ?? []), what.join(', ')]);
    }

    const proposals: Proposal[] = [];
    const tracerIds: string[] = [];
    const gomod = await goModOf(ctx, service);
    for (const [dir, source] of instrumentedDirs) {
      const pkg = samePackage(sources, source.path);
      if (pkg.some((s) => /\btracer\s*=\s*otel\.Tracer\(/.test(s.text))) continue;
      const file = dir === '.' ? TRACER_FILE : `${dir}/${TRACER_FILE}`;
      if (
        pkg.some((s) => /^(?:var\s+tracer\b|\ttracer\s+(?:=|[\w.*]+\s*=))/m.test(s.text)) ||
        (await ctx.repo.exists(file))
      ) {
        problems.push(
          `- ${dir}: the package already declares something named tracer; declare \`var tracer = otel.Tracer("…")\` under another name and use it`,
        );
        continue;
      }
      const moduleDir = service.root === '.' || service.root === '' ? dir : path.posix.relative(service.root, dir);
      const scopeName = gomod?.mod.module
        ? moduleDir === '.' || moduleDir === ''
          ? gomod.mod.module
          : `${gomod.mod.module}/${moduleDir}`
        : service.name;
      const slug = instrumentedDirs.size === 1 ? 'tracer' : `tracer-${dir.replace(/[^\w]+/g, '-')}`;
      proposals.push(
        createFile(
          head(
            slug,
            `Add ${file}: the package's tracer`,
            'Business spans need a tracer; one package-level variable serves every handler of the package.',
          ),
          file,
          await ctx.templates.render('go/otel_tracer.go.tmpl', {
            packageName: packageName(source.text) ?? 'main',
            scopeName,
          }),
        ),
      );
      tracerIds.push(`${service.id}:${slug}`);
    }

    const edited = edits.finished();
    for (const file of edited) {
      proposals.push(
        editFile(
          head(
            `spans-${path.posix.basename(file.path, '.go')}`,
            `Edit ${file.path}: ${describe.get(file.path)!.join('; ')}`,
            'One INTERNAL span per business operation, always ended, errors recorded, its context handed on so children nest under it.',
            tracerIds,
          ),
          file.path,
          file.pairs,
        ),
      );
    }

    if (gomod && edited.length > 0) {
      const { release } = otelReleaseFor(gomod.mod.goVersion);
      const needed = missingPins(
        gomod.mod,
        [MODULES.otel, MODULES.trace].map((m) => ({ path: m, version: release.otel })),
      );
      if (needed.length > 0) {
        proposals.push(
          await goGetProposal(
            ctx,
            service,
            head(
              'go-get-otel-api',
              `Add the OpenTelemetry API to ${service.id}/go.mod`,
              'The spans use go.opentelemetry.io/otel and its trace package.',
              proposals.map((p) => p.id),
            ),
            needed,
          ),
        );
      }
    }

    const dbNote = await databaseNote(ctx, service, sources, edited);
    if (dbNote)
      proposals.push(
        note(
          head(
            'db-instrumentation',
            `Trace the database queries of ${service.id}`,
            'Queries become CLIENT spans under the business span only with the client’s instrumentation and the request context.',
          ),
          dbNote,
        ),
      );
    if (problems.length > 0) {
      proposals.push(
        note(
          head(
            'spans-by-hand',
            `Add business spans in ${service.id} by hand`,
            'These handlers could not be edited with confidence.',
          ),
          await ctx.templates.render('go/spans-by-hand-note.md.tmpl', {
            places: problems.join('\n'),
            attributes: business.join(', '),
          }),
        ),
      );
    }
    return proposals;
  },
};

/** What the recipe looked for in a service it proposed nothing for: said to the user instead of a bare "no change". */
async function whyNothingFor(ctx: PlanContext, service: Service): Promise<string | undefined> {
  const sources = await goSources(ctx, service);
  const tracers = otherTracers(service);
  if (tracers.length > 0)
    return `${service.id} already traces with ${tracers.join(', ')}, so no OpenTelemetry span was proposed`;
  if (!hasOtelSetup(sources)) return undefined;
  const { handlers, unresolved } = findHandlers(sources);
  const routes = handlers.filter((h) => !SKIP_ROUTES.test(h.route));
  const text = (file: string) => sources.find((s) => s.path === file)!.text;
  const worth = routes.filter((h) => h.mutating || CLIENT_CALL.test(text(h.file).slice(h.open, h.close)));
  if (worth.length > 0)
    return `the business handlers of ${service.id} (${worth.map((h) => h.route).join(', ')}) already have spans, or could not be edited safely`;
  const found = `${routes.length} handler(s) found (${routes.map((h) => h.route).join(', ') || 'none'})${unresolved.length ? `, ${unresolved.length} registration(s) whose handler is not a function of the service` : ''}`;
  return `no business operation found in ${service.id}: ${found}; none changes state (POST/PUT/PATCH/DELETE) or queries a database or calls a client, so none gets a span — handlers that only write a literal or a package variable are trivial`;
}

async function databaseNote(
  ctx: PlanContext,
  service: Service,
  sources: readonly GoSource[],
  edited: ReadonlyArray<{ path: string; pairs: Array<{ old: string; new: string }> }>,
): Promise<string | undefined> {
  const names = new Set(service.dbClients.map((d) => d.name));
  const all = sources.map((s) => s.text).join('\n');
  const missing = (name: string) => names.has(name) && !DB_INSTRUMENTED[name]!.test(all);
  const flags = {
    databaseSql: missing('database/sql') || missing('sqlx'),
    pgx: missing('pgx'),
    gorm: missing('gorm'),
    redis: missing('go-redis'),
    mongo: missing('mongo-driver'),
  };
  // The calls still without a context, as the files will read once this step's edits are applied.
  const after = sources.map((s) => {
    const e = edited.find((f) => f.path === s.path);
    let text = s.text;
    if (e) for (const p of e.pairs) text = text.replace(p.old, () => p.new);
    return { path: s.path, text };
  });
  const calls = names.has('database/sql') ? callsWithoutContext(after, sqlReceiversIn(sources)).join('\n') : '';
  if (!Object.values(flags).some(Boolean) && calls === '') return undefined;
  return ctx.templates.render('go/db-instrumentation-note.md.tmpl', { ...flags, calls });
}
