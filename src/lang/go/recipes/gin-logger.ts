/**
 * Step 6 for a Gin service that logs through Gin's own logger (gin.Default(), or gin.Logger() among its middleware):
 * its access log is what the app really writes, so that is what gets the trace ids — a log formatter
 * (gin.LoggerWithFormatter) that reads the request's span from the request context. The logger is placed right after
 * otelgin's middleware, so the request context already carries the SERVER span when the line is written.
 */
import path from 'node:path';
import type { Service } from '../../../types/scan.js';
import { createFile, editFile, serviceHeads } from '../../../plan/proposal-builders.js';
import type { PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import { GoEditSet } from './go-file-edit.js';
import type { GoSource } from './go-sources.js';

const STEP = 'correlation' as const;
const FORMATTER = 'ginTraceLogFormatter';

/** Uses Gin's own request logger: gin.Default() (which installs it) or gin.Logger() passed to Use. */
export function usesGinLogger(sources: readonly GoSource[]): boolean {
  return sources.some((s) => /\bgin\.Default\(\)|\bgin\.Logger\(\)/.test(s.text));
}

export async function planGinLogger(
  ctx: PlanContext,
  service: Service,
  sources: readonly GoSource[],
): Promise<Proposal[]> {
  if (sources.some((s) => new RegExp(`\\b${FORMATTER}\\b`).test(s.text))) return [];
  const head = serviceHeads(STEP, service);
  for (const source of sources) {
    const otel = /^([ \t]*)(\w+)\.Use\(otelgin\.Middleware\([^\n]*\)\)[ \t]*\n/m.exec(source.text);
    if (!otel) continue;
    const [otelLine, indent, router] = otel as unknown as [string, string, string];
    const logged = `${indent}${router}.Use(gin.LoggerWithFormatter(${FORMATTER})`;
    const edits = new GoEditSet();
    const edit = edits.for(source);
    const built = new RegExp(`^([ \\t]*${router}\\s*:?=\\s*)gin\\.Default\\(\\)`, 'm').exec(source.text);
    const explicit = new RegExp(
      `^[ \\t]*${router}\\.Use\\(([^\\n]*\\bgin\\.Logger\\(\\)[^\\n]*)\\)[ \\t]*\\n`,
      'm',
    ).exec(source.text);
    if (built) {
      // gin.Default() = gin.New() + Logger + Recovery, installed before otelgin: rebuild it with the logger after otelgin.
      if (!edit.replace(built[0], `${built[1]}gin.New()`)) continue;
      if (!edit.insertAfter(otelLine, `${logged}, gin.Recovery())\n`)) continue;
    } else if (explicit) {
      const args = explicit[1]!.split(/,\s*/).filter((a) => a.trim() !== 'gin.Logger()');
      const after = explicit.index > otel.index;
      if (after) {
        if (!edit.replace(explicit[0], explicit[0].replace('gin.Logger()', `gin.LoggerWithFormatter(${FORMATTER})`)))
          continue;
      } else {
        // Registered before otelgin: the line would be written outside the request's span. Move it after otelgin.
        const rest = args.length > 0 ? explicit[0].replace(explicit[1]!, args.join(', ')) : '';
        if (!edit.replace(explicit[0], rest)) continue;
        if (!edit.insertAfter(otelLine, `${logged})\n`)) continue;
      }
    } else {
      continue;
    }
    const dir = path.posix.dirname(source.path);
    const file = dir === '.' ? 'gin_trace_logger.go' : `${dir}/gin_trace_logger.go`;
    const createId = `${service.id}:gin-trace-logger`;
    const [changed] = edits.finished();
    if (!changed) continue;
    return [
      createFile(
        head(
          'gin-trace-logger',
          `Add ${file} (Gin log formatter that writes trace_id and span_id)`,
          'Gin writes its access log itself; its formatter can read the request span from the request context.',
        ),
        file,
        await ctx.templates.render('go/gin_trace_logger.go.tmpl', {
          packageName: /^package\s+(\w+)/m.exec(source.text)?.[1] ?? 'main',
        }),
      ),
      editFile(
        head(
          'gin-logger',
          `Edit ${source.path}: Gin's request log through the trace-id formatter, after otelgin`,
          "The access log the app writes is Gin's; placed after otelgin, each line carries the ids of the request's SERVER span.",
          [createId],
        ),
        changed.path,
        changed.pairs,
      ),
    ];
  }
  return [];
}
