/**
 * The tracer names the application's code creates: `trace.getTracer('shop')` (Node), `trace.get_tracer("orders")`
 * (Python), `otel.Tracer("example.com/inventory")` (Go) — string literals only; a tracer named after `__name__` or a
 * variable is still recognised at runtime as a scope that is not an instrumentation library's.
 */
import type { CheckContext } from '../check.js';
import { checkedServices, serviceSources } from '../../source-reading/repo-files.js';

const TRACER_NAME = /\b(?:getTracer|get_tracer|otel\.Tracer|\.Tracer)\s*\(\s*(['"`])([^'"`\n]+)\1/g;

export function tracerNamesIn(code: string): string[] {
  return [...code.matchAll(TRACER_NAME)]
    .map((m) => m[2]!)
    .filter((name) => !name.includes('{{') && !name.includes('${'));
}

/** Every literal tracer name in the source files of the checked services. */
export async function applicationTracerNames(
  ctx: Pick<CheckContext, 'root' | 'repo' | 'services'>,
): Promise<Set<string>> {
  const names = new Set<string>();
  for (const service of checkedServices(ctx)) {
    for (const file of await serviceSources(ctx, service)) for (const name of tracerNamesIn(file.code)) names.add(name);
  }
  return names;
}
