/**
 * Step 4 for Node services: W3C tracecontext + baggage (the generated set-up's OTEL_PROPAGATORS default), outbound HTTP
 * clients (all covered by the http / undici instrumentations — said so), message queues (kafkajs, amqplib and the AWS SDK
 * are instrumented; other clients get a generated inject/extract module and a note), and async hand-offs to watch.
 */
import type { Finding, Service } from '../../../types/scan.js';
import { inService, type PlanContext } from '../../../plan/context.js';
import { createFile, note, serviceHeads } from '../../../plan/proposal-builders.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { existingSetup, handWrittenOtel, jsStringBody, otherTracers, readPackageJson } from './service-files.js';

const STEP = 'propagation' as const;

const HTTP_COVERAGE: Record<string, string> = {
  fetch: 'global fetch (instrumentation-undici)',
  undici: 'undici (instrumentation-undici)',
  axios: 'axios (over node:http, instrumentation-http)',
  got: 'got (over node:http, instrumentation-http)',
  'node-fetch': 'node-fetch (over node:http, instrumentation-http)',
  superagent: 'superagent (over node:http, instrumentation-http)',
  http: 'http/https.request (instrumentation-http)',
};
const QUEUE_INSTRUMENTED: Record<string, string> = {
  kafkajs: '@opentelemetry/instrumentation-kafkajs',
  amqplib: '@opentelemetry/instrumentation-amqplib',
  sqs: '@opentelemetry/instrumentation-aws-sdk',
};
const QUEUE_SYSTEM: Record<string, string> = { kafka: 'kafka', nats: 'nats', bullmq: 'bullmq' };

const HANDOFF = /\bnew\s+EventEmitter\s*\(|\bsetImmediate\s*\(|\bprocess\.nextTick\s*\(|\bqueueMicrotask\s*\(/;

/** Lines in the service's entry and route files that hand work to a later callback. */
async function handoffPlaces(ctx: PlanContext, service: Service): Promise<string[]> {
  const files = new Set<string>([
    ...(service.entrypoint ? [service.entrypoint.file] : []),
    ...service.frameworks.map((f) => f.evidence.file),
  ]);
  const places: string[] = [];
  for (const file of files) {
    const text = await ctx.repo.read(file);
    if (!text) continue;
    text.split('\n').forEach((line, i) => {
      if (HANDOFF.test(line) && !/^\s*(?:\/\/|\*)/.test(line))
        places.push(`${file}:${i + 1} (${line.trim().slice(0, 60)})`);
    });
  }
  return places.slice(0, 8);
}

function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(f.name) && seen.add(f.name));
}

async function planService(ctx: PlanContext, service: Service): Promise<Proposal[]> {
  if (otherTracers(service).length > 0) return [];
  const head = serviceHeads(STEP, service);
  const generated = await existingSetup(ctx, service);
  const out: Proposal[] = [];
  if (!generated) {
    const where = await handWrittenOtel(ctx, service, await readPackageJson(ctx, service));
    if (!where) {
      return [
        note(
          head('propagators', `Propagation in ${service.name}`, 'Context travels only once the SDK runs.'),
          `${service.name} has no OpenTelemetry set-up yet: apply the auto-instrumentation step first, then re-plan propagation.`,
        ),
      ];
    }
    const text = (where && (await ctx.repo.read(where))) || '';
    if (/textMapPropagator\s*:/.test(text) && !/W3CTraceContextPropagator/.test(text)) {
      out.push(
        note(
          head(
            'propagators',
            `Use W3C propagators in ${service.name}`,
            'Every service must read and write the same headers.',
          ),
          `The hand-written set-up in ${where} sets its own textMapPropagator; include W3CTraceContextPropagator and W3CBaggagePropagator (CompositePropagator), or remove the option and set OTEL_PROPAGATORS=tracecontext,baggage.`,
        ),
      );
    }
  }

  const http = unique(service.httpClients);
  if (http.length > 0) {
    out.push(
      note(
        head(
          'http-propagation',
          `Outbound HTTP in ${service.name} is propagated by auto-instrumentation`,
          'The client instrumentations inject traceparent into every request.',
        ),
        (
          await ctx.templates.render('node/notes/http-clients-covered.txt', {
            serviceName: service.name,
            clients: http.map((f) => HTTP_COVERAGE[f.name] ?? f.name).join(', '),
          })
        ).trimEnd(),
      ),
    );
  }

  const queues = unique(service.queueClients);
  const covered = queues.filter((q) => q.name in QUEUE_INSTRUMENTED);
  if (covered.length > 0) {
    out.push(
      note(
        head(
          'queue-propagation',
          `Message headers in ${service.name} carry the trace context`,
          'Producer and consumer spans join one trace.',
        ),
        (
          await ctx.templates.render('node/notes/queues-covered.txt', {
            serviceName: service.name,
            queues: covered.map((q) => q.name).join(', '),
            instrumentations: covered.map((q) => QUEUE_INSTRUMENTED[q.name]).join(', '),
          })
        ).trimEnd(),
      ),
    );
  }
  const manual = queues.filter((q) => !(q.name in QUEUE_INSTRUMENTED));
  if (manual.length > 0) {
    const esm = service.moduleSystem === 'esm' && !service.typescript;
    const name = esm ? 'message-context.mjs' : 'message-context.cjs';
    const modulePath = inService(service, name);
    if (!(await ctx.repo.exists(modulePath))) {
      out.push(
        createFile(
          head(
            'message-context-module',
            `Create ${modulePath}: inject/extract trace context in message headers`,
            `${manual.map((q) => q.name).join(', ')} are not instrumented; the context must be carried by hand.`,
          ),
          modulePath,
          await ctx.templates.render(esm ? 'node/message-context.mjs' : 'node/message-context.cjs', {
            serviceName: jsStringBody(service.name),
          }),
        ),
      );
    }
    out.push(
      note(
        head(
          'manual-queue-propagation',
          `Carry the trace context through ${manual.map((q) => q.name).join(', ')}`,
          'Without headers the consumer starts a new, disconnected trace.',
        ),
        (
          await ctx.templates.render('node/notes/queues-manual.txt', {
            serviceName: service.name,
            queues: manual.map((q) => q.name).join(', '),
            evidence: manual.map((q) => `${q.evidence.file}:${q.evidence.line}`).join(', '),
            module: modulePath,
            moduleRequire: `./${name}`,
            system: QUEUE_SYSTEM[manual[0]!.name] ?? manual[0]!.name,
          })
        ).trimEnd(),
      ),
    );
  }

  const places = await handoffPlaces(ctx, service);
  if (places.length > 0) {
    out.push(
      note(
        head(
          'async-context',
          `Async hand-offs in ${service.name}`,
          'Context is lost where callbacks run outside the request that registered them.',
        ),
        (
          await ctx.templates.render('node/notes/async-handoffs.txt', {
            serviceName: service.name,
            places: places.join('; '),
          })
        ).trimEnd(),
      ),
    );
  }
  return out;
}

export const nodePropagation: Recipe = {
  id: 'node-propagation',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => service.language === 'node',
  plan: planService,
};
