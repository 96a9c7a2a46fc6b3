/**
 * Step 6 for Node services: trace_id / span_id in every log line. pino, winston and bunyan get them from their
 * OpenTelemetry instrumentations (enabled by the generated set-up); services that log with console or write request
 * lines with morgan get a small module, loaded by the set-up file, that appends `trace_id=… span_id=…` to console lines
 * and morgan's named formats written inside a span (morgan writes as the response finishes, with the request's span
 * still active). A service with none of these writes no line that could carry a trace id: a note asks for one.
 */
import { listFiles } from '../../../repo/files.js';
import type { Service } from '../../../types/scan.js';
import { isReadSource } from '../../../repo/source-files.js';
import { inService, type PlanContext } from '../../../plan/context.js';
import { createFile, editFile, note, requiredNote, serviceHeads } from '../../../plan/proposal-builders.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import {
  existingSetup,
  jsStringBody,
  noGeneratedSetupNote,
  otherTracers,
  readPackageJson,
  SETUP_MARKER,
} from './service-files.js';

const STEP = 'correlation' as const;
const STRUCTURED = ['pino', 'winston', 'bunyan'];
const START_LINE = 'sdk.start();\n';

async function planService(ctx: PlanContext, service: Service): Promise<Proposal[]> {
  if (otherTracers(service).length > 0) return [];
  const head = serviceHeads(STEP, service);
  const loggers = [...new Set(service.logging.map((f) => f.name).filter((n) => STRUCTURED.includes(n)))];
  const generated = await existingSetup(ctx, service);
  if (!generated) {
    const text = await noGeneratedSetupNote(
      ctx,
      service,
      'correlation',
      'Make sure its instrumentations include @opentelemetry/instrumentation-pino / -winston / -bunyan (getNodeAutoInstrumentations does) for structured loggers, or write trace.getActiveSpan()?.spanContext().traceId into each line.',
    );
    return [
      note(
        head(
          'log-correlation',
          `Trace ids in ${service.name}'s logs`,
          'A log line with a trace id leads to its trace.',
        ),
        text,
      ),
    ];
  }
  if (loggers.length > 0) {
    const text = await ctx.templates.render('node/notes/structured-loggers.txt', {
      serviceName: service.name,
      loggers: loggers.join(', '),
      winston: loggers.includes('winston'),
    });
    return [
      note(
        head(
          'log-correlation',
          `${loggers.join(', ')} in ${service.name} get trace ids from their instrumentation`,
          'The instrumentations inject trace_id and span_id into every record.',
        ),
        text.trimEnd(),
      ),
    ];
  }
  const usesConsole = await consoleInAppCode(ctx, service);
  const usesMorgan = await dependsOn(ctx, service, 'morgan');
  if (!usesConsole && !usesMorgan) {
    return [
      requiredNote(
        head(
          'log-correlation',
          `${service.name} writes no log line that could carry a trace id`,
          "A trace id can only be found in a line the service writes inside the request's span.",
        ),
        `No logger (pino, winston, bunyan, morgan) and no console call was found in ${service.name}, so nothing it writes while handling a request can be correlated. Log one line in a request handler (console.info is enough: the set-up adds the ids once it is there), then plan this step again.`,
      ),
    ];
  }
  const esm = generated.file.esm;
  const name = esm ? 'log-correlation.mjs' : 'log-correlation.cjs';
  const out: Proposal[] = [];
  const modulePath = inService(service, name);
  if (!(await ctx.repo.exists(modulePath))) {
    const what = [usesConsole ? 'console lines' : '', usesMorgan ? "morgan's request lines" : '']
      .filter(Boolean)
      .join(' and ');
    out.push(
      createFile(
        head(
          'log-correlation-module',
          `Create ${modulePath}: trace ids on ${what}`,
          `${service.name} writes ${what}; each one written inside a span gets trace_id and span_id.`,
        ),
        modulePath,
        await ctx.templates.render(esm ? 'node/log-correlation.mjs' : 'node/log-correlation.cjs', {
          serviceName: jsStringBody(service.name),
          console: usesConsole,
          morgan: usesMorgan,
        }),
      ),
    );
  }
  if (!generated.text.includes(name)) {
    const load = esm ? `await import('./${name}');` : `require('./${name}');`;
    if (generated.text.split(START_LINE).length === 2) {
      out.push(
        editFile(
          head(
            'load-log-correlation',
            `Load ${name} from ${generated.file.path}`,
            'Patches console once, right after the SDK started.',
            out.length > 0 ? [`${service.id}:log-correlation-module`] : [],
          ),
          generated.file.path,
          [{ old: START_LINE, new: `${START_LINE}\n// Trace and span ids on console lines.\n${load}\n` }],
        ),
      );
    } else {
      out.push(
        note(
          head('load-log-correlation', `Load ${name} after the SDK starts`, 'Patches console once.'),
          `Add \`${load}\` after sdk.start() in ${generated.file.path}.`,
        ),
      );
    }
  }
  return out;
}

const CONSOLE_CALL = /\bconsole\.(?:log|info|warn|error|debug)\(/;
const SCRIPT = /(?:\.(?:[cm]?[jt]s|[jt]sx)|(?:^|\/)bin\/[^/.]+)$/;

/**
 * Whether the app's own code calls console. trace-guide's generated files (the set-up, this step's module) do not count;
 * the scan keeps one finding per library, so when it named a generated file the service's other scripts are read.
 */
async function consoleInAppCode(ctx: PlanContext, service: Service): Promise<boolean> {
  const finding = service.logging.find((f) => f.name === 'console');
  if (!finding) return false;
  if (!(await ctx.repo.read(finding.evidence.file))?.includes(SETUP_MARKER)) return true;
  const prefix = service.root === '.' || service.root === '' ? '' : `${service.root}/`;
  for (const file of (await listFiles(ctx.root)).files) {
    if (!file.startsWith(prefix) || !SCRIPT.test(file) || !isReadSource('node', file.slice(prefix.length))) continue;
    const text = await ctx.repo.read(file);
    if (text !== undefined && !text.includes(SETUP_MARKER) && CONSOLE_CALL.test(text)) return true;
  }
  return false;
}

/** Whether the service's package.json lists `name` among its dependencies. */
async function dependsOn(ctx: PlanContext, service: Service, name: string): Promise<boolean> {
  const pkg = await readPackageJson(ctx, service);
  return pkg !== undefined && (name in (pkg.data.dependencies ?? {}) || name in (pkg.data.devDependencies ?? {}));
}

export const nodeCorrelation: Recipe = {
  id: 'node-correlation',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => service.language === 'node',
  plan: planService,
};
