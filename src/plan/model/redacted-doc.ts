/**
 * A file as the model sees it (redacted) together with its raw text, so the model's edits are judged against what it
 * saw and never against the secret: an `old` text is looked for in the redacted view; one that overlaps or touches a
 * [REDACTED] span is refused with a reason that says nothing about the secret; an accepted edit is mapped back to the
 * raw file through the spans. Every answer depends on the view alone, so accept / refuse cannot be used as an oracle
 * to guess a secret one character at a time.
 */
import type { EditPair } from '../../types/proposal.js';
import { applySpans, REDACTED, secretSpans, type Span } from './redaction.js';

export type ViewEditResult =
  | { ok: true; doc: RedactedDoc; rawEdits: EditPair[] }
  | { ok: false; pair: number; message: string };

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

export class RedactedDoc {
  /** The redacted text, as the model reads it. */
  readonly view: string;

  private constructor(
    /** The file as it is (or will be after the accepted proposals); never sent to the model. */
    readonly raw: string,
    /** Secret spans of `raw`: sorted, disjoint. Once hidden, a span stays hidden through later edits. */
    readonly spans: readonly Span[],
  ) {
    this.view = applySpans(raw, spans);
  }

  static of(raw: string): RedactedDoc {
    return new RedactedDoc(raw, secretSpans(raw));
  }

  /** Where each span sits in the view. */
  private viewSpans(): Span[] {
    let shift = 0;
    return this.spans.map((s) => {
      const start = s.start - shift;
      shift += s.end - s.start - REDACTED.length;
      return { start, end: start + REDACTED.length };
    });
  }

  /**
   * Applies the model's edits in order, each matched against the view as it is when its turn comes. Returns the new
   * document and the same edits in raw form (widened with surrounding non-secret text when the raw file holds the `old`
   * text more than once, e.g. inside a secret), or the first refused pair with a reason built from the view only.
   */
  applyEdits(edits: readonly EditPair[]): ViewEditResult {
    let doc: RedactedDoc = this;
    const rawEdits: EditPair[] = [];
    for (const [index, pair] of edits.entries()) {
      if (pair.old.includes(REDACTED) || pair.new.includes(REDACTED)) {
        return { ok: false, pair: index, message: `the edit contains ${REDACTED}; leave secret values out of edits` };
      }
      const found = count(doc.view, pair.old);
      if (found !== 1) {
        // The model's own text is not echoed: two guesses differing in one character get the very same answer.
        const what = found === 0 ? 'is not in the file' : `occurs ${found} times, expected once`;
        return { ok: false, pair: index, message: `the old text ${what}` };
      }
      const at = doc.view.indexOf(pair.old);
      const end = at + pair.old.length;
      const viewSpans = doc.viewSpans();
      if (viewSpans.some((s) => at <= s.end && end >= s.start)) {
        return {
          ok: false,
          pair: index,
          message: `the text to replace overlaps or touches a ${REDACTED} value; choose old text that leaves the secret and the characters right next to it alone`,
        };
      }
      const before = viewSpans.filter((s) => s.end <= at).length;
      const rawAt = at + doc.spans.slice(0, before).reduce((sum, s) => sum + (s.end - s.start - REDACTED.length), 0);
      const rawEnd = rawAt + pair.old.length;
      rawEdits.push(
        doc.rawEdit(
          rawAt,
          rawEnd,
          pair.new,
          doc.spans[before - 1]?.end ?? 0,
          doc.spans[before]?.start ?? doc.raw.length,
        ),
      );
      const raw = doc.raw.slice(0, rawAt) + pair.new + doc.raw.slice(rawEnd);
      const delta = pair.new.length - pair.old.length;
      const kept = doc.spans.map((s) => (s.start >= rawEnd ? { start: s.start + delta, end: s.end + delta } : s));
      doc = new RedactedDoc(raw, mergeSpans([...kept, ...secretSpans(raw)]));
    }
    return { ok: true, doc, rawEdits };
  }

  /**
   * The raw form of replacing raw[at, end) with `replacement`: the old text itself when it occurs once in the raw file,
   * else widened on both sides (never into a secret span, bounded by `low` and `high`) until it does. When no widening
   * makes it unique, the plain pair is kept and apply will refuse it for the user, without the model learning anything.
   */
  private rawEdit(at: number, end: number, replacement: string, low: number, high: number): EditPair {
    const old = this.raw.slice(at, end);
    if (count(this.raw, old) === 1) return { old, new: replacement };
    for (let widen = 16; ; widen *= 2) {
      const from = Math.max(low, at - widen);
      const to = Math.min(high, end + widen);
      const wider = this.raw.slice(from, to);
      if (count(this.raw, wider) === 1) {
        return { old: wider, new: this.raw.slice(from, at) + replacement + this.raw.slice(end, to) };
      }
      if (from === low && to === high) return { old, new: replacement };
    }
  }
}
