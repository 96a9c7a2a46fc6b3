import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';

describe('parseCliArgs', () => {
  it('parses the JSON commands with their options', () => {
    expect(parseCliArgs(['plan', 'repo', '--step', '2', '--set', 'backend=local', '--json'])).toEqual({
      command: 'plan',
      dir: 'repo',
      json: true,
      step: 1,
      set: ['backend=local'],
    });
    expect(parseCliArgs(['apply', '--step', '1', '--only', 'a,b', '--only', 'c', '--yes', '--commit'])).toMatchObject({
      command: 'apply',
      step: 0,
      only: ['a', 'b', 'c'],
      yes: true,
      commit: true,
    });
    expect(parseCliArgs(['undo', '--force'])).toMatchObject({ command: 'undo', force: true, dir: '.' });
  });

  it('refuses options a command does not take, a missing or bad --step, and --yes with --dry-run', () => {
    expect(() => parseCliArgs(['scan', '--yes'])).toThrow(/scan does not take --yes/);
    expect(() => parseCliArgs(['plan', '--only', 'x', '--step', '1'])).toThrow(/plan does not take --only/);
    expect(() => parseCliArgs(['plan'])).toThrow(/plan needs --step N/);
    expect(() => parseCliArgs(['apply', '--step', '7', '--yes'])).toThrow(/from 1 to 6/);
    expect(() => parseCliArgs(['apply', '--step', 'two', '--yes'])).toThrow(/from 1 to 6/);
    expect(() => parseCliArgs(['apply', '--step', '1', '--yes', '--dry-run'])).toThrow(/contradict/);
  });

  it('parses --model (bare or =name), --offline and the ask command', () => {
    expect(parseCliArgs(['plan', '--step', '2', '--model'])).toMatchObject({ command: 'plan', step: 1, model: '' });
    expect(parseCliArgs(['plan', '--model', 'repo', '--step', '2'])).toMatchObject({ dir: 'repo', model: '' });
    expect(parseCliArgs(['apply', '--step', '1', '--yes', '--model=claude-opus-4-1'])).toMatchObject({
      command: 'apply',
      model: 'claude-opus-4-1',
    });
    expect(parseCliArgs(['plan', '--step', '1', '--offline'])).toMatchObject({ offline: true });
    expect(() => parseCliArgs(['plan', '--step', '1', '--offline', '--model'])).toThrow(/contradict/);
    expect(() => parseCliArgs(['scan', '--model'])).toThrow(/scan does not take --model/);
    expect(() => parseCliArgs(['undo', '--offline'])).toThrow(/undo does not take --offline/);

    expect(parseCliArgs(['ask', 'why no tail sampling?'])).toEqual({
      command: 'ask',
      dir: '.',
      json: false,
      question: 'why no tail sampling?',
    });
    expect(parseCliArgs(['ask', 'repo', '--step', '5', 'why?', '--json', '--offline'])).toEqual({
      command: 'ask',
      dir: 'repo',
      json: true,
      step: 4,
      offline: true,
      question: 'why?',
    });
    expect(() => parseCliArgs(['ask'])).toThrow(/ask needs one question/);
    expect(() => parseCliArgs(['ask', 'a', 'b', 'c'])).toThrow(/ask needs one question/);
    expect(() => parseCliArgs(['ask', '  '])).toThrow(/not empty/);
    expect(() => parseCliArgs(['ask', 'q', '--yes'])).toThrow(/ask does not take --yes/);
  });
});
