import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useFakeTools } from '../../test/helpers/fake-tool.js';
import { makeSampleRepo, removeSampleRepo } from '../../test/helpers/sample-repo.js';
import { ProposalSchema, type Proposal, type ProposalInput } from '../types/proposal.js';
import { applyProposals, type ApplyProgress } from './apply.js';
import { concurrentWaves } from './concurrent-waves.js';
import { readJournal } from './journal.js';

function p(id: string, change: ProposalInput['change'], extra: Partial<ProposalInput> = {}): Proposal {
  return ProposalSchema.parse({
    id,
    step: 'auto-instrumentation',
    title: id,
    why: 'test',
    change,
    source: 'recipe',
    ...extra,
  });
}

const install = (id: string, cwd: string, touches: string[] = [], extra: Partial<ProposalInput> = {}) =>
  p(id, { kind: 'command', command: 'npm install', cwd, touches }, extra);
const ids = (waves: Proposal[][]) => waves.map((wave) => wave.map((proposal) => proposal.id));

describe('concurrentWaves', () => {
  it('puts consecutive commands of separate folders together, and everything else alone in order', () => {
    const edit = p('edit', { kind: 'create', path: 'web/tracing.js', content: 'x' });
    expect(
      ids(
        concurrentWaves([
          install('web', 'web'),
          install('api', 'api'),
          install('worker', 'services/worker'),
          edit,
          install('late', 'late'),
        ]),
      ),
    ).toEqual([['web', 'api', 'worker'], ['edit'], ['late']]);
  });

  it('keeps apart commands in the same or nested folders, sharing a touched file, or waiting for one another', () => {
    expect(ids(concurrentWaves([install('a', 'web'), install('b', 'web')]))).toEqual([['a'], ['b']]);
    expect(ids(concurrentWaves([install('root', '.'), install('web', 'web')]))).toEqual([['root'], ['web']]);
    expect(ids(concurrentWaves([install('outer', 'apps'), install('inner', 'apps/web')]))).toEqual([
      ['outer'],
      ['inner'],
    ]);
    expect(ids(concurrentWaves([install('a', 'a', ['go.work']), install('b', 'b', ['go.work'])]))).toEqual([
      ['a'],
      ['b'],
    ]);
    expect(ids(concurrentWaves([install('a', 'a'), install('b', 'b', [], { after: ['a'] })]))).toEqual([['a'], ['b']]);
  });

  it('is one proposal per wave when asked to be sequential', () => {
    expect(ids(concurrentWaves([install('a', 'a'), install('b', 'b')], true))).toEqual([['a'], ['b']]);
  });
});

describe('applyProposals with installs of different services', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await removeSampleRepo(dir);
  });

  it('runs them at the same time, keeps each one output with its own proposal, and journals every write', async () => {
    const dir = await makeSampleRepo(
      { 'web/package.json': '{}\n', 'api/package.json': '{}\n' },
      { prefix: 'trace-guide-waves-' },
    );
    dirs.push(dir);
    // Each stand-in install announces itself, then waits for the other's announcement: run one after the other, the
    // first would give up after 5 s and fail; run together, both finish.
    const fake = await useFakeTools({
      npm: [
        'me=$(basename "$PWD"); touch "../$me.started"; echo "installing $me"',
        'other=web; [ "$me" = web ] && other=api',
        'i=0; while [ ! -e "../$other.started" ]; do i=$((i+1)); [ $i -gt 100 ] && { echo "$other never started" >&2; exit 7; }; sleep 0.05; done',
        'echo "lock $me" > package-lock.json; echo "done $me"',
      ].join('\n'),
    });
    const events: ApplyProgress[] = [];
    try {
      const outcome = await applyProposals(
        dir,
        [install('web', 'web', ['web/package-lock.json']), install('api', 'api', ['api/package-lock.json'])],
        {
          onProgress: (event) => events.push(event),
        },
      );
      expect(outcome.results.map((r) => [r.proposalId, r.ok])).toEqual([
        ['web', true],
        ['api', true],
      ]);
      expect(await readFile(path.join(dir, 'api/package-lock.json'), 'utf8')).toBe('lock api\n');
      const outputOf = (id: string) =>
        events
          .filter((e): e is Extract<ApplyProgress, { type: 'output' }> => e.type === 'output' && e.proposal.id === id)
          .map((e) => e.text)
          .join('');
      expect(outputOf('web')).toContain('installing web');
      expect(outputOf('web')).not.toContain('api');
      expect(outputOf('api')).toContain('done api');
      expect(outputOf('api')).not.toContain('web');
      expect((await readJournal(dir)).map((w) => w.path).sort()).toEqual([
        'api/package-lock.json',
        'web/package-lock.json',
      ]);
    } finally {
      await fake.restore();
    }
  });
});
