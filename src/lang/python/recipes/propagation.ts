/**
 * Step 4 for Python services: W3C trace context on every hop. HTTP is carried by the client instrumentations the
 * set-up module installs (and OTEL_PROPAGATORS=tracecontext,baggage there); a client the set-up does not instrument
 * yet gets its package and call. Message queues (kafka-python, confluent-kafka, pika) need the context injected into
 * message headers on produce and extracted on consume: the places the scan found get a note with the code, because a
 * produce call cannot be rewritten safely without knowing its arguments. Threads and executors do not inherit the
 * contextvars context the way asyncio tasks do: code that hands work to them gets a note.
 */
import type { Service } from '../../../types/scan.js';
import { editFile, note, serviceHeads } from '../../../plan/proposal-builders.js';
import type { PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { addPythonPackages, detectPythonManager } from './package-manager.js';
import { foreignTracing, hasOpenTelemetry, isPythonWebService, setupModulePath } from './service-facts.js';
import { INSTRUMENTATIONS } from './versions.js';

const STEP = 'propagation' as const;

/** Per HTTP client: the instrumentor the set-up module must call. */
const CLIENT_INSTRUMENTORS: Record<string, { module: string; cls: string }> = {
  requests: { module: 'opentelemetry.instrumentation.requests', cls: 'RequestsInstrumentor' },
  httpx: { module: 'opentelemetry.instrumentation.httpx', cls: 'HTTPXClientInstrumentor' },
  aiohttp: { module: 'opentelemetry.instrumentation.aiohttp_client', cls: 'AioHttpClientInstrumentor' },
};

const QUEUE_TEMPLATES: Record<string, string> = {
  'kafka-python': 'python/kafka-python-propagation.py',
  'confluent-kafka': 'python/confluent-kafka-propagation.py',
  pika: 'python/pika-propagation.py',
};

const THREAD_HANDOFF = /\b(?:ThreadPoolExecutor\(|threading\.Thread\(|Thread\(target=|run_in_executor\()/;

async function httpClientProposals(
  ctx: PlanContext,
  service: Service,
  setupPath: string,
  setup: string,
): Promise<Proposal[]> {
  const head = serviceHeads(STEP, service);
  const missing = Object.keys(CLIENT_INSTRUMENTORS).filter(
    (c) => service.httpClients.some((h) => h.name === c) && !setup.includes(CLIENT_INSTRUMENTORS[c]!.cls),
  );
  const anchor = /^def instrument_clients\(\):\n(?:[ ]+"""[^\n]*"""\n)?/m.exec(setup);
  if (missing.length === 0 || !anchor) return [];
  const proposals: Proposal[] = [];
  const detection = await detectPythonManager(ctx, service);
  const pkgs = missing.map((c) => INSTRUMENTATIONS[c]!);
  const depsHead = head(
    'client-packages',
    'Add the HTTP client instrumentations',
    'They inject traceparent into every outgoing request.',
  );
  proposals.push(
    ...(detection.ok
      ? await addPythonPackages(ctx, service, detection.manager, pkgs, depsHead)
      : [note(depsHead, `${detection.reason} Add there: ${pkgs.map((p) => `${p.name}==${p.version}`).join(' ')}`)]),
  );
  const calls = missing
    .map(
      (c) =>
        `    from ${CLIENT_INSTRUMENTORS[c]!.module} import ${CLIENT_INSTRUMENTORS[c]!.cls}\n\n    ${CLIENT_INSTRUMENTORS[c]!.cls}().instrument()\n`,
    )
    .join('');
  const withoutReturn = setup.slice(anchor.index + anchor[0].length).startsWith('    return\n');
  const old = withoutReturn ? `${anchor[0]}    return\n` : anchor[0];
  proposals.push(
    editFile(
      head(
        'client-instrumentation',
        `Instrument ${missing.join(', ')} calls`,
        'Each outgoing call then carries the W3C traceparent header to the next service.',
        proposals.filter((p) => p.change.kind === 'edit').map((p) => p.id),
      ),
      setupPath,
      [{ old, new: anchor[0] + calls }],
    ),
  );
  return proposals;
}

async function planService(ctx: PlanContext, service: Service): Promise<Proposal[]> {
  if (foreignTracing(service).length > 0) return [];
  if (!(await hasOpenTelemetry(ctx, service))) return [];
  const head = serviceHeads(STEP, service);
  const proposals: Proposal[] = [];
  const setupPath = setupModulePath(service);
  const setup = await ctx.repo.read(setupPath);
  if (setup !== undefined) proposals.push(...(await httpClientProposals(ctx, service, setupPath, setup)));

  const seen = new Set<string>();
  for (const queue of service.queueClients) {
    const template = QUEUE_TEMPLATES[queue.name];
    if (!template || seen.has(queue.name)) continue;
    seen.add(queue.name);
    const text = await ctx.repo.read(queue.evidence.file);
    if (
      text !== undefined &&
      /\bopentelemetry\.propagate\b/.test(text) &&
      /\binject\(/.test(text) &&
      /\bextract\(/.test(text)
    )
      continue;
    proposals.push(
      note(
        head(
          `queue-context:${queue.name}`,
          `Carry the trace context through ${queue.name} messages`,
          'Without it every consumer starts a new, unrelated trace.',
        ),
        `${queue.name} is used in ${queue.evidence.file}:${queue.evidence.line}. Inject the context into the message headers where messages are produced and extract it where they are consumed, e.g.:\n${await ctx.templates.render(template, {})}`,
      ),
    );
  }

  const files = new Set([
    service.entrypoint?.file,
    ...service.frameworks.map((f) => f.evidence.file),
    ...service.httpClients.map((h) => h.evidence.file),
  ]);
  for (const file of [...files].filter((f): f is string => Boolean(f) && f!.endsWith('.py'))) {
    const text = await ctx.repo.read(file);
    if (text === undefined || !THREAD_HANDOFF.test(text) || /copy_context\(\)|ThreadingInstrumentor/.test(text))
      continue;
    const line = text.slice(0, THREAD_HANDOFF.exec(text)!.index).split('\n').length;
    proposals.push(
      note(
        head(
          `thread-context:${file}`,
          `Hand the trace context to threads in ${file}`,
          'Threads and executors start with an empty context, so their spans would begin new traces.',
        ),
        `${file}:${line} hands work to another thread. Run it inside a copy of the current context (or install opentelemetry-instrumentation-threading and call ThreadingInstrumentor().instrument() in the set-up):\n${await ctx.templates.render('python/thread-context.py', {})}`,
      ),
    );
  }
  return proposals;
}

export const pythonPropagation: Recipe = {
  id: 'python-propagation',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => isPythonWebService(service),
  plan: planService,
};
