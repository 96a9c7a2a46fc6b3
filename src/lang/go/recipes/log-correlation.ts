/**
 * Step 6 for Go services: trace_id/span_id in log lines. log/slog (and the standard log package, moved to slog) get a
 * generated handler that reads the ids from the record's context; log calls inside request handlers pass the request's
 * context (slog.InfoContext). Gin's own logger (gin.Default(), gin.Logger()) gets a formatter with the ids
 * (gin-logger.ts); logrus a hook on the app's logger and log calls with the request context (logrus-hook.ts). zap and
 * zerolog get a note with the fields to add.
 */
import path from 'node:path';
import type { Service } from '../../../types/scan.js';
import { createFile, editFile, note, serviceHeads } from '../../../plan/proposal-builders.js';
import type { PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { hasOtelSetup } from './existing-tracing.js';
import { GoEditSet, type GoFileEdit } from './go-file-edit.js';
import { goSources, mainFile } from './go-sources.js';
import { planGinLogger, usesGinLogger } from './gin-logger.js';
import { planLogrusHook } from './logrus-hook.js';
import { contextExpressionAt, lineAt, parenContent } from './go-syntax.js';

const STEP = 'correlation' as const;
const SET_DEFAULT = '\tslog.SetDefault(slog.New(newTraceLogHandler(slog.NewTextHandler(os.Stderr, nil))))\n';

/** Rewrites log.Print*(…) and slog.Info(…)-style calls that have a request context in reach to pass that context. */
function passContextToLogCalls(edit: GoFileEdit): number {
  let count = 0;
  for (;;) {
    const text = edit.current;
    const calls = [...text.matchAll(/\b(log\.(Printf|Println|Print)|slog\.(Debug|Info|Warn|Error))\(/g)];
    let changed = false;
    for (const call of calls) {
      const ctxExpr = contextExpressionAt(text, call.index);
      if (!ctxExpr) continue;
      const args = parenContent(text, call.index + call[0].length - 1);
      if (!args) continue;
      const old = text.slice(call.index, args.close + 1);
      const replacement = call[2]
        ? `slog.InfoContext(${ctxExpr}, fmt.${call[2] === 'Printf' ? 'Sprintf' : call[2] === 'Println' ? 'Sprint' : 'Sprint'}(${args.inner}))`
        : `slog.${call[3]}Context(${ctxExpr}, ${args.inner})`;
      const line = lineAt(text, call.index);
      const newLine = line.text.replace(old, replacement);
      if (newLine !== line.text && edit.replace(line.text, newLine)) {
        if (call[2]) edit.need({ path: 'fmt' });
        edit.need({ path: 'log/slog' });
        count++;
        changed = true;
        break;
      }
    }
    if (!changed) return count;
  }
}

export const goLogCorrelation: Recipe = {
  id: 'go-log-correlation',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => service.language === 'go',
  async plan(ctx: PlanContext, service: Service): Promise<Proposal[]> {
    const head = serviceHeads(STEP, service);
    const sources = await goSources(ctx, service);
    if (!hasOtelSetup(sources)) return [];
    const proposals: Proposal[] = [];
    const loggers = new Set(service.logging.map((l) => l.name));
    // Gin's own request logger is what a Gin app writes: its lines get the ids (gin-logger.ts).
    if (usesGinLogger(sources)) proposals.push(...(await planGinLogger(ctx, service, sources)));

    // logrus: a hook on the app's logger (logrus-hook.ts); a note only when it cannot be added there.
    const logrus = loggers.has('logrus') ? await planLogrusHook(ctx, service, sources) : [];
    proposals.push(...logrus);
    const others = ['zap', 'logrus', 'zerolog'].filter((l) => loggers.has(l) && !(l === 'logrus' && logrus.length > 0));
    const correlated = sources.some((s) => /"trace_id"/.test(s.text) && /SpanContextFromContext\(/.test(s.text));
    if (others.length > 0 && !correlated) {
      proposals.push(
        note(
          head(
            'log-fields',
            `Add trace ids to ${others.join('/')} log lines in ${service.id}`,
            'A log line with the trace id leads straight to the trace (and back).',
          ),
          await ctx.templates.render('go/zap-logrus-note.md.tmpl', {
            zap: loggers.has('zap'),
            logrus: others.includes('logrus'),
            zerolog: loggers.has('zerolog'),
          }),
        ),
      );
    }

    const main = mainFile(service, sources);
    // log / log/slog used by the app itself: the tracing set-up's own import of "log" is not the app's logging, and a
    // slog handler nothing writes through correlates nothing.
    const appLogs = sources.some(
      (s) => !/\botel\.SetTracerProvider\(/.test(s.text) && /^\s*(?:import\s+)?"log(?:\/slog)?"/m.test(s.text),
    );
    if (!main || !appLogs || sources.some((s) => /\bnewTraceLogHandler\(/.test(s.text))) return proposals;
    const dir = path.posix.dirname(main.path);
    const handlerPath = dir === '.' ? 'trace_log_handler.go' : `${dir}/trace_log_handler.go`;
    const createId = `${service.id}:trace-log-handler`;
    proposals.push(
      createFile(
        head(
          'trace-log-handler',
          `Add ${handlerPath} (slog handler that writes trace_id and span_id)`,
          'slog hands each record the caller’s context; the handler reads the span ids from it.',
        ),
        handlerPath,
        await ctx.templates.render('go/trace_log_handler.go.tmpl'),
      ),
    );

    const edits = new GoEditSet();
    const mainEdit = edits.for(main);
    const anchor =
      /defer shutdownTracing\(context\.Background\(\)\)\n/.exec(main.text)?.[0] ??
      /^func main\(\)\s*\{\n/m.exec(main.text)?.[0];
    if (anchor && mainEdit.insertAfter(anchor, SET_DEFAULT)) mainEdit.need({ path: 'log/slog' }, { path: 'os' });
    let rewritten = 0;
    // The tracing set-up's own messages are not request logs.
    for (const source of sources.filter(
      (s) => /\b(?:log|slog)\.\w+\(/.test(s.text) && !/\botel\.SetTracerProvider\(/.test(s.text),
    )) {
      const edit = edits.for(source);
      rewritten += passContextToLogCalls(edit);
      edit.dropImportIfUnused('log', /\blog\.\w/);
    }
    for (const file of edits.finished()) {
      proposals.push(
        editFile(
          head(
            file.path === main.path ? 'slog-default' : `log-context-${path.posix.basename(file.path, '.go')}`,
            file.path === main.path
              ? `Edit ${file.path}: slog with the trace handler as the default logger${rewritten ? '; log calls in handlers pass the request context' : ''}`
              : `Edit ${file.path}: log calls in handlers pass the request context`,
            'Only a log call that gets the request’s context can carry its trace id; the log package’s output also goes through slog then.',
            [createId],
          ),
          file.path,
          file.pairs,
        ),
      );
    }
    return proposals;
  },
};
