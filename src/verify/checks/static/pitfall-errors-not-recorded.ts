/**
 * pitfall-errors-not-recorded: where code inside an open span catches an error (catch, except, `if err != nil`) and
 * then reports it (returns an error response, logs it, returns or re-throws it unrecorded), the span must record the
 * exception and set the error status, or the trace shows success. A catch that only falls back to a default value is
 * not an error path. A Python exception leaving a `with start_as_current_span` block, and a throw inside a withSpan-style
 * helper that records, are recorded for you.
 */
import type { Check } from '../../check.js';
import { evidence, matchBracket, pythonBlock, type Range } from '../../../source-reading/code.js';
import { combine, type Finding } from './support/result.js';
import { checkedServices, serviceSources } from '../../../source-reading/repo-files.js';
import { serviceSpanStarts, type SpanStart } from '../../../source-reading/spans.js';
import { NO_SPANS_FIX } from './pitfall-span-not-ended.js';

const ITEM = 'pitfall-errors-not-recorded';

const RECORDS = /\b(?:recordException|record_exception|RecordError|setStatus|set_status|SetStatus)\s*\(/;
const REPORTS =
  /\breturn\b|\bthrow\b|\braise\b|\bnext\s*\(\s*\w+|\b(?:log|logger|logging|console|slog|log\.Logger)\s*\.\s*(?:error|exception|warn|warning|critical|Error|Errorf|Printf|Println|Print|ErrorContext|WarnContext)\s*\(|\bres\s*\.\s*status\s*\(\s*5|\bhttp\.Error\s*\(|\.(?:JSON|AbortWithStatus\w*)\s*\(\s*http\.Status(?:Internal|BadGateway|ServiceUnavailable|GatewayTimeout)|\babort\s*\(\s*5/;

export const pitfallErrorsNotRecorded: Check = {
  itemId: ITEM,
  async run(ctx) {
    const findings: Finding[] = [];
    let checked = 0;
    let spans = 0;
    for (const service of checkedServices(ctx)) {
      const sources = await serviceSources(ctx, service);
      for (const s of serviceSpanStarts(sources)) {
        spans++;
        for (const block of errorBlocks(s)) {
          checked++;
          const body = s.file.code.slice(block.start, block.end);
          if (RECORDS.test(body)) continue;
          if (s.spanVar && new RegExp(`\\b\\w+\\s*\\(\\s*${s.spanVar}\\s*,`).test(body)) continue; // a helper given the span records it
          if (!REPORTS.test(body)) continue; // a fallback, not an error path
          if (recordedForYou(s, body)) continue;
          findings.push({
            status: 'fail',
            message: `${s.file.path}: an error handled inside span ${s.name !== undefined ? `"${s.name}"` : s.nameExpr} is not recorded on it`,
            evidence: [evidence(s.file, block.head), evidence(s.file, s.index)],
            fix:
              s.file.lang === 'go'
                ? 'In the error branch: span.RecordError(err); span.SetStatus(codes.Error, err.Error()).'
                : s.file.lang === 'python'
                  ? 'In the except block: span.record_exception(exc); span.set_status(StatusCode.ERROR, str(exc)).'
                  : 'In the catch block: span.recordException(err); span.setStatus({ code: SpanStatusCode.ERROR, message: err.message }).',
          });
        }
      }
    }
    if (findings.length > 0) return combine(ITEM, findings, '');
    if (spans === 0)
      return combine(
        ITEM,
        [
          {
            status: 'nothing-to-check',
            message: 'nothing to check: no manual spans, so no error path inside one',
            evidence: [{ note: '0 manual spans' }],
            fix: NO_SPANS_FIX,
          },
        ],
        '',
      );
    // Spans were read and none handles an error inside it: none can swallow an error without recording it.
    if (checked === 0)
      return combine(
        ITEM,
        [
          {
            status: 'pass',
            message: `none of the ${spans} manual spans handles an error inside it (no catch / except / err != nil block), so none swallows one unrecorded`,
            evidence: [{ note: `${spans} manual spans, 0 catch / except / err != nil blocks inside them` }],
          },
        ],
        '',
      );
    return combine(
      ITEM,
      [
        {
          status: 'pass',
          message: `all ${checked} error paths inside manual spans record the error or only fall back`,
          evidence: [{ note: `${checked} catch / except / err != nil blocks inside spans` }],
        },
      ],
      '',
    );
  },
};

/** Only a re-raise / re-throw that the span's wrapper records on its way out. */
function recordedForYou(s: SpanStart, body: string): boolean {
  const rethrowOnly =
    !/\breturn\b|\bnext\s*\(|\b(?:log|logger|logging|console)\s*\./.test(body) && /\b(?:raise|throw)\b/.test(body);
  if (!rethrowOnly) return false;
  return s.api === 'py-with' || s.api === 'py-decorator' || s.api === 'node-helper';
}

interface Block extends Range {
  head: number;
}

function errorBlocks(s: SpanStart): Block[] {
  const f = s.file;
  const out: Block[] = [];
  const inRegion = (i: number) => i > s.region.start && i < s.region.end;
  if (f.lang === 'python') {
    for (const m of f.code.matchAll(/^[ \t]*except\b[^\n]*:/gm)) {
      if (!inRegion(m.index)) continue;
      const b = pythonBlock(f.code, m.index);
      out.push({ ...b, head: m.index });
    }
  } else {
    const re = f.lang === 'go' ? /\bif\b[^{\n]*\berr\s*!=\s*nil\s*\{/g : /\bcatch\s*(?:\([^)]*\))?\s*\{/g;
    for (const m of f.skeleton.matchAll(re)) {
      if (!inRegion(m.index)) continue;
      const open = m.index + m[0].length - 1;
      const close = matchBracket(f.skeleton, open);
      if (close > 0) out.push({ start: open, end: close, head: m.index });
    }
  }
  // Blocks belonging to a span started inside this region are judged with that span.
  return out;
}
