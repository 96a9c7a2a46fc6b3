/** The command line of snapshots: --save on receive, check and score only; diff takes exactly two files. */
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../cli/args.js';

describe('snapshot arguments', () => {
  it('takes --save FILE on receive, check and score, and refuses it elsewhere, empty, or with --from', () => {
    expect(parseCliArgs(['receive', '--save', 'run.jsonl'])).toMatchObject({ command: 'receive', save: 'run.jsonl' });
    expect(parseCliArgs(['check', 'repo', '--step', '2', '--save', 'run.jsonl'])).toMatchObject({
      command: 'check',
      dir: 'repo',
      save: 'run.jsonl',
    });
    expect(parseCliArgs(['score', '--save', 'run.jsonl', '--min', '70'])).toMatchObject({
      command: 'score',
      save: 'run.jsonl',
      min: 70,
    });
    expect(() => parseCliArgs(['doctor', '--save', 'x'])).toThrow(/doctor does not take --save/);
    expect(() => parseCliArgs(['receive', '--save', ' '])).toThrow(/--save expects a file path/);
    expect(() => parseCliArgs(['score', '--from', 'a.jsonl', '--save', 'b.jsonl'])).toThrow(
      /--from reads a saved file/,
    );
  });

  it('takes diff A B (with --json) and refuses one file, three, or options it does not take', () => {
    expect(parseCliArgs(['diff', 'a.jsonl', 'b.jsonl', '--json'])).toEqual({
      command: 'diff',
      dir: '.',
      json: true,
      snapshots: ['a.jsonl', 'b.jsonl'],
    });
    expect(() => parseCliArgs(['diff', 'a.jsonl'])).toThrow(/diff needs two snapshot files/);
    expect(() => parseCliArgs(['diff', 'a', 'b', 'c'])).toThrow(/diff needs two snapshot files/);
    expect(() => parseCliArgs(['diff', 'a', 'b', '--save', 'c'])).toThrow(/diff does not take --save/);
  });
});
