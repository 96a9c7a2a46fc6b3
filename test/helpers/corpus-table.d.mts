/** Types of corpus-table.mjs: the corpus summary shared by bench/corpus.mjs and the shapes-corpus end-to-end test. */
import type { ShapeDrive } from './shapes-drive.mjs';
export declare const OBSERVED_STEPS: number[];
export type CorpusRow =
  | (ShapeDrive & { seconds?: number; rejected?: string[]; error?: undefined })
  | { name: string; error: string; seconds?: number };
export declare function corpusTable(rows: CorpusRow[]): {
  text: string;
  falsePasses: number;
  agreeing: number;
  judged: number;
  failedDrives: number;
  undecoded: number;
};
