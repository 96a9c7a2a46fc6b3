/**
 * What the Python recipes need to know about a service beyond the scan: which tracing is already there, how the
 * server runs (pre-fork, reloader) and where the application object is built.
 */
import path from 'node:path';
import type { Finding, Service } from '../../../types/scan.js';
import { inService, type PlanContext } from '../../../plan/context.js';
import { matchPythonBracket } from '../brackets.js';

export const PYTHON_WEB_FRAMEWORKS = ['flask', 'fastapi', 'django'] as const;
export type PythonWebFramework = (typeof PYTHON_WEB_FRAMEWORKS)[number];

/** Tracers that would compete with OpenTelemetry (sentry is error reporting and is left alone). */
const FOREIGN_TRACERS = new Set(['opentracing', 'jaeger-client', 'zipkin', 'ddtrace', 'newrelic', 'elastic-apm']);

export function webFramework(service: Service): PythonWebFramework | undefined {
  return PYTHON_WEB_FRAMEWORKS.find((f) => service.frameworks.some((x) => x.name === f));
}

export function isPythonWebService(service: Service): boolean {
  return service.language === 'python' && webFramework(service) !== undefined;
}

export function foreignTracing(service: Service): Finding[] {
  return service.tracing.filter((t) => FOREIGN_TRACERS.has(t.name));
}

/** The repo-relative path of the set-up module this service has or would get. */
export function setupModulePath(service: Service): string {
  const command = service.start?.command ?? '';
  const script = /\bpython[\d.]*\s+(?:-u\s+)?([\w./-]+\.py)\b/.exec(command)?.[1];
  if (script && !/(?:^|\/)manage\.py$/.test(script)) {
    const dir = path.posix.dirname(script.replace(/^\.\//, ''));
    return inService(service, dir === '.' ? 'otel_setup.py' : `${dir}/otel_setup.py`);
  }
  return inService(service, 'otel_setup.py');
}

/**
 * OpenTelemetry already started for this service: our set-up module, the wrapper, or OpenTelemetry imported in the
 * code. Packages listed in a manifest alone do not count (a half-done set-up still gets the rest proposed).
 */
export async function hasOpenTelemetry(ctx: PlanContext, service: Service): Promise<boolean> {
  if (await ctx.repo.exists(setupModulePath(service))) return true;
  if (/\bopentelemetry-instrument\b/.test(service.start?.command ?? '')) return true;
  return service.tracing.some((t) => t.name === 'opentelemetry' && t.evidence.file.endsWith('.py'));
}

export type ServerModel =
  | { kind: 'gunicorn'; config: string; preload: boolean }
  | { kind: 'uvicorn-multiprocess'; flags: string[] }
  | { kind: 'flask-reloader'; evidence: string }
  | { kind: 'django-runserver' }
  | { kind: 'single-process' };

/** How the service's server runs, which decides where the SDK may start. */
export async function serverModel(
  ctx: PlanContext,
  service: Service,
  appFileText: string | undefined,
): Promise<ServerModel> {
  const command = service.start?.command ?? '';
  if (/\bgunicorn\b/.test(command)) {
    const configFlag = /(?:^|\s)(?:-c|--config)[= ]\s*(?:python:)?([\w./-]+\.py)\b/.exec(command)?.[1];
    const config = inService(service, configFlag ?? 'gunicorn.conf.py');
    const configText = (await ctx.repo.read(config)) ?? '';
    const preload = /--preload\b/.test(command) || /^preload_app\s*=\s*True\b/m.test(configText);
    return { kind: 'gunicorn', config, preload };
  }
  if (/\buvicorn\b/.test(command)) {
    const flags = [...command.matchAll(/(--reload|--workers)\b/g)].map((m) => m[1]!);
    if (flags.length > 0) return { kind: 'uvicorn-multiprocess', flags };
  }
  if (webFramework(service) === 'django' && /\brunserver\b/.test(command) && !/--noreload\b/.test(command)) {
    return { kind: 'django-runserver' };
  }
  const debugRun = appFileText ? /\.run\([^)]*\bdebug\s*=\s*True\b[^)]*\)/.exec(appFileText) : null;
  if (debugRun && !/use_reloader\s*=\s*False/.test(debugRun[0]))
    return { kind: 'flask-reloader', evidence: debugRun[0] };
  if (/(?:^|\s)--debug\b|\bFLASK_DEBUG=(?:1|true)\b/i.test(command))
    return { kind: 'flask-reloader', evidence: command };
  return { kind: 'single-process' };
}

/** The one top-level `name = Flask(...)` / `FastAPI(...)`: its variable, where it starts and the offset after its line. */
export function appStatement(
  text: string,
  ctor: 'Flask' | 'FastAPI',
): { variable: string; start: number; end: number } | undefined {
  const re = new RegExp(`^(\\w+)[ \\t]*(?::[^=\\n]+)?=[ \\t]*${ctor}\\(`, 'gm');
  const matches = [...text.matchAll(re)];
  if (matches.length !== 1) return undefined;
  const m = matches[0]!;
  const close = matchPythonBracket(text, m.index + m[0].length - 1);
  if (close === -1) return undefined;
  const eol = text.indexOf('\n', close);
  const rest = text.slice(close + 1, eol === -1 ? text.length : eol);
  if (rest.trim() !== '' && !rest.trim().startsWith('#')) return undefined;
  return { variable: m[1]!, start: m.index, end: eol === -1 ? text.length : eol + 1 };
}
