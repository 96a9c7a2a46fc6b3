/**
 * `--save FILE` of receive, check and score: what arrived, written as OTLP JSON lines that `score --from` and `diff` read
 * back. The path is checked before anything runs (a directory, or a folder that does not exist, is refused); the file is
 * written to a temporary file beside it and renamed into place, and a file already there is kept as FILE.bak.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { usageError } from '../core/errors.js';
import type { ReceivedSpan } from '../verify/receiver/span.js';
import { otlpJsonLines } from './otlp-json-encoder.js';

export interface SavedSnapshot {
  file: string;
  spans: number;
  traces: number;
  /** Where the file that was there before went. */
  backup?: string;
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw usageError(`--save ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Refuses a path that cannot be saved to; call it before starting anything. Returns the absolute path. */
export function checkSavePath(file: string): string {
  if (file.trim() === '') throw usageError('--save expects a file path');
  const path = resolve(file);
  const parent = statOrUndefined(dirname(path));
  if (!parent)
    throw usageError(
      `--save ${file}: the folder ${dirname(path)} does not exist`,
      'create it first, or save somewhere else',
    );
  if (!parent.isDirectory()) throw usageError(`--save ${file}: ${dirname(path)} is not a folder`);
  if (statOrUndefined(path)?.isDirectory())
    throw usageError(`--save ${file} is a directory`, 'give a file path, e.g. --save run.otlp.jsonl');
  return path;
}

/** Writes the spans to the file (temporary file, then rename); an existing file is moved to FILE.bak first. */
export async function saveSnapshot(file: string, spans: readonly ReceivedSpan[]): Promise<SavedSnapshot> {
  const path = checkSavePath(file);
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, otlpJsonLines(spans), { flag: 'wx' });
  let backup: string | undefined;
  try {
    if (statOrUndefined(path)) {
      backup = `${path}.bak`;
      await rename(path, backup);
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw usageError(`--save ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return {
    file: path,
    spans: spans.length,
    traces: new Set(spans.map((s) => s.traceId)).size,
    ...(backup ? { backup } : {}),
  };
}

/** The line the commands print after saving. */
export function savedLine(saved: SavedSnapshot): string {
  const kept = saved.backup ? ` (the file that was there is kept as ${saved.backup})` : '';
  return `saved ${saved.spans} span(s) in ${saved.traces} trace(s) to ${saved.file} as OTLP JSON lines${kept}`;
}
