/**
 * The Python linter of the context-dropped cause: threads and executors that run span-making functions without
 * contextvars.copy_context() — with the rewrite through copy_context().run when one is safe.
 */
import { callArgs, lineStart, pythonFunctions, type SourceFile } from '../../../source-reading/code.js';
import { splitArgs } from '../../../source-reading/spans.js';
import type { DropSite, Replacement } from '../../../doctor/context-dropped/drop-site.js';

/** Names of the functions that start spans, directly or through a function of these files that does. */
function pythonSpanFunctions(files: SourceFile[]): Set<string> {
  const defs = files.flatMap((file) =>
    pythonFunctions(file).map((r) => {
      const decorators = file.code
        .slice(Math.max(0, lineStart(file.code, r.start) - 400), lineStart(file.code, r.start))
        .split('\n')
        .slice(-4)
        .join('\n');
      return {
        name: r.name!,
        body: file.code.slice(r.start, r.end),
        decorated: /@[\w.]*start_as_current_span\b/.test(decorators),
      };
    }),
  );
  const out = new Set(
    defs.filter((d) => d.decorated || /\.(?:start_as_current_span|start_span)\s*\(/.test(d.body)).map((d) => d.name),
  );
  for (let changed = true; changed; ) {
    changed = false;
    for (const d of defs) {
      if (out.has(d.name)) continue;
      if (
        [...out].some((n) =>
          new RegExp(`(?<![\\w])(?:self\\.|\\w+\\.)?${n}\\s*\\(`).test(d.body.slice(d.body.indexOf(':') + 1)),
        )
      ) {
        out.add(d.name);
        changed = true;
      }
    }
  }
  return out;
}

function callableName(expr: string): string | undefined {
  return /^(?:[\w.]+\.)?(\w+)$/.exec(expr.trim())?.[1];
}

export function lintPython(files: SourceFile[], threadingInstrumented: boolean): DropSite[] {
  if (threadingInstrumented) return [];
  const spanFns = pythonSpanFunctions(files);
  if (spanFns.size === 0) return [];
  const sites: DropSite[] = [];
  for (const file of files) {
    const processPool = /ProcessPoolExecutor|multiprocessing/.test(file.code);
    const hasImport = /^\s*import\s+contextvars\b|^\s*from\s+contextvars\s+import\b/m.test(file.code);
    const importAt = (() => {
      const future = [...file.code.matchAll(/^from\s+__future__\s+import[^\n]*\n/gm)].pop();
      if (future) return future.index + future[0].length;
      return /^(?:import|from)\s/m.exec(file.code)?.index ?? 0;
    })();
    const importRep: Replacement[] = hasImport ? [] : [{ at: importAt, end: importAt, text: 'import contextvars\n' }];
    const add = (index: number, target: string, how: string, reps: Replacement[] | undefined, reason?: string) => {
      sites.push({
        file,
        index,
        what: `${how} runs ${target}, which starts spans, without the caller's context`,
        note: `${how} runs ${target} (it starts spans) in another thread without contextvars.copy_context(): its spans start new traces${reps ? ' — run it through contextvars.copy_context().run' : ` — no edit proposed (${reason})`}`,
        ...(reps ? { fix: { reps: [...importRep, ...reps] } } : {}),
      });
    };
    for (const m of file.code.matchAll(/(?<![\w.])(?:threading\.)?Thread\s*\(/g)) {
      const open = m.index + m[0].length - 1;
      const { text, end } = callArgs(file, open);
      if (/copy_context/.test(text)) continue;
      const parts = splitArgs(text);
      const targetPart = parts.find((p) => /^target\s*=/.test(p));
      const target = targetPart?.replace(/^target\s*=\s*/, '');
      const name = target ? callableName(target) : undefined;
      if (!name || !spanFns.has(name)) continue;
      if (file.text.slice(open + 1, end) !== file.code.slice(open + 1, end)) {
        add(m.index, target!, 'threading.Thread', undefined, 'a comment inside the call');
        continue;
      }
      const argsPart = parts.find((p) => /^args\s*=/.test(p));
      const rewritten = parts.map((p) =>
        p === targetPart
          ? 'target=contextvars.copy_context().run'
          : p === argsPart
            ? `args=(${target}, *${argsPart.replace(/^args\s*=\s*/, '')})`
            : p,
      );
      if (!argsPart)
        rewritten.splice(rewritten.indexOf('target=contextvars.copy_context().run') + 1, 0, `args=(${target},)`);
      add(m.index, target!, 'threading.Thread', [{ at: open + 1, end, text: rewritten.join(', ') }]);
    }
    for (const m of file.code.matchAll(/\.(submit|run_in_executor)\s*\(/g)) {
      const open = m.index + m[0].length - 1;
      const { text } = callArgs(file, open);
      if (/copy_context/.test(text)) continue;
      const parts = splitArgs(text);
      const fnIndex = m[1] === 'run_in_executor' ? 1 : 0;
      const target = parts[fnIndex];
      const name = target ? callableName(target) : undefined;
      if (!name || !spanFns.has(name)) continue;
      const how = m[1] === 'submit' ? 'executor.submit' : 'loop.run_in_executor';
      if (processPool) {
        add(m.index, target!, how, undefined, 'the file uses a process pool, where a copied context cannot be pickled');
        continue;
      }
      // Insert before the function argument.
      const first = file.code.slice(open + 1).search(/\S/) + open + 1;
      const at = fnIndex === 0 ? first : file.code.indexOf(target!, open + 1);
      if (at < 0) continue;
      add(m.index, target!, how, [{ at, end: at, text: 'contextvars.copy_context().run, ' }]);
    }
  }
  return sites;
}
