/**
 * Step 4 for Go services: the trace context crosses process boundaries. Outbound HTTP goes through otelhttp's transport
 * with the request's context (generated tracedHTTPClient / tracedGet… helpers, Client literals wrapped,
 * NewRequest → NewRequestWithContext); Kafka and AMQP clients get a generated header carrier and a note on where to
 * inject and extract; goroutines started in handlers without the context get a note; the W3C propagator is checked.
 */
import path from 'node:path';
import type { Service } from '../../../types/scan.js';
import { createFile, editFile, note, serviceHeads } from '../../../plan/proposal-builders.js';
import type { PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { hasOtelSetup, otherTracers } from './existing-tracing.js';
import { GoEditSet } from './go-file-edit.js';
import { goGetProposal, missingPins, type ModulePin } from './go-get.js';
import { findHandlers } from './go-handlers.js';
import { goModOf, goSources, samePackage, type GoSource } from './go-sources.js';
import { lineAt, lineNumber, parenContent } from './go-syntax.js';
import { planQueuePropagation } from './message-carriers.js';
import { MODULES, otelReleaseFor } from './otel-releases.js';
import { rewriteOutboundHttp } from './outbound-http.js';

const STEP = 'propagation' as const;
const HTTP_CLIENT_FILE = 'otel_http_client.go';
const PROPAGATOR =
  '\totel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))\n';

/** The edit that sets the W3C propagator right after the tracer provider, when the set-up sets none. */
function propagatorEdit(sources: readonly GoSource[], edits: GoEditSet): string | undefined {
  if (sources.some((s) => /\botel\.SetTextMapPropagator\(/.test(s.text))) return undefined;
  const setup = sources.find((s) => /\botel\.SetTracerProvider\(/.test(s.text));
  if (!setup) return undefined;
  const at = /\botel\.SetTracerProvider\(/.exec(setup.text)!.index;
  const call = parenContent(setup.text, at + 'otel.SetTracerProvider'.length);
  const line = lineAt(setup.text, at);
  if (!call || call.close >= line.end || setup.text.slice(call.close + 1, line.end).trim() !== '') return undefined;
  const edit = edits.for(setup);
  if (!edit.insertAfter(line.text, PROPAGATOR.replace(/^\t/, /^[ \t]*/.exec(line.text)![0]))) return undefined;
  edit.need({ path: 'go.opentelemetry.io/otel/propagation' });
  return setup.path;
}

/** `go func(…) {` statements inside request handlers whose parameters take no context.Context. */
function goroutinesWithoutContext(sources: readonly GoSource[]): string[] {
  const { handlers } = findHandlers(sources);
  const out: string[] = [];
  for (const h of handlers) {
    const text = sources.find((s) => s.path === h.file)!.text;
    const body = text.slice(h.open, h.close);
    for (const m of body.matchAll(/\bgo\s+func\s*\(([^)]*)\)\s*\{/g)) {
      if (/context\.Context/.test(m[1]!)) continue;
      out.push(`- ${h.file}:${lineNumber(text, h.open + m.index)} (in ${h.route})`);
    }
  }
  return out;
}

export const goPropagation: Recipe = {
  id: 'go-propagation',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => service.language === 'go',
  async plan(ctx: PlanContext, service: Service): Promise<Proposal[]> {
    const head = serviceHeads(STEP, service);
    const sources = await goSources(ctx, service);
    if (!hasOtelSetup(sources) || otherTracers(service).length > 0) return []; // step 2 first
    const proposals: Proposal[] = [];
    const edits = new GoEditSet();
    const gomod = await goModOf(ctx, service);
    const { release } = otelReleaseFor(gomod?.mod.goVersion);
    const pins: ModulePin[] = [];

    const propagatorFile = propagatorEdit(sources, edits);

    // Outbound HTTP: every file but the generated set-up and helpers.
    const helperDirs = new Map<string, GoSource>();
    const leftAlone: string[] = [];
    const changes = new Map<string, string[]>();
    for (const source of sources) {
      if (/\botel\.SetTracerProvider\(|\btracedHTTPClient\s*=/.test(source.text)) continue;
      if (!/(?<![\w.])http\.(?:Get|Post|Head|PostForm|NewRequest|DefaultClient|Client\s*\{)/.test(source.text))
        continue;
      const result = rewriteOutboundHttp(edits.for(source));
      leftAlone.push(...result.leftAlone);
      if (result.changes.length) changes.set(source.path, result.changes);
      if (result.usesHelpers) helperDirs.set(path.posix.dirname(source.path), source);
      if (result.usesOtelhttp || result.usesHelpers) pins.push({ path: MODULES.otelhttp, version: release.otelhttp });
    }
    const helperIds: string[] = [];
    for (const [dir, source] of helperDirs) {
      if (samePackage(sources, source.path).some((s) => /\btracedHTTPClient\s*=/.test(s.text))) continue;
      const file = dir === '.' ? HTTP_CLIENT_FILE : `${dir}/${HTTP_CLIENT_FILE}`;
      const slug = helperDirs.size === 1 ? 'http-client' : `http-client-${dir.replace(/[^\w]+/g, '-')}`;
      proposals.push(
        createFile(
          head(
            slug,
            `Add ${file}: an HTTP client with otelhttp's transport`,
            'Requests through otelhttp’s transport get a CLIENT span and the traceparent header the next service continues from.',
          ),
          file,
          await ctx.templates.render('go/otel_http_client.go.tmpl', {
            packageName: /^package\s+(\w+)/m.exec(source.text)?.[1] ?? 'main',
          }),
        ),
      );
      helperIds.push(`${service.id}:${slug}`);
    }

    for (const file of edits.finished()) {
      const what = [
        ...(file.path === propagatorFile ? ['set the W3C trace-context + baggage propagator'] : []),
        ...(changes.get(file.path) ?? []),
      ];
      proposals.push(
        editFile(
          head(
            file.path === propagatorFile ? 'propagator' : `outbound-${path.posix.basename(file.path, '.go')}`,
            `Edit ${file.path}: ${[...new Set(what)].join('; ')}`,
            file.path === propagatorFile
              ? 'Without a propagator Go injects and extracts nothing, so every service starts its own trace.'
              : 'Outbound requests carry the trace only when sent through an instrumented transport with the request’s context.',
            helperIds,
          ),
          file.path,
          file.pairs,
        ),
      );
    }

    const moduleRoot = gomod?.mod.module || service.name;
    const queues = await planQueuePropagation(ctx, service, sources, `${moduleRoot}/messaging`);
    for (const carrier of queues.carriers) {
      proposals.push(
        createFile(
          head(
            `${carrier.library}-carrier`,
            `Add ${carrier.path}: trace context in ${carrier.library} message headers`,
            'A message carries the trace only in its headers: the producer injects, the consumer extracts.',
          ),
          carrier.path,
          carrier.content,
        ),
      );
    }
    if (queues.note)
      proposals.push(
        note(
          head(
            'queue-propagation',
            `Inject and extract the trace context around the messages of ${service.id}`,
            'Produce and consume calls must use the carrier, or producer and consumer end up in separate traces.',
            queues.carriers.map((c) => `${service.id}:${c.library}-carrier`),
          ),
          queues.note,
        ),
      );

    if (
      service.httpClients.some((c) => c.name === 'resty') &&
      !sources.some((s) => /otelhttp\.NewTransport\(/.test(s.text) && /resty/.test(s.text))
    ) {
      proposals.push(
        note(
          head(
            'resty-transport',
            `Trace the resty client of ${service.id}`,
            'resty sends through its own http.Client.',
          ),
          'Give the resty client otelhttp’s transport and the request context: `client := resty.New().SetTransport(otelhttp.NewTransport(http.DefaultTransport))` and `client.R().SetContext(ctx).Get(url)`.',
        ),
      );
    }
    if (leftAlone.length > 0) {
      proposals.push(
        note(
          head(
            'outbound-by-hand',
            `Pass the request context to the remaining outbound calls of ${service.id}`,
            'These calls could not be rewritten with confidence.',
          ),
          `Left alone:\n${leftAlone.join('\n')}\nBuild the request with http.NewRequestWithContext(ctx, …) from the handler's context and send it with a client whose Transport is otelhttp.NewTransport(http.DefaultTransport).`,
        ),
      );
    }
    const goroutines = goroutinesWithoutContext(sources);
    if (goroutines.length > 0) {
      proposals.push(
        note(
          head(
            'goroutine-context',
            `Hand the request context to the goroutines of ${service.id}`,
            'A goroutine without the context starts spans outside the request’s trace.',
          ),
          await ctx.templates.render('go/goroutines-note.md.tmpl', { places: goroutines.join('\n') }),
        ),
      );
    }

    const needed = gomod ? missingPins(gomod.mod, dedupe(pins)) : dedupe(pins);
    if (needed.length > 0) {
      const after = proposals.filter((p) => p.change.kind === 'create' || p.change.kind === 'edit').map((p) => p.id);
      proposals.push(
        await goGetProposal(
          ctx,
          service,
          head(
            'go-get-otelhttp',
            `Add otelhttp to ${service.id}/go.mod`,
            `The outbound transport comes from otelhttp ${release.otelhttp}, the release that matches the service's otel ${release.otel}.`,
            after,
          ),
          needed,
        ),
      );
    }
    return proposals;
  },
};

function dedupe(pins: readonly ModulePin[]): ModulePin[] {
  return [...new Map(pins.map((p) => [p.path, p])).values()];
}
