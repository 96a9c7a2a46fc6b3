/**
 * Reference pages split into passages and ranked by BM25 over their terms: the offline answer of `trace-guide ask`.
 * No dependency: a small tokenizer (lower case, words of letters/digits, a short stop list, a light plural strip).
 */
import type { StepId } from '../skill/schema.js';

export interface Passage {
  step: StepId;
  /** The page title (its first `#` heading). */
  page: string;
  /** The nearest `##`/`###` heading above the passage ('' at the top of the page). */
  heading: string;
  text: string;
}

export interface RankedPassage extends Passage {
  score: number;
}

const STOP = new Set(
  'a an and are as at be but by can do does did for from has have how i if in into is it its not no of on or so that the their then there these they this to too was we what when where which who why will with you your my me our us should would could'.split(
    ' ',
  ),
);

/** Lower-cased terms of a text, without stop words; trailing plural "s" dropped so "traces" meets "trace". */
export function terms(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return words
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map((w) => (w.length > 4 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

/** Paragraphs longer than this are kept whole; shorter neighbours under one heading are merged up to it. */
const MAX_PASSAGE = 900;

/** Splits a markdown page by heading, then by blank-line paragraph (code fences kept whole), merging short ones. */
export function splitPage(step: StepId, markdown: string): Passage[] {
  const lines = markdown.split(/\r?\n/);
  const page = (lines.find((l) => /^#\s/.test(l)) ?? `# ${step}`).replace(/^#\s+/, '').trim();
  const passages: Passage[] = [];
  let heading = '';
  let paragraphs: string[] = [];
  let current: string[] = [];
  let inFence = false;
  const endParagraph = () => {
    const text = current.join('\n').trim();
    if (text) paragraphs.push(text);
    current = [];
  };
  const endSection = () => {
    endParagraph();
    let chunk = '';
    for (const paragraph of paragraphs) {
      if (chunk && chunk.length + paragraph.length > MAX_PASSAGE) {
        passages.push({ step, page, heading, text: chunk });
        chunk = '';
      }
      chunk = chunk ? `${chunk}\n\n${paragraph}` : paragraph;
    }
    if (chunk) passages.push({ step, page, heading, text: chunk });
    paragraphs = [];
  };
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (!inFence && /^#{1,6}\s/.test(line)) {
      endSection();
      heading = /^#\s/.test(line) ? '' : line.replace(/^#+\s+/, '').trim();
      continue;
    }
    if (!inFence && line.trim() === '') endParagraph();
    else current.push(line);
  }
  endSection();
  return passages;
}

export function splitPages(pages: Partial<Record<StepId, string>>): Passage[] {
  return (Object.entries(pages) as [StepId, string][]).flatMap(([step, markdown]) => splitPage(step, markdown));
}

/** BM25 (k1 1.2, b 0.75) of every passage against the question; the heading counts as part of the passage. */
export function rankPassages(passages: Passage[], question: string, limit = 3): RankedPassage[] {
  const query = [...new Set(terms(question))];
  if (query.length === 0 || passages.length === 0) return [];
  const docs = passages.map((p) => terms(`${p.heading} ${p.heading} ${p.text}`));
  const avg = docs.reduce((n, d) => n + d.length, 0) / docs.length || 1;
  const df = new Map<string, number>();
  for (const doc of docs) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  const k1 = 1.2;
  const b = 0.75;
  const ranked = passages.map((passage, i) => {
    const doc = docs[i]!;
    const tf = new Map<string, number>();
    for (const term of doc) tf.set(term, (tf.get(term) ?? 0) + 1);
    let score = 0;
    for (const term of query) {
      const f = tf.get(term) ?? 0;
      if (f === 0) continue;
      const n = df.get(term) ?? 0;
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      score += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * doc.length) / avg));
    }
    return { ...passage, score };
  });
  return ranked
    .filter((p) => p.score > 0)
    .sort((x, y) => y.score - x.score)
    .slice(0, limit);
}
