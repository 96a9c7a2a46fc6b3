/**
 * What a user can do for a service whose language trace-guide lists but has no recipes for yet: the language's own
 * OpenTelemetry option, as the skill's data says it (skills/instrument-distributed-tracing/listed-languages.yaml).
 * Read once per process; a missing or malformed file is an error that names the file and the field.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { defaultSkillDir } from './load.js';

export const LISTED_LANGUAGES_FILE = 'listed-languages.yaml';

const AdviceSchema = z.strictObject({
  label: z.string().min(1),
  option: z.string().min(1),
  zeroCode: z.boolean(),
  packages: z.array(z.string().min(1)).min(1),
  how: z.string().min(1),
  docs: z.string().url(),
});
export type ListedAdvice = z.infer<typeof AdviceSchema>;

const FileSchema = z.record(z.string(), AdviceSchema);

const cache = new Map<string, Promise<Readonly<Record<string, ListedAdvice>>>>();

async function load(file: string): Promise<Readonly<Record<string, ListedAdvice>>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw inputError(
      `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      'reinstall trace-guide, or restore the skill folder',
      error,
    );
  }
  const parsed = FileSchema.safeParse(parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw inputError(
      `${file}: ${issue.path.join('.') || '(top)'}: ${issue.message}`,
      'fix the skill data file at the field named above',
    );
  }
  return parsed.data;
}

/** The advice for a listed language; an error when the data has no entry for it (a language added without its data). */
export async function listedAdvice(language: string, skillDir: string = defaultSkillDir()): Promise<ListedAdvice> {
  const file = path.join(skillDir, LISTED_LANGUAGES_FILE);
  let loading = cache.get(file);
  if (!loading) {
    loading = load(file);
    cache.set(file, loading);
    loading.catch(() => cache.delete(file));
  }
  const advice = (await loading)[language];
  if (!advice)
    throw inputError(
      `${file}: no entry for the language '${language}'`,
      `add a '${language}:' entry (label, option, zeroCode, packages, how, docs)`,
    );
  return advice;
}
