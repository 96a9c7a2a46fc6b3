/**
 * pitfall-over-instrumentation: spans belong around service boundaries, queries, external calls and business steps.
 * Warns on spans started inside loops, in getters / tiny helpers (a function of a few lines whose name reads like an
 * accessor), and on files with more manual spans than MAX_SPANS_PER_FILE.
 */
import type { Check } from '../../check.js';
import { evidence, type Range, type SourceFile } from '../../../source-reading/code.js';
import { combine, type Finding } from './support/result.js';
import { checkedServices, serviceSources } from '../../../source-reading/repo-files.js';
import { serviceSpanStarts, type SpanStart } from '../../../source-reading/spans.js';
import { NO_SPANS_FIX } from './pitfall-span-not-ended.js';
import { pythonBlock, matchBracket } from '../../../source-reading/code.js';

const ITEM = 'pitfall-over-instrumentation';
export const MAX_SPANS_PER_FILE = 12;
const GETTER = /^(?:get|is|has|to|format|_get|get_|is_|has_)[A-Z_]?\w*$/;

export const pitfallOverInstrumentation: Check = {
  itemId: ITEM,
  async run(ctx) {
    const findings: Finding[] = [];
    let total = 0;
    for (const service of checkedServices(ctx)) {
      const sources = await serviceSources(ctx, service);
      const starts = serviceSpanStarts(sources);
      total += starts.length;
      const byFile = new Map<SourceFile, SpanStart[]>();
      for (const s of starts) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
      for (const [file, list] of byFile) {
        if (list.length > MAX_SPANS_PER_FILE) {
          findings.push({
            status: 'warn',
            message: `${file.path}: ${list.length} manual spans in one file (more than ${MAX_SPANS_PER_FILE})`,
            evidence: list.slice(0, 3).map((s) => evidence(file, s.index)),
            fix: 'Keep spans for boundaries, queries, external calls and business steps; drop the ones around small helpers.',
          });
        }
        for (const s of list) {
          if (inLoop(file, s.index)) {
            findings.push({
              status: 'warn',
              message: `${file.path}: a span is started inside a loop, one span per iteration`,
              evidence: [evidence(file, s.index)],
              fix: 'Put one span around the loop and record the count as an attribute, or add events instead of spans.',
            });
          } else if (s.fn?.name && GETTER.test(s.fn.name) && lines(file, s.fn) <= 8) {
            findings.push({
              status: 'warn',
              message: `${file.path}: a span in the small helper ${s.fn.name}() adds a span per call without explaining latency`,
              evidence: [evidence(file, s.index)],
              fix: "Remove the span from the helper; the caller's span already covers it.",
            });
          }
        }
      }
    }
    if (findings.length > 0) return combine(ITEM, findings, '');
    if (total === 0)
      return combine(
        ITEM,
        [
          {
            status: 'nothing-to-check',
            message: 'nothing to check: no manual spans',
            evidence: [{ note: '0 manual spans' }],
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
          message: `${total} manual spans, none in loops or tiny helpers, at most ${MAX_SPANS_PER_FILE} per file`,
          evidence: [{ note: `${total} manual spans checked` }],
        },
      ],
      '',
    );
  },
};

function lines(file: SourceFile, r: Range): number {
  return file.code
    .slice(r.start, r.end)
    .split('\n')
    .filter((l) => l.trim() !== '').length;
}

function inLoop(file: SourceFile, index: number): boolean {
  if (file.lang === 'python') {
    for (const m of file.code.matchAll(/^[ \t]*(?:async[ \t]+)?(?:for|while)\b[^\n]*:/gm)) {
      if (m.index > index) break;
      const b = pythonBlock(file.code, m.index);
      if (b.start <= index && index <= b.end) return true;
    }
    return false;
  }
  for (const m of file.skeleton.matchAll(/\b(?:for|while)\b[^{;\n]*(?:;[^{;\n]*){0,2}\{|\.(?:forEach|map)\s*\(/g)) {
    if (m.index > index) break;
    const open = m[0].endsWith('{') ? m.index + m[0].length - 1 : m.index + m[0].length - 1;
    const close = matchBracket(file.skeleton, open);
    if (close > 0 && open < index && index < close) return true;
  }
  return false;
}
