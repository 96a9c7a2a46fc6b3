/**
 * Step 6 for Node services: trace_id / span_id in every log line. pino, winston and bunyan get them from their
 * OpenTelemetry instrumentations (enabled by the generated set-up); services that log with console get a small module,
 * loaded by the set-up file, that appends `trace_id=… span_id=…` to console lines written inside a span.
 */
import type { Service } from '../../../repo/scan-schema.js';
import { inService, type PlanContext } from '../../context.js';
import { createFile, editFile, note, serviceHeads } from '../../build.js';
import type { Proposal } from '../../proposal.js';
import type { Recipe } from '../../recipe.js';
import { existingSetup, jsStringBody, noGeneratedSetupNote, otherTracers } from './service-files.js';

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
    return [note(head('log-correlation', `Trace ids in ${service.name}'s logs`, 'A log line with a trace id leads to its trace.'), text)];
  }
  if (loggers.length > 0) {
    const text = await ctx.templates.render('node/notes/structured-loggers.txt', {
      serviceName: service.name,
      loggers: loggers.join(', '),
      winston: loggers.includes('winston'),
    });
    return [note(head('log-correlation', `${loggers.join(', ')} in ${service.name} get trace ids from their instrumentation`, 'The instrumentations inject trace_id and span_id into every record.'), text.trimEnd())];
  }
  if (!service.logging.some((f) => f.name === 'console')) return [];
  const esm = generated.file.esm;
  const name = esm ? 'log-correlation.mjs' : 'log-correlation.cjs';
  const out: Proposal[] = [];
  const modulePath = inService(service, name);
  if (!(await ctx.repo.exists(modulePath))) {
    out.push(
      createFile(
        head('log-correlation-module', `Create ${modulePath}: trace ids on console lines`, `${service.name} logs with console; each line inside a span gets trace_id and span_id.`),
        modulePath,
        await ctx.templates.render(esm ? 'node/log-correlation.mjs' : 'node/log-correlation.cjs', { serviceName: jsStringBody(service.name) }),
      ),
    );
  }
  if (!generated.text.includes(name)) {
    const load = esm ? `await import('./${name}');` : `require('./${name}');`;
    if (generated.text.split(START_LINE).length === 2) {
      out.push(
        editFile(
          head('load-log-correlation', `Load ${name} from ${generated.file.path}`, 'Patches console once, right after the SDK started.', out.length > 0 ? [`${service.id}:log-correlation-module`] : []),
          generated.file.path,
          [{ old: START_LINE, new: `${START_LINE}\n// Trace and span ids on console lines.\n${load}\n` }],
        ),
      );
    } else {
      out.push(note(head('load-log-correlation', `Load ${name} after the SDK starts`, 'Patches console once.'), `Add \`${load}\` after sdk.start() in ${generated.file.path}.`));
    }
  }
  return out;
}

export const nodeCorrelation: Recipe = {
  id: 'node-correlation',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => service.language === 'node',
  plan: planService,
};
