/**
 * The Go linter of the context-dropped cause: database/sql calls without *Context, context.Background()/TODO() where
 * the request's context is at hand, a *gin.Context passed instead of c.Request.Context(), and goroutines starting spans
 * from a context not passed in — each with the rewrite when one keeps the code compiling and the semantics safe.
 */
import { contextExpressionAt } from '../recipes/go-syntax.js';
import { compareGoVersions } from '../recipes/go-mod.js';
import { braceFunctions, evidence, matchBracket, type Range, type SourceFile } from '../../../source-reading/code.js';
import type { DropSite, Replacement } from '../../../doctor/context-dropped/drop-site.js';

const GO_SQL_RECEIVER = [
  /\b(\w+)\s+\*sqlx?\.(?:DB|Tx|Conn)\b/g,
  /\b(\w+)(?:\s*,\s*\w+)?\s*:?=\s*sqlx?\.(?:Open|Connect)(?:DB)?\(/g,
];
const GO_SQL_CALL = /\b(\w+)\.(Exec|Query|QueryRow)\(/g;

interface GoRoutine {
  /** Index of `go`. */
  at: number;
  /** The literal's `(` `)` of its parameters, and whether it has none. */
  paramsOpen: number;
  paramsClose: number;
  bodyOpen: number;
  bodyClose: number;
  /** The call's argument list after the literal: `()` when the goroutine is called with nothing. */
  callOpen?: number;
  callClose?: number;
}

function goroutines(file: SourceFile): GoRoutine[] {
  const out: GoRoutine[] = [];
  for (const m of file.skeleton.matchAll(/\bgo\s+func\s*\(/g)) {
    const paramsOpen = m.index + m[0].length - 1;
    const paramsClose = matchBracket(file.skeleton, paramsOpen);
    if (paramsClose < 0) continue;
    const bodyOpen = file.skeleton.indexOf('{', paramsClose);
    if (bodyOpen < 0 || /[;\n]/.test(file.skeleton.slice(paramsClose + 1, bodyOpen))) continue;
    const bodyClose = matchBracket(file.skeleton, bodyOpen);
    if (bodyClose < 0) continue;
    const call = /^\s*\(/.exec(file.skeleton.slice(bodyClose + 1));
    const callOpen = call ? bodyClose + call[0].length : undefined;
    const callClose = callOpen === undefined ? undefined : matchBracket(file.skeleton, callOpen);
    out.push({
      at: m.index,
      paramsOpen,
      paramsClose,
      bodyOpen,
      bodyClose,
      ...(callOpen !== undefined && callClose !== undefined && callClose > 0 ? { callOpen, callClose } : {}),
    });
  }
  return out;
}

function innermostGoroutine(list: GoRoutine[], index: number): GoRoutine | undefined {
  let best: GoRoutine | undefined;
  for (const g of list)
    if (g.bodyOpen < index && index < g.bodyClose && (!best || g.bodyOpen > best.bodyOpen)) best = g;
  return best;
}

/** The call whose first argument starts at `index`: its name and `(`; undefined when `index` is not a first argument. */
function firstArgOf(file: SourceFile, index: number): { name: string; open: number } | undefined {
  let i = index - 1;
  while (i >= 0 && /\s/.test(file.skeleton[i]!)) i--;
  if (file.skeleton[i] !== '(') return undefined;
  const name = /([\w.]+)\s*$/.exec(file.skeleton.slice(Math.max(0, i - 120), i))?.[1];
  return name ? { name, open: i } : undefined;
}

/**
 * A name for a new ctx parameter that keeps the body compiling: `ctx` unless the body declares ctx on its own (`ctx :=`,
 * `var ctx`) or, for a goroutine (`fresh`), uses a ctx from around it at all; else `parentCtx` when that is free.
 */
function ctxName(body: string, fresh: boolean): string | undefined {
  const clash = fresh ? /\bctx\b/ : /\bctx\s*:=|\bvar\s+ctx\b/;
  if (!clash.test(body)) return 'ctx';
  if (!/\bparentCtx\b/.test(body)) return 'parentCtx';
  return undefined;
}

interface GoFunc {
  file: SourceFile;
  name: string;
  /** `func name(` — the index of the `(` of the parameters, and of the body's braces. */
  paramsOpen: number;
  paramsClose: number;
  body: Range;
  method: boolean;
}

function goFuncs(files: SourceFile[]): GoFunc[] {
  const out: GoFunc[] = [];
  for (const file of files) {
    for (const m of file.skeleton.matchAll(/^func\s+(\([^)]*\)\s*)?(\w+)\s*\(/gm)) {
      const paramsOpen = m.index + m[0].length - 1;
      const paramsClose = matchBracket(file.skeleton, paramsOpen);
      if (paramsClose < 0) continue;
      const open = file.skeleton.indexOf('{', paramsClose);
      const close = open < 0 ? -1 : matchBracket(file.skeleton, open);
      if (close < 0) continue;
      out.push({
        file,
        name: m[2]!,
        paramsOpen,
        paramsClose,
        body: { start: open, end: close },
        method: m[1] !== undefined,
      });
    }
  }
  return out;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : p.slice(0, i);
}

/**
 * The fix for a top-level function that starts a span from context.Background(): give it a ctx parameter and pass the
 * request context at every call site — only when every call site (same package) has one at hand and the function is
 * never used as a value.
 */
function addCtxParameter(
  fn: GoFunc,
  files: SourceFile[],
  background: { at: number; end: number },
): { fix: DropSite['fix']; more: DropSite['more'] } | { reason: string } {
  if (fn.method)
    return {
      reason: `${fn.name} is a method: give it a ctx context.Context parameter and pass the caller's request context (r.Context() / c.Request.Context())`,
    };
  const name = ctxName(fn.file.code.slice(fn.body.start, fn.body.end), false);
  if (!name) return { reason: `${fn.name} already uses the names ctx and parentCtx` };
  const params = fn.file.code.slice(fn.paramsOpen + 1, fn.paramsClose);
  const reps: Replacement[] = [
    {
      at: fn.paramsOpen + 1,
      end: fn.paramsOpen + 1,
      text: params.trim() === '' ? `${name} context.Context` : `${name} context.Context, `,
    },
    { ...background, text: name },
  ];
  const more = new Map<SourceFile, Replacement[]>();
  let calls = 0;
  const sameDir = files.filter((f) => dirOf(f.path) === dirOf(fn.file.path));
  for (const f of sameDir) {
    for (const m of f.skeleton.matchAll(new RegExp(`(?<![\\w.])${fn.name}\\b`, 'g'))) {
      if (/\bfunc\s*(?:\([^)]*\)\s*)?$/.test(f.skeleton.slice(Math.max(0, m.index - 120), m.index))) continue; // a declaration (this one, or a method of that name)
      const open = m.index + fn.name.length;
      if (f.skeleton[open] !== '(')
        return {
          reason: `${fn.name} is used as a value (${f.path}:${evidence(f, m.index).line}), so its signature cannot change safely`,
        };
      const ctxExpr = contextExpressionAt(f.code, m.index);
      if (!ctxExpr)
        return { reason: `its caller at ${f.path}:${evidence(f, m.index).line} has no request context at hand either` };
      const g = innermostGoroutine(goroutines(f), m.index);
      if (g && g.paramsClose - g.paramsOpen <= 1) {
        return {
          reason: `its caller at ${f.path}:${evidence(f, m.index).line} runs in a goroutine: pass context.WithoutCancel(${ctxExpr}) into the goroutine first`,
        };
      }
      const empty = f.skeleton.slice(open + 1, matchBracket(f.skeleton, open)).trim() === '';
      const rep = { at: open + 1, end: open + 1, text: empty ? ctxExpr : `${ctxExpr}, ` };
      if (f === fn.file) reps.push(rep);
      else more.set(f, [...(more.get(f) ?? []), rep]);
      calls++;
    }
  }
  if (calls === 0) return { reason: `no call of ${fn.name} was found in its package` };
  return { fix: { reps }, more: [...more].map(([file, r]) => ({ file, reps: r })) };
}

export function lintGo(files: SourceFile[], goVersion: string | undefined): DropSite[] {
  const sites: DropSite[] = [];
  const receivers = new Set<string>();
  for (const f of files) for (const re of GO_SQL_RECEIVER) for (const m of f.code.matchAll(re)) receivers.add(m[1]!);
  const funcs = goFuncs(files);
  const ctxFirst = new Set(
    funcs
      .filter((fn) => /^\s*\w+\s+context\.Context\b/.test(fn.file.code.slice(fn.paramsOpen + 1, fn.paramsClose)))
      .map((fn) => fn.name),
  );
  const withoutCancel = goVersion === undefined || compareGoVersions(goVersion, '1.21') >= 0;

  for (const file of files) {
    const routines = goroutines(file);
    const named = braceFunctions(file).filter((r) => r.name);
    const topName = (i: number) =>
      named.filter((r) => r.start < i && i < r.end).sort((a, b) => a.start - b.start)[0]?.name;

    // database/sql calls without the context while one is at hand.
    for (const m of file.code.matchAll(GO_SQL_CALL)) {
      if (!receivers.has(m[1]!)) continue;
      const open = m.index + m[0].length - 1;
      if (
        file.skeleton
          .slice(open + 1)
          .trimStart()
          .startsWith(')')
      )
        continue;
      const ctxExpr = contextExpressionAt(file.code, m.index);
      if (!ctxExpr) continue;
      const what = `${m[1]}.${m[2]}(…) runs without the request context`;
      const g = innermostGoroutine(routines, m.index);
      if (g && g.paramsClose - g.paramsOpen <= 1) {
        sites.push({
          file,
          index: m.index,
          what,
          note: `${m[1]}.${m[2]}(…) in a goroutine, without a context: no edit proposed — pass context.WithoutCancel(${ctxExpr}) into the goroutine and call ${m[2]}Context(ctx, …)`,
        });
        continue;
      }
      sites.push({
        file,
        index: m.index,
        what,
        note: `${m[1]}.${m[2]}(…) without a context while ${ctxExpr} is at hand: an instrumented driver starts its span as a new trace — use ${m[2]}Context(${ctxExpr}, …)`,
        fix: { reps: [{ at: m.index + m[1]!.length + 1, end: open + 1, text: `${m[2]}Context(${ctxExpr}, ` }] },
      });
    }

    // context.Background() / context.TODO().
    for (const m of file.code.matchAll(/\bcontext\.(Background|TODO)\(\)/g)) {
      const fnName = topName(m.index);
      if (fnName === undefined || fnName === 'main' || fnName === 'init') continue;
      const call = firstArgOf(file, m.index);
      const ctxExpr = contextExpressionAt(file.code, m.index);
      const g = innermostGoroutine(routines, m.index);
      const background = { at: m.index, end: m.index + m[0].length };
      const startsSpan = call !== undefined && /(?:^|\.)Start$/.test(call.name);
      if (g && g.paramsClose - g.paramsOpen <= 1 && ctxExpr) {
        // A goroutine started from a handler: pass the request context in, without its cancellation.
        const body = file.code.slice(g.bodyOpen, g.bodyClose);
        const name = ctxName(body, true);
        const what = `a goroutine starts from context.${m[1]}() instead of the request's context`;
        const ok = withoutCancel && name && g.callOpen !== undefined && g.callClose === g.callOpen + 1;
        if (!ok) {
          sites.push({
            file,
            index: m.index,
            what,
            note: `context.${m[1]}() in a goroutine of a function that has ${ctxExpr}: no edit proposed (${!withoutCancel ? 'go.mod is older than go 1.21, which has context.WithoutCancel' : !name ? 'the goroutine already uses ctx and parentCtx' : 'the goroutine is not called as go func() {…}()'}) — pass the request context into the goroutine`,
          });
          continue;
        }
        sites.push({
          file,
          index: m.index,
          what,
          note: `context.${m[1]}() in a goroutine of a function that has ${ctxExpr}: spans started there begin new traces — pass context.WithoutCancel(${ctxExpr}) in (it keeps the trace, not the request's cancellation)`,
          fix: {
            reps: [
              { at: g.paramsOpen + 1, end: g.paramsClose, text: `${name} context.Context` },
              { at: g.callOpen! + 1, end: g.callClose!, text: `context.WithoutCancel(${ctxExpr})` },
              { ...background, text: name! },
            ],
            block: { start: g.at, end: g.callClose! },
          },
        });
        continue;
      }
      if (ctxExpr) {
        const what = `context.${m[1]}() is used where ${ctxExpr} is at hand`;
        if (call && startsSpan) {
          sites.push({
            file,
            index: m.index,
            what,
            note: `${call.name}(context.${m[1]}(), …) while ${ctxExpr} is at hand: the span starts a new trace — pass ${ctxExpr}`,
            fix: { reps: [{ ...background, text: ctxExpr }] },
          });
        } else if (call && withoutCancel) {
          // Not a span start: keep what Background gave (no cancellation with the request), only carry the trace.
          sites.push({
            file,
            index: m.index,
            what,
            note: `${call.name}(context.${m[1]}(), …) while ${ctxExpr} is at hand: the spans made under it start new traces — pass context.WithoutCancel(${ctxExpr}) (the trace, without the request's cancellation)`,
            fix: { reps: [{ ...background, text: `context.WithoutCancel(${ctxExpr})` }] },
          });
        } else if (call) {
          sites.push({
            file,
            index: m.index,
            what,
            note: `${call.name}(context.${m[1]}(), …) while ${ctxExpr} is at hand: no edit proposed (go.mod is older than go 1.21, which has context.WithoutCancel) — derive the context from ${ctxExpr}`,
          });
        } else {
          sites.push({
            file,
            index: m.index,
            what,
            note: `context.${m[1]}() while ${ctxExpr} is at hand: no edit proposed (not passed straight to a call) — derive it from ${ctxExpr}`,
          });
        }
        continue;
      }
      if (!startsSpan) continue;
      // A span started from Background in a function without any context: give the function one.
      const fn = funcs.find((f) => f.file === file && f.body.start < m.index && m.index < f.body.end);
      const what = `${fnName} starts its span from context.${m[1]}(), so it is never a child of the request`;
      if (!fn || (g && g.paramsClose - g.paramsOpen > 1)) {
        sites.push({
          file,
          index: m.index,
          what,
          note: `${call!.name}(context.${m[1]}(), …) in ${fnName}, which has no context: no edit proposed — take a ctx context.Context parameter and start the span from it`,
        });
        continue;
      }
      if (g) {
        sites.push({
          file,
          index: m.index,
          what,
          note: `${call!.name}(context.${m[1]}(), …) in a goroutine of ${fnName}, which has no context: no edit proposed — give ${fnName} a ctx parameter and pass it into the goroutine`,
        });
        continue;
      }
      const fix = addCtxParameter(fn, files, background);
      if ('reason' in fix) {
        sites.push({
          file,
          index: m.index,
          what,
          note: `${call!.name}(context.${m[1]}(), …) in ${fnName}, which has no context: no edit proposed (${fix.reason})`,
        });
        continue;
      }
      sites.push({
        file,
        index: m.index,
        what,
        note: `${call!.name}(context.${m[1]}(), …) in ${fnName}, which has no context: its span starts a new trace — give ${fnName} a ctx context.Context parameter and pass the request context at its call sites`,
        ...(fix.fix ? { fix: fix.fix } : {}),
        ...(fix.more && fix.more.length > 0 ? { more: fix.more } : {}),
      });
    }

    // gin handlers passing c (a *gin.Context, whose Value does not see the request's span) as the context.
    const ginVars = new Set([...file.code.matchAll(/(\w+)\s+\*gin\.Context\b/g)].map((g) => g[1]!));
    for (const m of ginVars.size === 0 ? [] : file.code.matchAll(/([\w.]+)\(\s*(\w+)\s*[,)]/g)) {
      const v = m[2]!;
      if (!ginVars.has(v)) continue;
      const ctxExpr = contextExpressionAt(file.code, m.index);
      if (ctxExpr !== `${v}.Request.Context()`) continue;
      const callee = m[1]!;
      const short = callee.replace(/^.*\./, '');
      if (!(/(?:^|\.)Start$/.test(callee) || /\w+Context$/.test(short) || ctxFirst.has(short))) continue;
      if (short === 'WithContext') continue;
      const at = m.index + m[0].lastIndexOf(v);
      const g = innermostGoroutine(routines, m.index);
      if (g && g.paramsClose - g.paramsOpen <= 1) {
        sites.push({
          file,
          index: m.index,
          what: `a gin handler's goroutine passes ${v} (the *gin.Context) as the context`,
          note: `${callee}(${v}, …) in a goroutine: no edit proposed (gin reuses ${v} once the handler returns) — pass context.WithoutCancel(${ctxExpr}) into the goroutine and use it`,
        });
        continue;
      }
      sites.push({
        file,
        index: m.index,
        what: `a gin handler passes ${v} (the *gin.Context) instead of ${ctxExpr}`,
        note: `${callee}(${v}, …): a *gin.Context does not carry the request's span (its Value does not look into the request's context), so the span starts a new trace — pass ${ctxExpr}`,
        fix: { reps: [{ at, end: at + v.length, text: ctxExpr }] },
      });
    }
  }
  return sites;
}
