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
});
