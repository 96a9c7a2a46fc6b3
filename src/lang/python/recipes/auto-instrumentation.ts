/**
 * Step 2 for Flask, FastAPI and Django services: the OpenTelemetry packages (pinned), a set-up module (otel_setup.py,
 * from the template) whose defaults the OTEL_* variables override, and the calls that start it in the right process:
 * beside the application object (covers the Flask debug reloader, Django's autoreloader and uvicorn --reload/--workers,
 * whose children import the module again), or gunicorn's post_fork hook for pre-fork servers (with or without --preload).
 *
 * The programmatic set-up is used rather than the `opentelemetry-instrument` wrapper: defaults that the environment can
 * override cannot be written into a start command without shell-specific expansion, and the wrapper starts the SDK in
 * gunicorn's master. A service the wrapper already runs is left as it is.
 */
import type { Service } from '../../../types/scan.js';
import { createFile, editFile, note, requiredNote, serviceHeads } from '../../../plan/proposal-builders.js';
import type { PlanContext } from '../../../plan/context.js';
import type { EditPair, Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { exporterSettings } from '../../../plan/recipes/exporter.js';
import { flaskFactory } from './flask-factory.js';
import { addPythonPackages, detectPythonManager } from './package-manager.js';
import {
  appStatement,
  foreignTracing,
  hasOpenTelemetry,
  isPythonWebService,
  serverModel,
  setupModulePath,
  webFramework,
  type ServerModel,
} from './service-facts.js';
import { indentBlock, insertAfterRange, lineAt } from './text-edits.js';
import { DISTRO, EXPORTER_GRPC, EXPORTER_HTTP, INSTRUMENTATIONS, type PythonPackage } from './versions.js';

const STEP = 'auto-instrumentation' as const;
const CLIENTS = ['requests', 'httpx', 'aiohttp'] as const;

export function pythonPackagesFor(ctx: PlanContext, service: Service): PythonPackage[] {
  const framework = webFramework(service)!;
  const exporter = exporterSettings(ctx).protocol === 'grpc' ? EXPORTER_GRPC : EXPORTER_HTTP;
  const clients = CLIENTS.filter((c) => service.httpClients.some((h) => h.name === c)).map((c) => INSTRUMENTATIONS[c]!);
  return [DISTRO, exporter, INSTRUMENTATIONS[framework]!, ...clients];
}

function migrationNote(service: Service): string {
  const found = foreignTracing(service)
    .map((t) => `${t.name} (${t.evidence.file}:${t.evidence.line})`)
    .join(', ');
  return [
    `${service.name} already traces with ${found}. Running OpenTelemetry beside it would start a second tracer and`,
    'split every trace in two, so nothing was added. To migrate: remove the old tracer set-up and its start wrapper',
    '(ddtrace-run, newrelic-admin), then plan this step again; OpenTracing code can keep its calls for a while through',
    'the opentelemetry-opentracing-shim package, and Jaeger/Zipkin backends accept OTLP directly.',
  ].join(' ');
}

interface Hook {
  /** Repo-relative file to edit, and its text. */
  file: string;
  text: string;
  /** Where the statement after which the hook goes starts and ends; undefined when no safe place was found. */
  at?: { start: number; end: number; indent: string };
  instrumentFunction: string;
  instrumentArgument: string;
}

async function findAppHook(ctx: PlanContext, service: Service): Promise<Hook | undefined> {
  const framework = webFramework(service)!;
  if (framework === 'django') {
    const manage = service.entrypoint?.file;
    const text = manage ? await ctx.repo.read(manage) : undefined;
    if (!manage || text === undefined) return undefined;
    const m = /^[ \t]*os\.environ\.setdefault\(\s*["']DJANGO_SETTINGS_MODULE["'][^\n]*\n/m.exec(text);
    const line = m ? lineAt(text, m.index + m[0].search(/\S/)) : undefined;
    return { file: manage, text, at: line, instrumentFunction: 'instrument_django', instrumentArgument: '' };
  }
  const ctor = framework === 'flask' ? 'Flask' : 'FastAPI';
  const candidates = [
    service.entrypoint?.file,
    ...service.frameworks.filter((f) => f.name === framework).map((f) => f.evidence.file),
  ];
  for (const file of [...new Set(candidates)].filter((f): f is string => Boolean(f))) {
    const text = await ctx.repo.read(file);
    if (text === undefined) continue;
    const stmt = appStatement(text, ctor);
    if (stmt) {
      return {
        file,
        text,
        at: { start: stmt.start, end: stmt.end, indent: '' },
        instrumentFunction: `instrument_${framework}`,
        instrumentArgument: stmt.variable,
      };
    }
  }
  return undefined;
}

/** The module of a Flask app factory (the service's entrypoint or a file the framework was found in) and where its top is. */
async function findFlaskFactory(
  ctx: PlanContext,
  service: Service,
): Promise<{ file: string; text: string; at: number; factory: string } | undefined> {
  const candidates = [
    service.entrypoint?.file,
    ...service.frameworks.filter((f) => f.name === 'flask').map((f) => f.evidence.file),
  ];
  for (const file of [...new Set(candidates)].filter((f): f is string => Boolean(f) && f!.endsWith('.py'))) {
    const text = await ctx.repo.read(file);
    if (text === undefined || text.includes('otel_setup')) continue;
    const factory = flaskFactory(text);
    if (factory) return { file, text, at: factory.insertAt, factory: factory.name };
  }
  return undefined;
}

/** Inserts `block` at `offset` (a line start) as an edit: the line there gains the block above it, or the whole file. */
function insertBeforeOffset(text: string, offset: number, block: string): EditPair {
  const nl = text.indexOf('\n', offset);
  const line = text.slice(offset, nl === -1 ? text.length : nl + 1);
  if (line !== '' && text.split(line).length === 2) return { old: line, new: `${block}${line}` };
  return { old: text, new: `${text.slice(0, offset)}${block}${text.slice(offset)}` };
}

/** Django's wsgi.py next to the settings module, which production servers (gunicorn) load instead of manage.py. */
async function findDjangoWsgi(ctx: PlanContext, hook: Hook): Promise<{ file: string; text: string } | undefined> {
  const settings = /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)\.settings["']/.exec(hook.text)?.[1];
  if (!settings) return undefined;
  const dir = hook.file.includes('/') ? hook.file.slice(0, hook.file.lastIndexOf('/') + 1) : '';
  const file = `${dir}${settings.replace(/\./g, '/')}/wsgi.py`;
  const text = await ctx.repo.read(file);
  return text === undefined ? undefined : { file, text };
}

function whereWhy(model: ServerModel): string {
  switch (model.kind) {
    case 'gunicorn':
      return `Gunicorn forks workers${model.preload ? ' after importing the app (--preload)' : ''}: the SDK starts in each worker's post_fork hook`;
    case 'uvicorn-multiprocess':
      return `With uvicorn ${model.flags.join(' ')} the app runs in child processes, which import the app module and start the SDK there`;
    case 'flask-reloader':
      return 'The Flask debug reloader serves from a child process, which imports the app module again and starts the SDK there';
    case 'django-runserver':
      return "Django's autoreloader serves from a child process that runs manage.py again, so the SDK starts there";
    case 'single-process':
      return 'The SDK starts and instruments the app as soon as the app object exists';
  }
}

async function planService(ctx: PlanContext, service: Service): Promise<Proposal[]> {
  const head = serviceHeads(STEP, service);
  if (foreignTracing(service).length > 0) {
    return [
      note(
        head(
          'migrate-tracer',
          'Migrate the existing tracer to OpenTelemetry',
          'A second tracer would split every trace.',
        ),
        migrationNote(service),
      ),
    ];
  }
  if (await hasOpenTelemetry(ctx, service)) return [];

  const proposals: Proposal[] = [];
  const packages = pythonPackagesFor(ctx, service);
  const depsHead = head(
    'otel-packages',
    'Add the OpenTelemetry packages',
    'The SDK, the OTLP exporter and the instrumentations for this service.',
  );
  const detection = await detectPythonManager(ctx, service);
  if (detection.ok) {
    proposals.push(...(await addPythonPackages(ctx, service, detection.manager, packages, depsHead)));
  } else {
    const list = packages.map((p) => `${p.name}==${p.version}`).join(' ');
    proposals.push(
      note(
        { ...depsHead, title: 'Which manifest should get the OpenTelemetry packages?' },
        `${detection.reason} Add these packages there: ${list}`,
      ),
    );
  }
  const depIds = proposals.filter((p) => p.change.kind === 'edit').map((p) => p.id);

  const framework = webFramework(service)!;
  const hook = await findAppHook(ctx, service);
  const appText = framework === 'django' ? undefined : hook?.text;
  const model = await serverModel(ctx, service, appText);
  const postFork = model.kind === 'gunicorn';
  const { protocol, endpoint, needsHeaders } = exporterSettings(ctx);
  const clientFlags = Object.fromEntries(CLIENTS.map((c) => [c, service.httpClients.some((h) => h.name === c)]));
  const setupPath = setupModulePath(service);
  const setup = await ctx.templates.render('python/otel_setup.py', {
    serviceName: service.name,
    endpoint,
    protocol,
    ...clientFlags,
    anyClient: Object.values(clientFlags).some(Boolean),
    flask: framework === 'flask',
    fastapi: framework === 'fastapi',
    django: framework === 'django',
  });
  const setupId = `${service.id}:otel-setup`;
  proposals.push(
    createFile(
      head(
        'otel-setup',
        `Create ${setupPath}`,
        `Starts the SDK with defaults the OTEL_* variables override${needsHeaders ? ' (credentials stay in OTEL_EXPORTER_OTLP_HEADERS)' : ''}, and flushes spans at exit.`,
        depIds,
      ),
      setupPath,
      setup,
    ),
  );

  const hookText = (withPostFork: boolean, h: Hook) =>
    ctx.templates.render('python/app-hook.py', {
      postFork: withPostFork,
      instrumentFunction: h.instrumentFunction,
      instrumentArgument: h.instrumentArgument,
    });
  let factoryHook: Awaited<ReturnType<typeof findFlaskFactory>>;
  if (hook?.at) {
    const block = indentBlock(await hookText(postFork, hook), hook.at.indent);
    proposals.push(
      editFile(head('start-sdk', `Start OpenTelemetry in ${hook.file}`, `${whereWhy(model)}.`, [setupId]), hook.file, [
        insertAfterRange(hook.text, hook.at.start, hook.at.end, block),
      ]),
    );
  } else if (framework === 'flask' && (factoryHook = await findFlaskFactory(ctx, service))) {
    const lines = (
      await hookText(postFork, {
        file: factoryHook.file,
        text: factoryHook.text,
        instrumentFunction: 'instrument_flask_apps',
        instrumentArgument: '',
      })
    ).replace(/^\n+/, '');
    // First in the module: no blank line above it; after a docstring or comments: one.
    const block = `${factoryHook.at === 0 ? '' : '\n'}${lines}\n`;
    proposals.push(
      editFile(
        head(
          'start-sdk',
          `Start OpenTelemetry at the top of ${factoryHook.file}, before ${factoryHook.factory}() runs`,
          `The app is built by the factory ${factoryHook.factory}(), so there is no app object to instrument at import; instrumenting flask.Flask first covers every app the factory builds. ${whereWhy(model)}.`,
          [setupId],
        ),
        factoryHook.file,
        [insertBeforeOffset(factoryHook.text, factoryHook.at, block)],
      ),
    );
  } else {
    const sample = await hookText(
      postFork,
      hook ?? { file: '', text: '', instrumentFunction: `instrument_${framework}`, instrumentArgument: 'app' },
    );
    proposals.push(
      requiredNote(
        head(
          'start-sdk',
          'Start OpenTelemetry where the app is built',
          'No single top-level app object was found to edit safely.',
          [setupId],
        ),
        `Add this right after the ${framework} application is created (in the app factory, if there is one):\n${sample}`,
      ),
    );
  }

  if (framework === 'django' && hook) {
    const wsgi = await findDjangoWsgi(ctx, hook);
    const anchor = wsgi ? /^os\.environ\.setdefault\(\s*["']DJANGO_SETTINGS_MODULE["'][^\n]*\n/m.exec(wsgi.text) : null;
    if (wsgi && anchor && !wsgi.text.includes('otel_setup')) {
      const block = await hookText(postFork, { ...hook, instrumentArgument: '' });
      proposals.push(
        editFile(
          head(
            'start-sdk-wsgi',
            `Start OpenTelemetry in ${wsgi.file}`,
            'Production servers load wsgi.py, not manage.py; the hook goes after DJANGO_SETTINGS_MODULE is set.',
            [setupId],
          ),
          wsgi.file,
          [insertAfterRange(wsgi.text, anchor.index, anchor.index + anchor[0].length, block)],
        ),
      );
    }
  }

  if (model.kind === 'gunicorn') {
    const hookBody = await ctx.templates.render('python/gunicorn-post-fork.py', {});
    const existing = await ctx.repo.read(model.config);
    const gunicornHead = head(
      'gunicorn-post-fork',
      `Start the SDK in each gunicorn worker (${model.config})`,
      `${whereWhy(model)}.`,
      [setupId],
    );
    if (existing === undefined) proposals.push(createFile(gunicornHead, model.config, hookBody));
    else if (/^def post_fork\(/m.test(existing)) {
      proposals.push(
        note(gunicornHead, `${model.config} already has a post_fork hook; add these lines to it:\n${hookBody}`),
      );
    } else {
      const base = existing === '' || existing.endsWith('\n') ? existing : `${existing}\n`;
      proposals.push(
        existing === ''
          ? note(gunicornHead, `Put this in ${model.config}:\n${hookBody}`)
          : editFile(gunicornHead, model.config, [{ old: existing, new: `${base}\n\n${hookBody}` }]),
      );
    }
  }
  return proposals;
}

export const pythonAutoInstrumentation: Recipe = {
  id: 'python-auto-instrumentation',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => isPythonWebService(service),
  plan: planService,
};
