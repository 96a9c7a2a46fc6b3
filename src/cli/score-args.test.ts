import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';

describe('score arguments', () => {
  it('takes a directory, --min, --from, --yes and --json', () => {
    expect(parseCliArgs(['score', 'repo', '--min', '75', '--json'])).toMatchObject({
      command: 'score',
      dir: 'repo',
      min: 75,
      json: true,
    });
    expect(parseCliArgs(['score', '--from', 'saved.jsonl'])).toMatchObject({ command: 'score', from: 'saved.jsonl' });
    expect(parseCliArgs(['score', '--yes'])).toMatchObject({ command: 'score', yes: true });
  });
  it.each([['abc'], ['-1'], ['101'], ['']])('refuses --min=%s', (value) => {
    expect(() => parseCliArgs(['score', `--min=${value}`])).toThrow(/--min expects a score from 0 to 100/);
  });
  it('refuses options score does not take, and --min on other commands', () => {
    expect(() => parseCliArgs(['score', '--step', '2'])).toThrow(/score does not take --step/);
    expect(() => parseCliArgs(['check', '--min', '50'])).toThrow(/check does not take --min/);
  });
});
