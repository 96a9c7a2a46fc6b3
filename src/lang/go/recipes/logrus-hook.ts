/**
 * Step 6 for a Go service that logs with logrus: a hook (traceLogrusHook) that copies the ids of the span in the
 * entry's context into its fields, added to the logger the app uses (the package logger, and each logrus.New()
 * instance made inside a function), and log calls inside request handlers pass the request's context
 * (`log.WithContext(ctx).Infof(…)`), without which no hook can see the span.
 */
import path from 'node:path';
import type { Service } from '../../../types/scan.js';
import { createFile, editFile, serviceHeads } from '../../../plan/proposal-builders.js';
import type { PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import { GoEditSet, type GoFileEdit } from './go-file-edit.js';
import { mainFile, type GoSource } from './go-sources.js';
import { contextExpressionAt, lineAt } from './go-syntax.js';

const STEP = 'correlation' as const;
const LOGRUS = 'github.com/sirupsen/logrus';
const HOOK = 'traceLogrusHook';
const LEVELS = '(?:Trace|Debug|Info|Print|Warn|Warning|Error)(?:f|ln)?';

/** The name logrus is imported under in this file (`logrus`, or its alias), when it is imported. */
export function logrusName(text: string): string | undefined {
  const m = new RegExp(`^\\s*(?:import\\s+)?(\\w+)?\\s*"${LOGRUS.replace(/\./g, '\\.')}"`, 'm').exec(text);
  if (!m) return undefined;
  return m[1] ?? 'logrus';
}

/** `log.Infof(` → `log.WithContext(ctx).Infof(` for the receivers given, where a request context is in reach. */
function passContext(edit: GoFileEdit, receivers: readonly string[]): number {
  let count = 0;
  for (;;) {
    const text = edit.current;
    const call = [...text.matchAll(new RegExp(`\\b(${receivers.join('|')})\\.(${LEVELS})\\(`, 'g'))].find(
      (m) => contextExpressionAt(text, m.index) !== undefined,
    );
    if (!call) return count;
    const ctxExpr = contextExpressionAt(text, call.index)!;
    const line = lineAt(text, call.index);
    const newLine = line.text.replace(call[0], `${call[1]}.WithContext(${ctxExpr}).${call[2]}(`);
    if (newLine === line.text || !edit.replace(line.text, newLine)) return count;
    count++;
  }
}

export async function planLogrusHook(
  ctx: PlanContext,
  service: Service,
  sources: readonly GoSource[],
): Promise<Proposal[]> {
  if (sources.some((s) => new RegExp(`\\b${HOOK}\\b`).test(s.text))) return [];
  const main = mainFile(service, sources);
  if (!main) return [];
  // The hook is written into main's package: only that package's files can name it.
  const users = sources
    .filter((s) => path.posix.dirname(s.path) === path.posix.dirname(main.path))
    .map((s) => ({ source: s, name: logrusName(s.text) }))
    .filter((u): u is { source: GoSource; name: string } => u.name !== undefined);
  if (users.length === 0) return [];
  const head = serviceHeads(STEP, service);
  const edits = new GoEditSet();
  let hooked = 0;
  for (const { source, name } of users) {
    const edit = edits.for(source);
    const receivers = [name];
    // Instances: `x := logrus.New()` inside a function gets the hook right there; a package-level one in main.
    for (const m of source.text.matchAll(
      new RegExp(`^([ \\t]*)(?:var\\s+)?(\\w+)\\s*:?=\\s*${name}\\.New\\(\\)[ \\t]*\\n`, 'gm'),
    )) {
      const [line, indent, instance] = m as unknown as [string, string, string];
      receivers.push(instance);
      if (indent !== '' && edit.insertAfter(line, `${indent}${instance}.AddHook(${HOOK}{})\n`)) hooked++;
      else if (indent === '' && source.path === main.path) {
        const anchor =
          /defer shutdownTracing\(context\.Background\(\)\)\n/.exec(edit.current)?.[0] ??
          /^func main\(\)\s*\{\n/m.exec(edit.current)?.[0];
        if (anchor && edit.insertAfter(anchor, `\t${instance}.AddHook(${HOOK}{})\n`)) hooked++;
      }
    }
    passContext(edit, receivers);
  }
  // The package logger, used through logrus.Info… anywhere: its hook is added in main.
  const mainName = logrusName(main.text);
  if (
    users.some(({ source, name }) =>
      new RegExp(`\\b${name}\\.${LEVELS}\\(|\\b${name}\\.WithContext\\(`).test(source.text),
    )
  ) {
    const edit = edits.for(main);
    const anchor =
      /defer shutdownTracing\(context\.Background\(\)\)\n/.exec(edit.current)?.[0] ??
      /^func main\(\)\s*\{\n/m.exec(edit.current)?.[0];
    const name = mainName ?? 'logrus';
    if (anchor && edit.insertAfter(anchor, `\t${name}.AddHook(${HOOK}{})\n`)) {
      if (!mainName) edit.need({ path: LOGRUS });
      hooked++;
    }
  }
  if (hooked === 0) return [];
  const dir = path.posix.dirname(main.path);
  const file = dir === '.' ? 'trace_logrus_hook.go' : `${dir}/trace_logrus_hook.go`;
  const createId = `${service.id}:trace-logrus-hook`;
  const out: Proposal[] = [
    createFile(
      head(
        'trace-logrus-hook',
        `Add ${file} (logrus hook that writes trace_id and span_id)`,
        'logrus hands each hook the entry, with the context it was logged with; the hook reads the span ids from it.',
      ),
      file,
      await ctx.templates.render('go/trace_logrus_hook.go.tmpl', {
        packageName: /^package\s+(\w+)/m.exec(main.text)?.[1] ?? 'main',
      }),
    ),
  ];
  for (const changed of edits.finished()) {
    out.push(
      editFile(
        head(
          `logrus-${path.posix.basename(changed.path, '.go')}`,
          `Edit ${changed.path}: the logrus hook on the app's logger; log calls in handlers pass the request context`,
          'Only an entry logged with the request’s context can carry its trace id.',
          [createId],
        ),
        changed.path,
        changed.pairs,
      ),
    );
  }
  return out;
}
