/**
 * The Node linter of the context-dropped cause: spans started from the active context while no context manager is
 * registered, and spans started from ROOT_CONTEXT inside a function — with the rewrite (and the package.json edit for
 * @opentelemetry/context-async-hooks) when one is safe.
 */
import { addDependenciesEdit, parsePackageJsonData } from '../recipes/package-json.js';
import {
  braceFunctions,
  enclosingCalls,
  evidence,
  innermost,
  lineStart,
  matchBracket,
  type SourceFile,
} from '../../../source-reading/code.js';
import type { DropSite } from '../../../doctor/context-dropped/drop-site.js';

const NODE_PROVIDER = /(?:(?:const|let|var)\s+(\w+)\s*=\s*)?new\s+(?:(\w+)\.)?(Basic|Node)TracerProvider\s*\(/;
const NODE_RELIES = /\.startActiveSpan\s*\(|\bcontext\.(?:with|active|bind)\s*\(|\bgetActiveSpan\s*\(/;
const NODE_MANAGER =
  /setGlobalContextManager\s*\(|\bnew\s+NodeSDK\s*\(|AsyncLocalStorageContextManager|AsyncHooksContextManager|ZoneContextManager/;

export interface NodeLintOptions {
  /** The service's package.json text, to add @opentelemetry/context-async-hooks to. */
  packageJson?: { path: string; text: string };
  /** A version range for @opentelemetry/context-async-hooks (the SDK's release), when known. */
  asyncHooksRange?: string;
  /** The service is started with an agent that registers a context manager. */
  agent?: boolean;
}

export function lintNode(
  files: SourceFile[],
  options: NodeLintOptions = {},
): { sites: DropSite[]; packageEdit?: { path: string; edit: { old: string; new: string } } } {
  const sites: DropSite[] = [];
  let packageEdit: { path: string; edit: { old: string; new: string } } | undefined;
  const provider = files.map((file) => ({ file, m: NODE_PROVIDER.exec(file.code) })).find((p) => p.m);
  const relies = files.map((file) => ({ file, m: NODE_RELIES.exec(file.code) })).find((p) => p.m);
  if (provider && relies && !options.agent) {
    const { file, m } = provider as { file: SourceFile; m: RegExpExecArray };
    const open = m.index + m[0].length - 1;
    const close = matchBracket(file.skeleton, open);
    const chainedRegister = close > 0 && /^\s*\.register\s*\(/.test(file.skeleton.slice(close + 1));
    const registered =
      files.some(
        (f) =>
          NODE_MANAGER.test(f.code) || (m[1] !== undefined && new RegExp(`\\b${m[1]}\\.register\\s*\\(`).test(f.code)),
      ) || chainedRegister;
    if (!registered) {
      const at = m.index + m[0].indexOf('new');
      const relyAt = evidence(relies!.file, relies!.m!.index);
      const what = `no context manager is registered, so spans started from the active context (${relies!.m![0].replace(/[\s(]+$/, '').replace(/^\./, '')}) become new traces`;
      let fix: DropSite['fix'];
      let why = '';
      const indent = /^[ \t]*/.exec(file.text.slice(lineStart(file.text, m.index)))![0];
      if (m[3] === 'Node' && m[1] && close > 0) {
        const after = file.skeleton[close + 1] === ';' ? close + 2 : close + 1;
        fix = {
          reps: [
            {
              at: after,
              end: after,
              text: `\n${indent}${m[1]}.register(); // registers the AsyncLocalStorage context manager (and the W3C propagator)`,
            },
          ],
        };
        why = `${m[1]}.register() is never called`;
      } else if (m[3] === 'Basic') {
        const esm = /^\s*import\s/m.test(file.code) && !/\brequire\s*\(/.test(file.code);
        const line = lineStart(file.text, m.index);
        if (esm) {
          const firstImport = /^import\s/m.exec(file.code);
          if (firstImport) {
            fix = {
              reps: [
                {
                  at: firstImport.index,
                  end: firstImport.index,
                  text: "import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';\nimport { context as otelContextApi } from '@opentelemetry/api';\n",
                },
                {
                  at: line,
                  end: line,
                  text: `${indent}otelContextApi.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());\n`,
                },
              ],
            };
          }
        } else {
          fix = {
            reps: [
              {
                at: line,
                end: line,
                text: `${indent}require('@opentelemetry/api').context.setGlobalContextManager(new (require('@opentelemetry/context-async-hooks').AsyncLocalStorageContextManager)().enable());\n`,
              },
            ],
          };
        }
        why = 'BasicTracerProvider registers no context manager (api.context.setGlobalContextManager is never called)';
        if (fix && options.packageJson) {
          const data = parsePackageJsonData(options.packageJson.text);
          const declared =
            data &&
            ('@opentelemetry/context-async-hooks' in data.dependencies ||
              '@opentelemetry/context-async-hooks' in data.devDependencies);
          if (!declared && options.asyncHooksRange) {
            const edit = addDependenciesEdit(options.packageJson.text, {
              '@opentelemetry/context-async-hooks': options.asyncHooksRange,
            });
            if (edit) packageEdit = { path: options.packageJson.path, edit };
          }
        }
      }
      sites.push({
        file,
        index: at,
        what,
        note: `${m[3]}TracerProvider set up here; ${why || 'no context manager is registered'}${fix ? '' : ' — no edit proposed: register a context manager (NodeTracerProvider.register(), or api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()))'}`,
        ...(fix ? { fix } : {}),
      });
      sites.push({
        file: relies!.file,
        index: relies!.m!.index,
        what,
        note: `${relyAt.file}:${relyAt.line} relies on the active context, which without a context manager is always the empty root context`,
      });
    }
  }
  for (const file of files) {
    for (const m of file.code.matchAll(/(?<![\w.])(?:(\w+)\.)?ROOT_CONTEXT\b/g)) {
      const calls = enclosingCalls(file.skeleton, m.index);
      const callee = calls[0];
      if (!callee || !/(?:^|\.)(?:startSpan|startActiveSpan|with)$/.test(callee)) continue;
      if (!innermost(braceFunctions(file), m.index)) continue;
      const ns = m[1];
      const text = ns
        ? `${ns}.context.active()`
        : /\bcontext\b[^;\n]*(?:from\s+['"]@opentelemetry\/api['"]|require\(\s*['"]@opentelemetry\/api['"]\s*\))/.test(
              file.code,
            )
          ? 'context.active()'
          : undefined;
      sites.push({
        file,
        index: m.index,
        what: `a span is started from ROOT_CONTEXT inside a function, so it is never a child of the request`,
        note: `${callee}(…, ${m[0]}…): ROOT_CONTEXT has no span, so this one starts a new trace${text ? ` — use ${text} (or the request's context)` : " — no edit proposed (no @opentelemetry/api context import to use): pass the request's context"}`,
        ...(text ? { fix: { reps: [{ at: m.index, end: m.index + m[0].length, text }] } } : {}),
      });
    }
  }
  return packageEdit ? { sites, packageEdit } : { sites };
}
