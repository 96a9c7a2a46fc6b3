/**
 * Step 3 for Python services: a few INTERNAL spans around the business operations the code shows (span-targets.ts:
 * handlers that query, call a client or the application's own functions, or change state on a write route; functions
 * called from handlers that query or call a client; functions named like payments or checkout), in any of the
 * service's files, as `with tracer.start_as_current_span(...)` blocks, so each span ends on every path and an exception leaving the block is recorded with an error status (the
 * default of start_as_current_span). Exceptions the code catches itself are recorded in their except block. Business
 * attributes from the input are set where a variable of that name exists. Functions that cannot be re-indented safely
 * get a note with the snippet instead.
 */
import type { Service } from '../../../types/scan.js';
import { editFile, note, serviceHeads } from '../../../plan/proposal-builders.js';
import { answer, type PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { endOfLeadingImports, type PyFunction } from './python-source.js';
import { pythonSources } from './python-sources.js';
import { findSpanTargets, type RouteParam, type SpanTarget } from './span-targets.js';
import { foreignTracing, hasOpenTelemetry, isPythonWebService } from './service-facts.js';
import { indentBlock } from './text-edits.js';

const STEP = 'manual-spans' as const;
const MAX_SPANS_PER_FILE = 3;
const MAX_SPANS = 4;
/** db.system.name per database client the scan names (libraries tied to one database). */
const DB_SYSTEMS: Record<string, string> = {
  psycopg2: 'postgresql',
  psycopg: 'postgresql',
  asyncpg: 'postgresql',
  pymongo: 'mongodb',
  'redis-py': 'redis',
  mysqlclient: 'mysql',
  pymysql: 'mysql',
};

/** The business attributes the user listed (e.g. app.order.id), cleaned. */
function businessAttributes(ctx: PlanContext): string[] {
  const raw = answer(ctx, 'business-attributes');
  if (typeof raw !== 'string') return [];
  return raw
    .split(',')
    .map((a) => a.trim())
    .filter((a) => /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$/.test(a));
}

/** Variable names that would hold an attribute's value: app.order.id → order_id, id. */
function candidateVariables(attribute: string): string[] {
  const parts = attribute.split('.').slice(-2);
  return [parts.join('_'), parts[parts.length - 1]!].filter((v) => v !== 'id');
}

interface Wrapped {
  text: string;
  usesStatus: boolean;
  attributes: string[];
}

/** The body of `fn` inside a with-block, with exception recording in its except blocks and attributes where known. */
function wrapBody(
  body: string,
  fn: PyFunction,
  spanName: string,
  attributes: string[],
  params: readonly RouteParam[] = [],
): Wrapped {
  const inner = fn.bodyIndent + '    ';
  const lines = body.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let usesStatus = false;
  const set: string[] = [];
  const pending = new Map<string, string>(); // variable → attribute
  const byParam = new Map<string, string>();
  for (const attr of attributes) {
    const param = candidateVariables(attr).find((v) => fn.params.includes(v));
    if (param) byParam.set(param, attr);
  }
  // Route parameters the user named no attribute for: the handler's own namespace (GET /items/<sku> → app.one_item.sku).
  for (const p of params) {
    if (byParam.has(p.name)) continue;
    out.push(`${inner}span.set_attribute("app.${fn.name}.${p.name}", ${p.raw ? p.name : `str(${p.name})`})`);
    set.push(`app.${fn.name}.${p.name}`);
  }
  for (const attr of attributes) {
    const param = candidateVariables(attr).find((v) => fn.params.includes(v));
    if (param) {
      out.push(`${inner}span.set_attribute("${attr}", ${param})`);
      set.push(attr);
    } else {
      const variable = candidateVariables(attr).find((v) => new RegExp(`^[ ]*${v}[ ]*=[^=]`, 'm').test(body));
      if (variable) pending.set(variable, attr);
    }
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    out.push(line.trim() === '' ? '' : `    ${line}`);
    const exc = /^([ ]*)except\b[^\n]*\bas[ ]+(\w+)[ ]*:[ ]*(?:#.*)?$/.exec(line);
    if (exc) {
      const next = lines.slice(i + 1).find((l) => l.trim() !== '');
      const blockIndent = next ? /^[ ]*/.exec(next)![0] : '';
      const block = lines
        .slice(i + 1)
        .filter((l, j, all) => all.slice(0, j + 1).every((x) => x.trim() === '' || x.startsWith(blockIndent)));
      if (blockIndent.length > exc[1]!.length && !block.some((l) => /^[ ]*raise\b/.test(l))) {
        out.push(
          `    ${blockIndent}span.record_exception(${exc[2]})`,
          `    ${blockIndent}span.set_status(StatusCode.ERROR, str(${exc[2]}))`,
        );
        usesStatus = true;
      }
    }
    const assign = /^([ ]*)(\w+)[ ]*=[^=]/.exec(line);
    const attr = assign ? pending.get(assign[2]!) : undefined;
    const single =
      assign && !/[([{,\\]\s*$/.test(line) && (lines[i + 1] === undefined || !/^[ ]*[)\]}]/.test(lines[i + 1]!));
    if (assign && attr && single) {
      out.push(`    ${assign[1]}span.set_attribute("${attr}", ${assign[2]})`);
      set.push(attr);
      pending.delete(assign[2]!);
    }
  }
  const usesSpan = usesStatus || set.length > 0;
  const opening = `${fn.bodyIndent}with tracer.start_as_current_span("${spanName}")${usesSpan ? ' as span' : ''}:`;
  return { text: [opening, ...out].join('\n') + '\n', usesStatus, attributes: set };
}

/** A file that already has spans or a tracer of its own is left as it is (re-planning proposes nothing). */
function hasTracing(text: string): boolean {
  return /\bstart_as_current_span\(|\bstart_span\(|\bget_tracer\(|^tracer\b/m.test(text);
}

async function planFile(
  ctx: PlanContext,
  service: Service,
  file: string,
  text: string,
  targets: SpanTarget[],
): Promise<Proposal[]> {
  const head = serviceHeads(STEP, service);
  const functions = targets.map((t) => t.fn);
  if (functions.length === 0) return [];
  const importsEnd = endOfLeadingImports(text);
  const attributes = businessAttributes(ctx);
  if (importsEnd === undefined) {
    return [
      note(
        head(
          `spans:${file}`,
          `Add spans in ${file}`,
          'The module does not start with an import block that could be extended safely.',
        ),
        `Add \`tracer = trace.get_tracer(__name__)\` and wrap ${functions.map((f) => f.name).join(', ')} in \`with tracer.start_as_current_span("<name>") as span:\`.`,
      ),
    ];
  }
  let next = text;
  let usesStatus = false;
  const set = new Set<string>();
  for (const fn of [...functions].reverse()) {
    const wrapped = wrapBody(
      text.slice(fn.bodyStart, fn.bodyEnd),
      fn,
      fn.name,
      attributes,
      targets.find((t) => t.fn === fn)?.routeParams,
    );
    next = next.slice(0, fn.bodyStart) + wrapped.text + next.slice(fn.bodyEnd);
    usesStatus ||= wrapped.usesStatus;
    wrapped.attributes.forEach((a) => set.add(a));
  }
  const imports = await ctx.templates.render('python/tracer-imports.py', { statusCode: usesStatus });
  next = next.slice(0, importsEnd) + imports + next.slice(importsEnd);
  const proposals = [
    editFile(
      head(
        `spans:${file}`,
        `Spans around ${functions.map((f) => f.name).join(', ')} in ${file}`,
        `Business operations as child spans of the request (${targets.map((t) => `${t.fn.name}: ${t.reason}`).join('; ')}); an exception leaving a span is recorded with an error status${usesStatus ? ', and caught errors are recorded too' : ''}${set.size ? `; carrying ${[...set].join(', ')}` : ''}.`,
      ),
      file,
      [{ old: text, new: next }],
    ),
  ];
  const unset = attributes.filter((a) => !set.has(a));
  if (unset.length > 0) {
    proposals.push(
      note(
        head(
          `attributes:${file}`,
          `Set the remaining business attributes in ${file}`,
          'No variable with a matching name was found to take the value from.',
        ),
        `Inside the spans, where the value is known: ${unset.map((a) => `span.set_attribute("${a}", <value>)`).join('; ')} — strings, numbers or booleans only; never payloads or personal data.`,
      ),
    );
  }
  return proposals;
}

async function planService(ctx: PlanContext, service: Service): Promise<Proposal[]> {
  if (foreignTracing(service).length > 0) return [];
  if (!(await hasOpenTelemetry(ctx, service))) {
    return [
      note(
        serviceHeads(STEP, service)(
          'spans-need-sdk',
          'Instrument the service first',
          'Manual spans need the OpenTelemetry SDK from the auto-instrumentation step.',
        ),
        `${service.name} has no OpenTelemetry set-up yet: apply the auto-instrumentation step, then plan this step again.`,
      ),
    ];
  }
  const sources = await serviceSources(ctx, service);
  const { targets } = findSpanTargets(sources);
  const proposals: Proposal[] = [];
  let budget = MAX_SPANS;
  for (const source of sources) {
    if (budget <= 0 || hasTracing(source.text)) continue;
    const mine = targets.filter((t) => t.file === source.path).slice(0, Math.min(MAX_SPANS_PER_FILE, budget));
    budget -= mine.length;
    proposals.push(...(await planFile(ctx, service, source.path, source.text, mine)));
  }
  const db = service.dbClients.find((d) => DB_SYSTEMS[d.name]);
  if (db) {
    const snippet = await ctx.templates.render('python/db-span.py', {
      operation: 'SELECT',
      table: '<table>',
      system: DB_SYSTEMS[db.name]!,
    });
    proposals.push(
      note(
        serviceHeads(STEP, service)(
          'db-spans',
          `Spans for ${db.name} queries`,
          'Database calls are where latency hides; each query should be a CLIENT span.',
        ),
        `Prefer the library's instrumentation (opentelemetry-instrumentation-${db.name.replace(/-py$/, '')}) for every query. For a query it does not cover (seen near ${db.evidence.file}:${db.evidence.line}), wrap it like this, naming the span after the operation and table (never the full SQL):\n${snippet}`,
      ),
    );
  }
  return proposals;
}

/** The entry and framework files first, then the rest of the service's .py files. */
function serviceSources(ctx: PlanContext, service: Service) {
  const first = [service.entrypoint?.file, ...service.frameworks.map((f) => f.evidence.file)].filter(
    (f): f is string => Boolean(f) && f!.endsWith('.py'),
  );
  return pythonSources(ctx, service, first);
}

/** What the recipe looked for in a service it proposed nothing for: said to the user instead of a bare "no change". */
async function whyNothingFor(ctx: PlanContext, service: Service): Promise<string | undefined> {
  if (foreignTracing(service).length > 0)
    return `${service.name} already traces with ${foreignTracing(service)
      .map((t) => t.name)
      .join(', ')}, so no OpenTelemetry span was proposed`;
  const sources = await serviceSources(ctx, service);
  const { targets, handlers, files } = findSpanTargets(sources);
  if (targets.length > 0)
    return `every business operation found in ${service.name} (${targets.map((t) => t.fn.name).join(', ')}) is in a file that already has spans or its own tracer`;
  return `no business operation found in ${service.name}: none of its ${handlers} route handler(s) in ${files} file(s) queries a database, calls a client or a function of the application, or changes state on a write route — handlers that only answer with a literal or a lookup get no span`;
}

export const pythonManualSpans: Recipe = {
  id: 'python-manual-spans',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => isPythonWebService(service),
  plan: planService,
  whyNothing: whyNothingFor,
};
