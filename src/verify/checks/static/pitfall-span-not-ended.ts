/**
 * pitfall-span-not-ended: a span that is never ended is never exported. Go: `defer span.End()` in the function that
 * called tracer.Start. Node: startActiveSpan's callback ends the span in a finally block; a startSpan span is ended in
 * the same function (in finally) or handed back to the caller. Python: a with block (or the decorator) ends it;
 * start_span needs span.end() in a finally. An end() outside finally is a warning (an exception skips it).
 */
import type { Check } from '../../check.js';
import { evidence } from '../../../source-reading/code.js';
import { combine, type Finding } from './support/result.js';
import { checkedServices, serviceSources } from '../../../source-reading/repo-files.js';
import { escapeRe, finallyBlocks, serviceSpanStarts, type SpanStart } from '../../../source-reading/spans.js';

const ITEM = 'pitfall-span-not-ended';
export const NO_SPANS_FIX =
  'Wrap a business operation of a handler in a span of your own tracer (startActiveSpan / start_as_current_span / tracer.Start), then run the checks again.';

export const pitfallSpanNotEnded: Check = {
  itemId: ITEM,
  async run(ctx) {
    const findings: Finding[] = [];
    let files = 0;
    let spans = 0;
    for (const service of checkedServices(ctx)) {
      const sources = await serviceSources(ctx, service);
      files += sources.length;
      for (const start of serviceSpanStarts(sources)) {
        spans++;
        const f = judge(start);
        if (f) findings.push(f);
      }
    }
    if (files === 0) return combine(ITEM, [], 'no Node, Python or Go source files to check');
    if (findings.length === 0) {
      if (spans === 0)
        return combine(
          ITEM,
          [
            {
              status: 'nothing-to-check',
              message: `nothing to check: no manually started spans in ${files} source files`,
              evidence: [{ note: `0 span starts in ${files} files` }],
              fix: NO_SPANS_FIX,
            },
          ],
          '',
        );
      return combine(
        ITEM,
        [
          {
            status: 'pass',
            message: `all ${spans} manually started spans are ended on every path`,
            evidence: [{ note: `${spans} span starts in ${files} files` }],
          },
        ],
        '',
      );
    }
    return combine(ITEM, findings, '');
  },
};

function where(s: SpanStart): string {
  return `${s.file.path}: span ${s.name !== undefined ? `"${s.name}"` : s.nameExpr || '(unnamed)'}`;
}

function judge(s: SpanStart): Finding | undefined {
  const ev = [evidence(s.file, s.index)];
  const region = s.file.code.slice(s.region.start, s.region.end);
  const v = s.spanVar ? escapeRe(s.spanVar) : undefined;
  const inFinally = (i: number) => finallyBlocks(s.file).some((r) => r.start <= i && i <= r.end);
  switch (s.api) {
    case 'py-with':
    case 'py-decorator':
    case 'node-helper':
      return undefined;
    case 'py-bare':
      return {
        status: 'warn',
        message: `${where(s)} comes from start_as_current_span outside a with block or decorator`,
        evidence: ev,
        fix: 'Use it as `with tracer.start_as_current_span("name") as span:` so the span ends when the block exits.',
      };
    case 'go-start': {
      if (s.spanVar === '_')
        return {
          status: 'fail',
          message: `${where(s)} is discarded (_), so it can never be ended`,
          evidence: ev,
          fix: 'Keep the span: ctx, span := tracer.Start(ctx, "name"); defer span.End().',
        };
      if (new RegExp(`\\bdefer\\s+${v}\\.End\\s*\\(`).test(region)) return undefined;
      if (new RegExp(`\\bdefer\\s+func\\s*\\([^)]*\\)\\s*\\{[^}]*\\b${v}\\.End\\s*\\(`).test(region)) return undefined;
      if (new RegExp(`\\b${v}\\.End\\s*\\(`).test(region))
        return {
          status: 'warn',
          message: `${where(s)} is ended, but not with defer: an early return leaves it open`,
          evidence: ev,
          fix: 'Write defer span.End() right after tracer.Start.',
        };
      if (new RegExp(`\\breturn\\b[^\\n]*\\b${v}\\b`).test(region)) return undefined;
      return {
        status: 'fail',
        message: `${where(s)} is started with tracer.Start but never ended (no defer ${s.spanVar}.End())`,
        evidence: ev,
        fix: `Add defer ${s.spanVar}.End() right after tracer.Start.`,
      };
    }
    case 'node-active':
    case 'node-start':
    case 'py-start': {
      if (!v) {
        return s.api === 'node-start'
          ? {
              status: 'fail',
              message: `${where(s)} is started with startSpan and the span is not kept, so it can never be ended`,
              evidence: ev,
              fix: 'Keep the span and end it in a finally block, or use startActiveSpan.',
            }
          : undefined;
      }
      const endRe = new RegExp(`\\b${v}\\s*\\.\\s*end\\s*\\(`, 'g');
      const ends = [...region.matchAll(endRe)].map((m) => s.region.start + m.index);
      if (ends.some(inFinally)) return undefined;
      if (
        s.api !== 'node-active' &&
        new RegExp(
          `\\breturn\\s+${v}\\b|\\buse_span\\s*\\(\\s*${v}\\b[^)]*end_on_exit\\s*=\\s*True|\\bwith\\s+${v}\\b`,
        ).test(region)
      )
        return undefined;
      if (ends.length > 0) {
        return {
          status: 'warn',
          message: `${where(s)} is ended outside a finally block, so a thrown error leaves it open`,
          evidence: [...ev, evidence(s.file, ends[0]!)],
          fix:
            s.file.lang === 'python'
              ? 'End it in finally: (or use a with block).'
              : 'Wrap the work in try { ... } finally { span.end(); }.',
        };
      }
      return {
        status: 'fail',
        message: `${where(s)} is never ended (${s.spanVar}.end() is missing)`,
        evidence: ev,
        fix:
          s.file.lang === 'python'
            ? 'Use `with tracer.start_as_current_span(...)`, or call span.end() in a finally block.'
            : 'Call span.end() in a finally block of the callback.',
      };
    }
  }
}
