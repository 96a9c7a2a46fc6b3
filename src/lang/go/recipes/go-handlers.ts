/**
 * Finding the HTTP handlers of a Go service from its route registrations: Gin (`r.POST("/reserve", h)`), Echo
 * (`e.POST(...)`), chi (`r.Post(...)`) and net/http (`mux.HandleFunc("POST /orders", h)`), with the handler given as a
 * function literal or by name (a function or method declared in the service). Each handler knows its body's position,
 * how to reach the request's context from its parameters, and how to hand a new context on to the request.
 */
import type { GoSource } from './go-sources.js';
import { lineNumber, matchingBrace, parenContent, splitArgs } from './go-syntax.js';

export type HandlerKind = 'gin' | 'echo' | 'net/http';

export interface GoHandler {
  file: string;
  /** `POST /reserve`, or the pattern as registered when it names no method. */
  route: string;
  /** POST, PUT, PATCH or DELETE. */
  mutating: boolean;
  kind: HandlerKind;
  /** The declared function's name, for handlers given by name. */
  funcName?: string;
  /** Index (in the file's text) of the `{` that opens the body, and of its matching `}`. */
  open: number;
  close: number;
  /** The request context expression: c.Request.Context(), c.Request().Context(), r.Context(). */
  requestContext: string;
  /** The statement that puts `ctx` back on the request, with `%CTX%` for the context's variable. */
  attachContext: string;
  line: number;
}

/** A registration whose handler could not be followed to its body (a factory call, another package, ...). */
export interface UnresolvedHandler {
  file: string;
  route: string;
  line: number;
  expression: string;
}

const REGISTRATION = /\b(\w+)\.(GET|POST|PUT|PATCH|DELETE|Any|Get|Post|Put|Patch|Delete|Handle|HandleFunc)\(/g;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FUNC_LITERAL = /^func\s*\(([^)]*)\)\s*(?:error\s*)?\{/;

/** The kind of handler a parameter list makes, with its context expressions; undefined for other signatures. */
export function handlerShape(params: string): Pick<GoHandler, 'kind' | 'requestContext' | 'attachContext'> | undefined {
  const gin = /(\w+)\s+\*gin\.Context\b/.exec(params);
  if (gin && gin[1] !== '_') {
    const c = gin[1]!;
    return {
      kind: 'gin',
      requestContext: `${c}.Request.Context()`,
      attachContext: `${c}.Request = ${c}.Request.WithContext(%CTX%)`,
    };
  }
  const echo = /(\w+)\s+echo\.Context\b/.exec(params);
  if (echo && echo[1] !== '_') {
    const c = echo[1]!;
    return {
      kind: 'echo',
      requestContext: `${c}.Request().Context()`,
      attachContext: `${c}.SetRequest(${c}.Request().WithContext(%CTX%))`,
    };
  }
  const net = /\w+\s+http\.ResponseWriter\s*,\s*(\w+)\s+\*http\.Request\b/.exec(params);
  if (net && net[1] !== '_') {
    const r = net[1]!;
    return { kind: 'net/http', requestContext: `${r}.Context()`, attachContext: `${r} = ${r}.WithContext(%CTX%)` };
  }
  return undefined;
}

function routeOf(method: string, pattern: string): { route: string; mutating: boolean } {
  if (method === 'Handle' || method === 'HandleFunc' || method === 'Any') {
    const m = /^([A-Z]+)\s+(\S.*)$/.exec(pattern);
    return m ? { route: `${m[1]} ${m[2]}`, mutating: MUTATING.has(m[1]!) } : { route: pattern, mutating: false };
  }
  const upper = method.toUpperCase();
  return { route: `${upper} ${pattern}`, mutating: MUTATING.has(upper) };
}

/** Where a named function or method is declared among the sources: exactly one declaration, else undefined. */
function declaration(
  sources: readonly GoSource[],
  name: string,
): { source: GoSource; params: string; open: number } | undefined {
  const pattern = new RegExp(
    `^func\\s+(?:\\(\\s*\\w*\\s*\\*?\\w+(?:\\[[^\\]]*\\])?\\s*\\)\\s*)?${name}\\(([^)]*)\\)\\s*(?:error\\s*)?\\{`,
    'gm',
  );
  const found = sources.flatMap((source) =>
    [...source.text.matchAll(pattern)].map((m) => ({ source, params: m[1]!, open: m.index + m[0].length - 1 })),
  );
  return found.length === 1 ? found[0] : undefined;
}

/** Every route registration of the sources, resolved to its handler's body where possible (each body once). */
export function findHandlers(sources: readonly GoSource[]): { handlers: GoHandler[]; unresolved: UnresolvedHandler[] } {
  const handlers: GoHandler[] = [];
  const unresolved: UnresolvedHandler[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    for (const m of source.text.matchAll(REGISTRATION)) {
      const open = m.index + m[0].length - 1;
      const call = parenContent(source.text, open);
      if (!call) continue;
      const args = splitArgs(call.inner);
      const pattern = /^"((?:[A-Z]+\s+)?\/[^"]*)"$/.exec(args[0] ?? '')?.[1];
      if (!pattern || args.length < 2) continue;
      if (m[1] === 'http' && m[2] !== 'Handle' && m[2] !== 'HandleFunc') continue; // http.Get/Post are client calls
      const { route, mutating } = routeOf(m[2]!, pattern);
      let expression = args[args.length - 1]!;
      const conversion = /^http\.HandlerFunc\((\w+(?:\.\w+)?)\)$/.exec(expression);
      if (conversion) expression = conversion[1]!;
      const line = lineNumber(source.text, m.index);

      let found: { source: GoSource; params: string; open: number; funcName?: string } | undefined;
      const literal = FUNC_LITERAL.exec(expression);
      if (literal) {
        const at = source.text.indexOf(expression, call.close - call.inner.length);
        if (at !== -1) found = { source, params: literal[1]!, open: at + literal[0].length - 1 };
      } else {
        const named = /^(?:\w+\.)?(\w+)$/.exec(expression);
        const decl = named ? declaration(sources, named[1]!) : undefined;
        if (decl) found = { ...decl, funcName: named![1]! };
      }
      const shape = found ? handlerShape(found.params) : undefined;
      const close = found ? matchingBrace(found.source.text, found.open) : -1;
      if (!found || !shape || close === -1) {
        if (!literal) unresolved.push({ file: source.path, route, line, expression });
        continue;
      }
      const key = `${found.source.path}:${found.open}`;
      if (seen.has(key)) continue;
      seen.add(key);
      handlers.push({
        file: found.source.path,
        route,
        mutating,
        funcName: found.funcName,
        open: found.open,
        close,
        line,
        ...shape,
      });
    }
  }
  return { handlers, unresolved };
}
