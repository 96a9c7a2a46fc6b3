/**
 * sdk-starts-before-app: instrumentation patches modules as they load, so the SDK must start first. Node: the start
 * command loads the setup (or the register module) with --require / --import, or a CommonJS entry requires the setup
 * before express / http (an ESM app needs --import: static imports load before any code runs). Python: the process runs
 * under opentelemetry-instrument, or the entry module starts the SDK and instruments the app (instrument_app on the
 * instance, or a global instrument() before the app is created); pre-fork servers with --preload need post_fork.
 * Go: main sets the tracer provider before it builds the router.
 */
import path from 'node:path';
import type { Service } from '../../../types/scan.js';
import type { Check } from '../../check.js';
import { braceFunctions, evidence, type SourceFile } from '../../../source-reading/code.js';
import { combine, type Finding } from './support/result.js';
import { javaStartFinding } from './support/java-agent-findings.js';
import { javaServices } from '../../../source-reading/java-agent.js';
import { checkedServices } from '../../../source-reading/repo-files.js';
import { sdkSetup, type SdkSetup } from '../../../source-reading/sdk-setup.js';

const ITEM = 'sdk-starts-before-app';

export const sdkStartsBeforeApp: Check = {
  itemId: ITEM,
  async run(ctx) {
    const findings: Finding[] = [];
    for (const service of checkedServices(ctx)) {
      const setup = await sdkSetup(ctx, service);
      if (service.language === 'node') findings.push(nodeFinding(service, setup));
      else if (service.language === 'python') findings.push(pythonFinding(service, setup));
      else findings.push(goFinding(service, setup));
    }
    for (const service of javaServices(ctx)) findings.push(await javaStartFinding(ctx, service));
    return combine(ITEM, findings, 'no Node, Python, Go or Java service to check');
  },
};

const NODE_APP_MODULES =
  /^(?:node:)?(?:https?|http2)$|^(?:express|fastify|koa|@hapi\/hapi|restify|next|@nestjs\/core|@nestjs\/platform-express|connect|polka|hono)$/;

function stripExt(p: string): string {
  return p.replace(/\.(?:[cm]?js|[cm]?ts)$/, '');
}

/** Repo-relative path a relative specifier points at, without extension. */
function resolveSpec(fromDir: string, spec: string): string {
  return stripExt(path.posix.normalize(path.posix.join(fromDir, spec)));
}

