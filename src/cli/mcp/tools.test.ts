import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCliArgs } from '../args.js';
import { TOOLS } from './tools.js';

const tool = (name: string) => TOOLS.find((t) => t.name === name)!;
const parse = (name: string, input: unknown) => z.object(tool(name).input).safeParse(input);

describe('MCP tools', () => {
  it('turn every valid input into a command line the CLI accepts', () => {
    const inputs: Record<string, object> = {
      scan: {},
      status: {},
      plan: { step: 2, set: ['protocol=grpc'], offline: true },
      apply: { step: 2, ids: ['a', 'b'], commit: true },
      undo: { step: 3, force: true },
      check: { step: 4 },
      doctor: { fixIds: ['fix-1'] },
      score: { min: 75 },
      ask: { question: '--what is sampling?', step: 5 },
    };
    expect(TOOLS.map((t) => t.name).sort()).toEqual(Object.keys(inputs).sort());
    for (const spec of TOOLS) {
      const input = parse(spec.name, inputs[spec.name]);
      expect(input.success, spec.name).toBe(true);
      const args = parseCliArgs(['--json', ...spec.argv(input.data as never, '/repo')]);
      expect(args).toMatchObject({ command: spec.name, dir: '/repo', json: true });
    }
  });

  it('apply changes files only for explicit proposal ids, never all of them', () => {
    expect(parse('apply', { step: 1 }).success).toBe(false);
    expect(parse('apply', { step: 1, ids: [] }).success).toBe(false);
    expect(parse('apply', { step: 1, ids: ['a,b'] }).success).toBe(false);
    const args = parseCliArgs(tool('apply').argv({ step: 1, ids: ['compose'] } as never, '/repo'));
    expect(args).toMatchObject({ command: 'apply', step: 0, only: ['compose'], yes: true });
    const dry = parseCliArgs(tool('apply').argv({ step: 1, ids: ['compose'], dryRun: true } as never, '/repo'));
    expect(dry).toMatchObject({ only: ['compose'], dryRun: true });
    expect(dry.yes).toBeUndefined();
    const done = parseCliArgs(tool('apply').argv({ step: 2, ids: ['orders:start-sdk'], done: true } as never, '/repo'));
    expect(done).toMatchObject({ only: ['orders:start-sdk'], done: true });
  });

  it('doctor applies fixes only when given their ids', () => {
    expect(parseCliArgs(tool('doctor').argv({} as never, '/repo')).yes).toBeUndefined();
    expect(parse('doctor', { fixIds: [] }).success).toBe(false);
    expect(parseCliArgs(tool('doctor').argv({ fixIds: ['f1', 'f2'] } as never, '/repo'))).toMatchObject({
      yes: true,
      only: ['f1', 'f2'],
    });
  });

  it('keeps a question or a folder that starts with a dash an operand', () => {
    const args = parseCliArgs(tool('ask').argv({ question: '--help me' } as never, '-odd-folder'));
    expect(args).toMatchObject({ command: 'ask', dir: '-odd-folder', question: '--help me' });
  });

  it('refuse steps outside 1..6', () => {
    expect(parse('plan', { step: 0 }).success).toBe(false);
    expect(parse('check', { step: 7 }).success).toBe(false);
    expect(parse('plan', {}).success).toBe(false);
  });
});
