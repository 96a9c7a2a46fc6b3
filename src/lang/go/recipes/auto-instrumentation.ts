/**
 * Step 2 for Go services (Gin, Echo, net/http and the http.Handler routers): a generated tracing.go in the main package
 * that sets up the tracer provider and the W3C propagator, main calling it before the router is built (deferring the
 * flush), the router wrapped in OpenTelemetry's middleware, and `go get` of pinned, mutually compatible modules.
 * A service that already sets up OpenTelemetry gets nothing for that part; one with another tracer gets a migration note.
 */
import path from 'node:path';
import type { Service } from '../../../types/scan.js';
import { createFile, editFile, note, serviceHeads } from '../../../plan/proposal-builders.js';
import type { PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { exporterSettings } from '../../../plan/recipes/exporter.js';
import { hasOtelSetup, otherTracers } from './existing-tracing.js';
import { GoEditSet } from './go-file-edit.js';
import { goGetProposal, missingPins, type ModulePin } from './go-get.js';
import { goModOf, goSources, mainFile, samePackage, serviceShortName, type GoSource } from './go-sources.js';
import { MODULES, OTELECHO_VERSION, OTELGIN_VERSION, SEMCONV_IMPORT, otelReleaseFor } from './otel-releases.js';
import {
  routerAlreadyWrapped,
  wrapEcho,
  wrapGin,
  wrapNetHttp,
  type RouterKind,
  type RouterWrap,
} from './router-middleware.js';

const STEP = 'auto-instrumentation' as const;

/** The line main gets first; its presence means main already calls the set-up. */
export const SETUP_CALL =
  '\tshutdownTracing := setupTracing(context.Background())\n\tdefer shutdownTracing(context.Background())\n';

function routerKinds(service: Service): RouterKind[] {
  const names = new Set(service.frameworks.map((f) => f.name));
  const kinds: RouterKind[] = [];
  if (names.has('gin')) kinds.push('gin');
  if (names.has('echo')) kinds.push('echo');
  if (kinds.length === 0 && (names.has('net/http') || names.has('chi') || names.has('gorilla-mux')))
    kinds.push('net/http');
  return kinds;
}

/** Where the generated set-up goes: tracing.go beside main, or otel_tracing.go when tracing.go is taken. */
function tracingFilePath(main: GoSource, sources: readonly GoSource[]): string {
  const dir = path.posix.dirname(main.path);
  const first = dir === '.' ? 'tracing.go' : `${dir}/tracing.go`;
  if (!sources.some((s) => s.path === first)) return first;
  return dir === '.' ? 'otel_tracing.go' : `${dir}/otel_tracing.go`;
}

export const goAutoInstrumentation: Recipe = {
  id: 'go-auto-instrumentation',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => service.language === 'go',
  async plan(ctx: PlanContext, service: Service): Promise<Proposal[]> {
    const head = serviceHeads(STEP, service);
    const sources = await goSources(ctx, service);
    const others = otherTracers(service);
    const otelSetUp = hasOtelSetup(sources);
    if (others.length > 0 && !otelSetUp) {
      const lines = others.map((o) => `- ${o.name} (${o.file}:${o.line}): ${o.advice}`);
      return [
        note(
          head(
            'migrate-tracer',
            `Move ${service.id} from ${others.map((o) => o.name).join(', ')} to OpenTelemetry`,
            'A second tracer beside the existing one would start two unrelated traces per request.',
          ),
          `${service.id} already traces with ${others.map((o) => o.name).join(', ')}. trace-guide does not add a second tracer beside it:\n${lines.join('\n')}\nOnce the old tracer is removed, plan this step again to get the OpenTelemetry set-up.`,
        ),
      ];
    }

    const main = mainFile(service, sources);
    const name = serviceShortName(service);
    const proposals: Proposal[] = [];
    const edits = new GoEditSet();
    const pins: ModulePin[] = [];
    const gomod = await goModOf(ctx, service);
    const { release, raisesGo } = otelReleaseFor(gomod?.mod.goVersion);
    const core = (m: string): ModulePin => ({ path: m, version: release.otel });

    let createdSetup: string | undefined;
    if (!otelSetUp) {
      if (!main) {
        return [
          note(
            head(
              'no-main',
              `Set up OpenTelemetry in ${service.id}`,
              'No func main() was found to call the set-up from.',
            ),
            `No package main with func main() was found in ${service.root}. Add the set-up from the step's reference page where the program starts.`,
          ),
        ];
      }
      const exporter = exporterSettings(ctx);
      const pkg = samePackage(sources, main.path);
      const setupPath = tracingFilePath(main, sources);
      const content = await ctx.templates.render('go/tracing.go.tmpl', {
        serviceName: name,
        protocol: exporter.protocol,
        endpoint: exporter.endpoint,
        samplingRatio: '1.0',
        semconvImport: SEMCONV_IMPORT,
        flushOnSignal: !pkg.some((s) => /\bsignal\.(?:Notify|NotifyContext)\(/.test(s.text)),
      });
      proposals.push(
        createFile(
          head(
            'tracing-setup',
            `Add ${setupPath} (tracer provider, OTLP exporter, W3C propagator)`,
            'Go has no agent: the SDK is set up in code, and without a propagator Go forwards no trace context.',
          ),
          setupPath,
          content,
        ),
      );
      createdSetup = `${service.id}:tracing-setup`;
      pins.push(
        core(MODULES.otel),
        core(MODULES.sdk),
        core(MODULES.trace),
        core(MODULES.otlpHttp),
        core(MODULES.otlpGrpc),
      );

      const mainEdit = edits.for(main);
      if (
        !/\bsetupTracing\(/.test(main.text) &&
        mainEdit.insertAfter(/^func main\(\)\s*\{\n/m.exec(main.text)?.[0] ?? '\u0000', SETUP_CALL)
      ) {
        mainEdit.need({ path: 'context' });
      }
    }

    const wrapped: RouterWrap[] = [];
    for (const kind of routerKinds(service)) {
      if (routerAlreadyWrapped(kind, sources)) continue;
      const candidates = [...(main ? [main] : []), ...sources.filter((s) => s !== main)];
      let done: RouterWrap | undefined;
      for (const source of candidates) {
        const edit = edits.for(source);
        done = kind === 'gin' ? wrapGin(edit, name) : kind === 'echo' ? wrapEcho(edit, name) : wrapNetHttp(edit, name);
        if (done) break;
      }
      if (done) {
        wrapped.push(done);
        const version = kind === 'gin' ? OTELGIN_VERSION : kind === 'echo' ? OTELECHO_VERSION : release.otelhttp;
        pins.push({ path: done.module, version }, core(MODULES.otel));
      } else {
        proposals.push(
          note(
            head(
              `wrap-${kind.replace('/', '-')}`,
              `Wrap the ${kind} router of ${service.id} by hand`,
              'The router is built in a way trace-guide does not edit with confidence.',
            ),
            await ctx.templates.render('go/router-middleware-note.md.tmpl', {
              serviceName: name,
              gin: kind === 'gin',
              echo: kind === 'echo',
              nethttp: kind === 'net/http',
            }),
          ),
        );
      }
    }
    for (const other of service.frameworks.filter((f) => f.name === 'fiber' || f.name === 'grpc')) {
      proposals.push(
        note(
          head(
            `wrap-${other.name}`,
            `Instrument ${other.name} in ${service.id}`,
            'trace-guide has no recipe for this framework yet.',
          ),
          other.name === 'grpc'
            ? 'Add go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc: grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler())) and grpc.WithStatsHandler(otelgrpc.NewClientHandler()) on clients.'
            : 'Fiber is not net/http based: use github.com/gofiber/contrib/otelfiber (app.Use(otelfiber.Middleware())).',
        ),
      );
    }

    const changed = edits.finished();
    const editIds: string[] = [];
    for (const file of changed) {
      const isMain = main !== undefined && file.path === main.path;
      const id = isMain ? 'call-setup' : `wrap-router-${path.posix.basename(file.path, '.go')}`;
      const what = [
        isMain && createdSetup ? 'call setupTracing first and defer the flush' : '',
        ...wrapped.map((w) => w.description),
      ].filter(Boolean);
      proposals.push(
        editFile(
          head(
            id,
            `Edit ${file.path}: ${what.join('; ') || 'tracing'}`,
            'The SDK must be set before the router is built, and the middleware turns each request into a SERVER span.',
            createdSetup ? [createdSetup] : [],
          ),
          file.path,
          file.pairs,
        ),
      );
      editIds.push(`${service.id}:${id}`);
    }

    const needed = gomod ? missingPins(gomod.mod, dedupePins(pins)) : dedupePins(pins);
    if (needed.length > 0) {
      const after = [...(createdSetup ? [createdSetup] : []), ...editIds];
      proposals.push(
        await goGetProposal(
          ctx,
          service,
          head(
            'go-get-otel',
            `Add the OpenTelemetry modules to ${service.id}/go.mod`,
            raisesGo
              ? `OpenTelemetry ${release.otel} needs go ${release.minGo}: this raises the go directive of go.mod.`
              : `One OpenTelemetry release (${release.otel}) that fits the module's go ${gomod?.mod.goVersion ?? ''} directive.`,
            after,
          ),
          needed,
        ),
      );
    }
    return proposals;
  },
};

function dedupePins(pins: readonly ModulePin[]): ModulePin[] {
  const seen = new Map<string, ModulePin>();
  for (const p of pins) if (!seen.has(p.path)) seen.set(p.path, p);
  return [...seen.values()];
}
