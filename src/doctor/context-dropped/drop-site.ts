/**
 * What the context-dropped linters report: the cause's id, a place in the code where a span loses the request's
 * context (a drop site), and the text replacements that would fix it.
 */
import type { Range, SourceFile } from '../../source-reading/code.js';

/** The id of the context-dropped cause, which its findings and proposals carry. */
export const CONTEXT_DROPPED_ID = 'context-dropped' as const;

/** One replacement in a file: [at, end) of the file's text becomes `text`. */
export interface Replacement {
  at: number;
  end: number;
  text: string;
}

/** A place in the code where the context is dropped, with the rewrite when one is safe. */
export interface DropSite {
  file: SourceFile;
  index: number;
  /** What is wrong there, as the finding's summary would say it. */
  what: string;
  note: string;
  /** The replacements that fix it (all in `file`), and the range they must be edited as one piece in (a goroutine). */
  fix?: { reps: Replacement[]; block?: Range };
  /** Another file's edit the fix needs (callers of a function given a ctx parameter). */
  more?: Array<{ file: SourceFile; reps: Replacement[] }>;
}
