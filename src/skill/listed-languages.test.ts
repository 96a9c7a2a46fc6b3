import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { LANGUAGE_SCANNERS } from '../lang/scanners.js';
import { defaultSkillDir } from './load.js';
import { LISTED_LANGUAGES_FILE, listedAdvice } from './listed-languages.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function skillDirWith(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tg-listed-'));
  dirs.push(dir);
  await writeFile(path.join(dir, LISTED_LANGUAGES_FILE), text);
  return dir;
}

describe('listed-languages.yaml', () => {
  it('has an entry for exactly the languages the scan lists without recipes', async () => {
    const listed = Object.entries(LANGUAGE_SCANNERS)
      .filter(([, s]) => s.support === 'listed')
      .map(([l]) => l)
      .sort();
    const data = parse(readFileSync(path.join(defaultSkillDir(), LISTED_LANGUAGES_FILE), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(Object.keys(data).sort()).toEqual(listed);
    for (const language of listed) expect((await listedAdvice(language)).packages.length).toBeGreaterThan(0);
  });

  it('a malformed entry is an error naming the file and the field', async () => {
    const dir = await skillDirWith(
      'rust:\n  label: Rust\n  option: x\n  zeroCode: maybe\n  packages: [a]\n  how: h\n  docs: https://example.com/\n',
    );
    await expect(listedAdvice('rust', dir)).rejects.toThrow(/listed-languages\.yaml: rust\.zeroCode: /);
  });

  it('a language without an entry is an error that says what to add', async () => {
    const dir = await skillDirWith(
      'ruby:\n  label: Ruby\n  option: x\n  zeroCode: false\n  packages: [a]\n  how: h\n  docs: https://example.com/\n',
    );
    await expect(listedAdvice('rust', dir)).rejects.toThrow(/no entry for the language 'rust'/);
  });
});