function nodeFinding(service: Service, setup: SdkSetup): Finding {
  if (setup.agentStart) {
    return {
      status: 'pass',
      message: `${service.name}: started with the register module before the app (${setup.agentStart.command})`,
      evidence: [setup.agentStart.evidence],
    };
  }
  const setupPaths = new Set(setup.setupFiles.map((f) => stripExt(f.path)));
  const root = service.root === '.' ? '' : service.root;
  for (const start of setup.starts) {
    for (const m of start.command.matchAll(/(?:--require|-r|--import)[=\s]+['"]?([^\s'"]+)/g)) {
      const target = resolveSpec(root, m[1]!);
      if (setupPaths.has(target) || /^@opentelemetry\//.test(m[1]!)) {
        return {
          status: 'pass',
          message: `${service.name}: the start command loads ${m[1]} before the app`,
          evidence: [start.evidence],
        };
      }
    }
  }
  if (setup.setupFiles.length === 0) {
    return {
      status: 'fail',
      message: `${service.name}: no OpenTelemetry SDK setup and no --require/--import of @opentelemetry/auto-instrumentations-node/register`,
      evidence: setup.starts.map((s) => s.evidence),
      fix: 'Create a tracing setup file that starts NodeSDK and load it first: node --require ./tracing.cjs server.js (ESM: --import ./tracing.mjs).',
    };
  }
  const entry = setup.files.find((f) => f.path === service.entrypoint?.file);
  const setupEvidence = setup.setupFiles.map((f) => ({ file: f.path, line: 1 }));
  if (!entry) {
    return {
      status: 'fail',
      message: `${service.name}: ${setup.setupFiles[0]!.path} exists but no start command loads it with --require/--import`,
      evidence: [...setupEvidence, ...setup.starts.map((s) => s.evidence)],
      fix: `Start the service with node --require ./${path.posix.basename(setup.setupFiles[0]!.path)} <entry> so the SDK patches modules before they load.`,
    };
  }
  const esm = service.moduleSystem === 'esm' || /\.mjs$/.test(entry.path) || /^\s*import\s[^(]/m.test(entry.code);
  const dir = path.posix.dirname(entry.path);
  let setupAt: number | undefined;
  let appAt: number | undefined;
  let appName = '';
  for (const m of entry.code.matchAll(
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm,
  )) {
    const spec = (m[1] ?? m[2])!;
    if (spec.startsWith('.') && setupPaths.has(resolveSpec(dir, spec))) setupAt ??= m.index;
    else if (NODE_APP_MODULES.test(spec) && appAt === undefined) {
      appAt = m.index;
      appName = spec;
    }
  }
  if (setupAt === undefined) {
    return {
      status: 'fail',
      message: `${service.name}: ${entry.path} never loads the SDK setup and no start command --require's it`,
      evidence: [...setupEvidence, ...setup.starts.map((s) => s.evidence)],
      fix: `Load the setup before the app: node ${esm ? '--import' : '--require'} ./${path.posix.basename(setup.setupFiles[0]!.path)} ${path.posix.basename(entry.path)}.`,
    };
  }
  if (esm) {
    return {
      status: 'fail',
      message: `${service.name}: an ES module imports the SDK setup, but static imports load before any code runs, so ${appName || 'the app'} is not patched`,
      evidence: [evidence(entry, setupAt)],
      fix: `Start with node --import ./${path.posix.basename(setup.setupFiles[0]!.path)} ${path.posix.basename(entry.path)} (the setup also calls module.register for the instrumentation hook).`,
    };
  }
  if (appAt !== undefined && appAt < setupAt) {
    return {
      status: 'fail',
      message: `${service.name}: ${entry.path} loads ${appName} before the SDK setup, so ${appName} is never patched`,
      evidence: [evidence(entry, appAt), evidence(entry, setupAt)],
      fix: `Move the setup require to the first line of ${entry.path}, or start with node --require ./${path.posix.basename(setup.setupFiles[0]!.path)}.`,
    };
  }
  return {
    status: 'pass',
    message: `${service.name}: ${entry.path} requires the SDK setup before ${appName || 'anything else'}`,
    evidence: [evidence(entry, setupAt)],
  };
}

const PY_APP = /\b(?:Flask|FastAPI|Starlette|Quart|Sanic|get_wsgi_application|get_asgi_application)\s*\(/;
const PY_GLOBAL_INSTRUMENT =
  /\b(?:Flask|Django|FastAPI|Starlette|Falcon|Pyramid|Tornado)Instrumentor\s*\(\s*\)\s*\.instrument\s*\(/;

function pythonFinding(service: Service, setup: SdkSetup): Finding {
  const gunicorn = setup.starts.find((s) => /\bgunicorn\b/.test(s.command));
  const preload = gunicorn && /--preload\b/.test(gunicorn.command);
  const gunicornConf = setup.files.find(
    (f) => /\bpreload_app\s*=\s*True/.test(f.code) || /\bdef\s+post_fork\s*\(/.test(f.code),
  );
  const postFork = setup.files.find((f) => /\bdef\s+post_fork\s*\(/.test(f.code));
  const preloads = preload || (gunicornConf && /\bpreload_app\s*=\s*True/.test(gunicornConf.code));
  if (gunicorn && preloads && !postFork) {
    return {
      status: 'fail',
      message: `${service.name}: gunicorn preloads the app in the master, so the SDK's export thread is lost at fork and no post_fork hook starts it again`,
      evidence: [gunicorn.evidence],
      fix: 'Start the SDK in a gunicorn post_fork hook (gunicorn.conf.py: def post_fork(server, worker): configure_tracing()), or drop --preload.',
    };
  }
  if (setup.agentStart) {
    return {
      status: 'pass',
      message: `${service.name}: runs under opentelemetry-instrument (${setup.agentStart.command})`,
      evidence: [setup.agentStart.evidence],
    };
  }
  if (postFork && gunicorn) {
    return {
      status: 'pass',
      message: `${service.name}: gunicorn's post_fork hook starts the SDK in each worker`,
      evidence: [evidence(postFork, postFork.code.search(/\bdef\s+post_fork/))],
    };
  }
  if (setup.setupFiles.length === 0) {
    return {
      status: 'fail',
      message: `${service.name}: not started with opentelemetry-instrument and no TracerProvider set up in code`,
      evidence: setup.starts.map((s) => s.evidence),
      fix: 'Run the service as opentelemetry-instrument <command>, or set the tracer provider in a setup module imported first by the entry module.',
    };
  }
  const entry =
    setup.files.find((f) => f.path === service.entrypoint?.file) ?? setup.files.find((f) => PY_APP.test(f.code));
  if (!entry) {
    return {
      status: 'warn',
      message: `${service.name}: an SDK setup exists but the entry module is unknown, so its order cannot be checked`,
      evidence: setup.setupFiles.map((f) => ({ file: f.path, line: 1 })),
    };
  }
  const setupModules = setup.setupFiles.map((f) => path.posix.basename(f.path, '.py'));
  const setupFns = new Set(setup.setupFiles.flatMap((f) => [...f.code.matchAll(/^def\s+(\w+)/gm)].map((m) => m[1]!)));
  let setupAt: number | undefined;
  const mods = setupModules.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const importRe = new RegExp(
    `^\\s*(?:from\\s+[\\w.]*\\b(?:${mods})\\b\\s+import|import\\s+[\\w.]*\\b(?:${mods})\\b)`,
    'm',
  );
  const im = importRe.exec(entry.code);
  if (setup.setupFiles.includes(entry)) setupAt = entry.code.search(/\bTracerProvider\s*\(|set_tracer_provider\s*\(/);
  if (im && (setupAt === undefined || im.index < setupAt)) setupAt = im.index;
  if (setupAt === undefined) {
    return {
      status: 'fail',
      message: `${service.name}: ${entry.path} never imports the SDK setup (${setupModules.join(', ')}) and the service is not started with opentelemetry-instrument`,
      evidence: [{ file: entry.path, line: 1 }, ...setup.setupFiles.map((f) => ({ file: f.path, line: 1 }))],
      fix: `Import and call the setup in ${entry.path} before the app serves requests, or run under opentelemetry-instrument.`,
    };
  }
  // A call of a setup function in the entry (configure_tracing()) if the import only brings names in.
  const calls = [...entry.code.matchAll(/^\s*(\w+)\s*\(/gm)].filter((m) => setupFns.has(m[1]!));
  const appMatch = PY_APP.exec(entry.code);
  const all = [entry, ...setup.setupFiles];
  const instrumentsApp = all.some((f) => /\binstrument_app\s*\(/.test(f.code));
  const globalIn = all.map((f) => ({ f, m: PY_GLOBAL_INSTRUMENT.exec(f.code) })).find((x) => x.m);
  if (!instrumentsApp && !globalIn) {
    return {
      status: 'fail',
      message: `${service.name}: the SDK is set up but nothing instruments the web framework (no instrument_app / Instrumentor().instrument())`,
      evidence: [evidence(entry, setupAt)],
      fix: "Call FlaskInstrumentor().instrument_app(app) (or the framework's instrumentor) after the app is created, or run under opentelemetry-instrument.",
    };
  }
  if (!instrumentsApp && globalIn && appMatch) {
    // A global patch must run before the framework's app class is instantiated.
    const patchAt = globalIn.f === entry ? globalIn.m!.index : (calls[0]?.index ?? setupAt);
    if (patchAt > appMatch.index) {
      return {
        status: 'fail',
        message: `${service.name}: ${entry.path} creates the app before the framework instrumentor patches it`,
        evidence: [evidence(entry, appMatch.index), evidence(entry, patchAt)],
        fix: 'Import and run the OpenTelemetry setup before the app is created, or use instrument_app(app) on the instance.',
      };
    }
  }
  const where = calls[0] ? evidence(entry, calls[0].index) : evidence(entry, setupAt);
  return {
    status: 'pass',
    message: `${service.name}: ${entry.path} starts the SDK and instruments the app at import time`,
    evidence: [where],
  };
}

const GO_ROUTER =
  /\bgin\.(?:New|Default)\s*\(|\bhttp\.NewServeMux\s*\(|\bmux\.NewRouter\s*\(|\bchi\.NewRouter\s*\(|\becho\.New\s*\(|\bfiber\.New\s*\(|\bhttp\.ListenAndServe(?:TLS)?\s*\(|\bhttp\.HandleFunc\s*\(|\bhttp\.Handle\s*\(/;

function goFinding(service: Service, setup: SdkSetup): Finding {
  if (setup.setupFiles.length === 0) {
    return {
      status: 'fail',
      message: `${service.name}: no otel.SetTracerProvider anywhere, so every tracer is a no-op`,
      evidence: service.entrypoint ? [service.entrypoint.evidence] : [],
      fix: 'Create the tracer provider (sdktrace.NewTracerProvider) and call otel.SetTracerProvider first thing in main.',
    };
  }
  // Functions (by name) that set the provider, directly or through one call.
  const setters = new Set<string>();
  const bodies: { file: SourceFile; name: string; start: number; end: number }[] = [];
  for (const f of setup.files)
    for (const r of braceFunctions(f)) if (r.name) bodies.push({ file: f, name: r.name, start: r.start, end: r.end });
  for (const b of bodies) if (/\bSetTracerProvider\s*\(/.test(b.file.code.slice(b.start, b.end))) setters.add(b.name);
  for (const b of bodies)
    if ([...setters].some((s) => new RegExp(`\\b${s}\\s*\\(`).test(b.file.code.slice(b.start, b.end))))
      setters.add(b.name);
  const init = bodies.find((b) => b.name === 'init' && setters.has('init'));
  if (init)
    return {
      status: 'pass',
      message: `${service.name}: init() sets the tracer provider before main runs`,
      evidence: [evidence(init.file, init.start)],
    };
  const main = bodies.find((b) => b.name === 'main');
  if (!main)
    return {
      status: 'warn',
      message: `${service.name}: a tracer provider is set up but no func main was found to check the order`,
      evidence: setup.setupFiles.map((f) => ({ file: f.path, line: 1 })),
    };
  const body = main.file.code.slice(main.start, main.end);
  const names = [...setters, 'SetTracerProvider'].filter((n) => n !== 'main');
  const setAt = names
    .map((n) => body.search(new RegExp(`\\b${n}\\s*\\(`)))
    .filter((i) => i >= 0)
    .sort((a, b) => a - b)[0];
  const routerAt = body.search(GO_ROUTER);
  if (setAt === undefined) {
    return {
      status: 'fail',
      message: `${service.name}: main never calls the tracing setup (${[...setters].join(', ') || 'SetTracerProvider'})`,
      evidence: [evidence(main.file, main.start)],
      fix: 'Call the tracing setup first thing in main and defer its shutdown.',
    };
  }
  if (routerAt >= 0 && routerAt < setAt) {
    return {
      status: 'fail',
      message: `${service.name}: main builds the router before it sets the tracer provider`,
      evidence: [evidence(main.file, main.start + routerAt), evidence(main.file, main.start + setAt)],
      fix: 'Move the tracing setup to the top of main, before the router and its middleware are created.',
    };
  }
  return {
    status: 'pass',
    message: `${service.name}: main sets the tracer provider before building the router`,
    evidence: [evidence(main.file, main.start + setAt)],
  };
}
