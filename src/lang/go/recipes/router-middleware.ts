/**
 * Wrapping a Go service's router in OpenTelemetry's server middleware, so every incoming request gets a SERVER span
 * with the caller's context extracted: otelgin for Gin, otelecho for Echo, otelhttp.NewHandler for net/http (and the
 * http.Handler routers chi and gorilla/mux).
 */
import { GoFileEdit } from './go-file-edit.js';
import type { GoSource } from './go-sources.js';
import { lineAt, parenContent, splitArgs } from './go-syntax.js';
import { MODULES } from './otel-releases.js';

export type RouterKind = 'gin' | 'echo' | 'net/http';

export interface RouterWrap {
  /** The module the middleware lives in. */
  module: string;
  description: string;
}

/** Whether the sources already use the middleware of that router kind. */
export function routerAlreadyWrapped(kind: RouterKind, sources: readonly GoSource[]): boolean {
  const pattern = {
    gin: /\botelgin\.Middleware\(/,
    echo: /\botelecho\.Middleware\(/,
    'net/http': /\botelhttp\.(?:NewHandler|NewMiddleware)\(/,
  }[kind];
  return sources.some((s) => pattern.test(s.text));
}

/** Adds `<router>.Use(middleware)` right after the router is built (the first middleware, so it sees every request). */
function useAfterConstruction(edit: GoFileEdit, constructor: RegExp, middleware: string): boolean {
  const m = constructor.exec(edit.current);
  if (!m) return false;
  const line = lineAt(edit.current, m.index);
  const indent = /^[ \t]*/.exec(line.text)![0];
  const end = line.text.endsWith('\n') ? line.text : line.text + '\n';
  return edit.replace(line.text, `${end}${indent}${m[1]}.Use(${middleware})\n`);
}

export function wrapGin(edit: GoFileEdit, serviceName: string): RouterWrap | undefined {
  if (
    !useAfterConstruction(
      edit,
      /^[ \t]*(\w+)\s*:?=\s*gin\.(?:New|Default)\(\)[ \t]*$/m,
      `otelgin.Middleware(${JSON.stringify(serviceName)})`,
    )
  )
    return undefined;
  edit.need({ path: MODULES.otelgin });
  return { module: MODULES.otelgin, description: 'otelgin.Middleware as the first middleware of the Gin engine' };
}

export function wrapEcho(edit: GoFileEdit, serviceName: string): RouterWrap | undefined {
  if (
    !useAfterConstruction(
      edit,
      /^[ \t]*(\w+)\s*:?=\s*echo\.New\(\)[ \t]*$/m,
      `otelecho.Middleware(${JSON.stringify(serviceName)})`,
    )
  )
    return undefined;
  edit.need({ path: MODULES.otelecho });
  return { module: MODULES.otelecho, description: 'otelecho.Middleware as the first middleware of the Echo instance' };
}

/** Wraps the handler given to http.ListenAndServe(TLS) or to an http.Server's Handler field. */
export function wrapNetHttp(edit: GoFileEdit, serviceName: string): RouterWrap | undefined {
  const source = { text: edit.current };
  const wrap = (handler: string) =>
    `otelhttp.NewHandler(${handler === 'nil' ? 'http.DefaultServeMux' : handler}, ${JSON.stringify(serviceName)})`;

  for (const m of source.text.matchAll(/\bhttp\.ListenAndServe(TLS)?\(/g)) {
    const open = m.index + m[0].length - 1;
    const call = parenContent(source.text, open);
    if (!call) continue;
    const args = splitArgs(call.inner);
    const handlerAt = m[1] ? 3 : 1;
    if (args.length !== handlerAt + 1) continue;
    const rebuilt = args.map((a, i) => (i === handlerAt ? wrap(a) : a)).join(', ');
    const oldCall = source.text.slice(m.index, call.close + 1);
    if (edit.replace(oldCall, `${m[0]}${rebuilt})`)) {
      edit.need({ path: MODULES.otelhttp });
      return {
        module: MODULES.otelhttp,
        description: 'otelhttp.NewHandler around the handler the server listens with',
      };
    }
  }

  const server = /\bhttp\.Server\s*\{/.exec(source.text);
  if (server) {
    const rest = source.text.slice(server.index);
    const field = /^([ \t]*Handler:\s*)([^\n]+?)(,?)[ \t]*$/m.exec(rest);
    if (field && !field[2]!.includes('{')) {
      const oldLine = field[0];
      if (edit.replace(oldLine, `${field[1]}${wrap(field[2]!.trim())}${field[3]}`)) {
        edit.need({ path: MODULES.otelhttp });
        return { module: MODULES.otelhttp, description: "otelhttp.NewHandler around the http.Server's Handler" };
      }
    }
  }
  return undefined;
}
