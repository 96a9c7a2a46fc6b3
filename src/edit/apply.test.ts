import { chmod, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useFakeTools } from '../../test/helpers/fake-tool.js';
import { makeSampleRepo, removeSampleRepo } from '../../test/helpers/sample-repo.js';
import { ProposalSchema, type Proposal, type ProposalInput } from '../types/proposal.js';
import { applyProposals } from './apply.js';
import { unifiedDiff } from './diff.js';
import { readJournal, writesThatHappened } from './journal.js';
import { previewProposals } from './preview.js';
import { undoWrites, writesOfStep } from './undo.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) {
    await chmod(dir, 0o755).catch(() => undefined);
    await removeSampleRepo(dir);
  }
});

async function repo(files: Record<string, string>): Promise<string> {
  const dir = await makeSampleRepo(files, { prefix: 'trace-guide-apply-' });
  dirs.push(dir);
  return dir;
}

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

const read = (dir: string, rel: string) => readFile(path.join(dir, rel), 'utf8');

describe('applyProposals', () => {
  it('edits, creates and deletes atomically, backs up every pre-image, and undo restores the exact bytes', async () => {
    const original = 'const express = require("express");\r\nconst app = express();\n';
    const dir = await repo({ 'server.js': original, 'old-tracer.js': 'jaeger\n' });
    await chmod(path.join(dir, 'server.js'), 0o750);
    const outcome = await applyProposals(dir, [
      p('edit', {
        kind: 'edit',
        path: 'server.js',
        edits: [{ old: 'const app', new: 'require("./tracing.cjs");\nconst app' }],
      }),
      p('create', { kind: 'create', path: 'lib/tracing.cjs', content: 'sdk.start();\n' }),
      p('delete', { kind: 'delete', path: 'old-tracer.js' }),
      p('note', { kind: 'note', text: 'read the docs' }),
    ]);
    expect(outcome.results.every((r) => r.ok)).toBe(true);
    expect(await read(dir, 'server.js')).toContain('require("./tracing.cjs");\nconst app');
    expect((await stat(path.join(dir, 'server.js'))).mode & 0o777).toBe(0o750);
    expect(await read(dir, 'lib/tracing.cjs')).toBe('sdk.start();\n');
    await expect(stat(path.join(dir, 'old-tracer.js'))).rejects.toThrow();
    expect(outcome.writes.map((w) => [w.path, w.before === null, w.after === null])).toEqual([
      ['server.js', false, false],
      ['lib/tracing.cjs', true, false],
      ['old-tracer.js', false, true],
    ]);
    expect(await read(dir, outcome.writes[0]!.before!.backup)).toBe(original);
    expect(await readJournal(dir)).toHaveLength(3);

    const undo = await undoWrites(dir, outcome.writes);
    expect(undo.failed).toEqual([]);
    expect(await read(dir, 'server.js')).toBe(original);
    expect(await read(dir, 'old-tracer.js')).toBe('jaeger\n');
    await expect(stat(path.join(dir, 'lib'))).rejects.toThrow(); // the folder made for the created file is gone too
  });

  it('refuses an edit whose old text is missing or ambiguous, and leaves the file untouched', async () => {
    const dir = await repo({ 'a.js': 'x\nx\n' });
    const outcome = await applyProposals(dir, [
      p('missing', { kind: 'edit', path: 'a.js', edits: [{ old: 'y', new: 'z' }] }),
      p('twice', { kind: 'edit', path: 'a.js', edits: [{ old: 'x', new: 'z' }] }),
      p('gone', { kind: 'edit', path: 'b.js', edits: [{ old: 'x', new: 'z' }] }),
    ]);
    expect(outcome.results.map((r) => r.ok)).toEqual([false, false, false]);
    expect(outcome.results[0]!.message).toMatch(/is not in the file.*re-plan/);
    expect(outcome.results[1]!.message).toMatch(/occurs 2 times/);
    expect(outcome.results[2]!.message).toMatch(/b\.js does not exist/);
    expect(await read(dir, 'a.js')).toBe('x\nx\n');
    expect(outcome.writes).toEqual([]);
  });

  it('never writes outside the repo: parent escapes, symlinked folders and trace-guide state are refused', async () => {
    const outside = await repo({ 'victim.txt': 'keep\n' });
    const dir = await repo({ 'a.txt': 'a\n' });
    await symlink(outside, path.join(dir, 'link'));
    const outcome = await applyProposals(dir, [
      p('escape', { kind: 'create', path: '../escape.txt', content: 'x' }),
      p('via-link', { kind: 'edit', path: 'link/victim.txt', edits: [{ old: 'keep', new: 'gone' }] }),
      p('state', { kind: 'create', path: '.trace-guide/session.json', content: '{}' }),
      p('git', { kind: 'create', path: '.git/config', content: '' }),
    ]);
    expect(outcome.results.map((r) => r.ok)).toEqual([false, false, false, false]);
    expect(outcome.results[1]!.message).toMatch(/outside the repo.*symlink/);
    expect(await read(outside, 'victim.txt')).toBe('keep\n');
    await expect(stat(path.join(path.dirname(dir), 'escape.txt'))).rejects.toThrow();
  });

  it('refuses to overwrite an existing file with a create, and a read-only file with an edit', async () => {
    const dir = await repo({ 'tracing.js': 'mine\n', 'ro.js': 'a\n' });
    await chmod(path.join(dir, 'ro.js'), 0o444);
    const outcome = await applyProposals(dir, [
      p('create', { kind: 'create', path: 'tracing.js', content: 'theirs\n' }),
      p('ro', { kind: 'edit', path: 'ro.js', edits: [{ old: 'a', new: 'b' }] }),
    ]);
    expect(outcome.results[0]).toMatchObject({ ok: false, message: expect.stringMatching(/already exists/) });
    expect(outcome.results[1]).toMatchObject({ ok: false, message: expect.stringMatching(/read-only/) });
    expect(await read(dir, 'tracing.js')).toBe('mine\n');
  });

  it('writes nothing in a dry run but reports every change', async () => {
    const dir = await repo({ 'a.txt': 'one\n' });
    const outcome = await applyProposals(
      dir,
      [p('e', { kind: 'edit', path: 'a.txt', edits: [{ old: 'one', new: 'two' }] })],
      { dryRun: true },
    );
    expect(outcome.changes).toEqual([{ proposalId: 'e', path: 'a.txt', before: 'one\n', after: 'two\n' }]);
    expect(outcome.writes).toEqual([]);
    expect(await read(dir, 'a.txt')).toBe('one\n');
    await expect(stat(path.join(dir, '.trace-guide'))).rejects.toThrow();
  });

  it('runs a command, records the files it touched so undo restores them, and restores them when it fails', async () => {
    const dir = await repo({ 'go.mod': 'module x\n' });
    // A stand-in `go`: `go get fail.io/...` half-writes go.mod and fails; anything else writes go.mod and go.sum.
    const fake = await useFakeTools({
      go: 'case "$2" in fail.io/*) echo half >> go.mod; echo "no such module" >&2; exit 3;; esac\necho "require y v1" >> go.mod; echo sum > go.sum',
    });
    try {
      const ok = await applyProposals(dir, [
        p('cmd', { kind: 'command', command: 'go mod tidy', touches: ['go.mod', 'go.sum'] }),
      ]);
      expect(ok.results[0]).toMatchObject({ ok: true });
      expect(ok.writes.map((w) => w.path)).toEqual(['go.mod', 'go.sum']);
      await undoWrites(dir, ok.writes);
      expect(await read(dir, 'go.mod')).toBe('module x\n');
      await expect(stat(path.join(dir, 'go.sum'))).rejects.toThrow();

      // The chain stops at the failing command: `go mod tidy` after it never runs (it would create go.sum).
      const bad = await applyProposals(dir, [
        p('bad', { kind: 'command', command: 'go get fail.io/x@v1 && go mod tidy', touches: ['go.mod', 'go.sum'] }),
        p('later', { kind: 'note', text: 'after bad' }, { after: ['bad'] }),
      ]);
      expect(bad.results[0]).toMatchObject({
        ok: false,
        message: expect.stringMatching(/exited with 3 \(at `go get fail.io\/x@v1`\)[\s\S]*no such module/),
      });
      expect(bad.results[1]).toMatchObject({ ok: false, message: expect.stringMatching(/needs bad/) });
      expect(await read(dir, 'go.mod')).toBe('module x\n');
      await expect(stat(path.join(dir, 'go.sum'))).rejects.toThrow();
    } finally {
      await fake.restore();
    }
  });

  it('orders proposals by their `after` dependencies', async () => {
    const dir = await repo({});
    const seen: string[] = [];
    await applyProposals(
      dir,
      [p('install', { kind: 'note', text: 'i' }, { after: ['deps'] }), p('deps', { kind: 'note', text: 'd' })],
      { onProgress: (e) => e.type === 'start' && seen.push(e.proposal.id) },
    );
    expect(seen).toEqual(['deps', 'install']);
  });
});

describe('undoWrites', () => {
  it('keeps a file the user changed since it was written, unless forced, and then keeps their version aside', async () => {
    const dir = await repo({ 'a.txt': 'v1\n' });
    const { writes } = await applyProposals(dir, [
      p('e', { kind: 'edit', path: 'a.txt', edits: [{ old: 'v1', new: 'v2' }] }),
    ]);
    await writeFile(path.join(dir, 'a.txt'), 'v2 plus my work\n');
    const refused = await undoWrites(dir, writes);
    expect(refused.undone).toEqual([]);
    expect(refused.failed[0]!.message).toMatch(/changed since trace-guide wrote it/);
    expect(await read(dir, 'a.txt')).toBe('v2 plus my work\n');

    const forced = await undoWrites(dir, writes, { force: true });
    expect(await read(dir, 'a.txt')).toBe('v1\n');
    expect(await read(dir, forced.keptAside['a.txt']!)).toBe('v2 plus my work\n');
  });

  it('refuses to restore from a damaged backup, touching nothing', async () => {
    const dir = await repo({ 'a.txt': 'v1\n', 'b.txt': 'b1\n' });
    const { writes } = await applyProposals(dir, [
      p('a', { kind: 'edit', path: 'a.txt', edits: [{ old: 'v1', new: 'v2' }] }),
      p('b', { kind: 'edit', path: 'b.txt', edits: [{ old: 'b1', new: 'b2' }] }),
    ]);
    await writeFile(path.join(dir, writes[0]!.before!.backup), 'tampered');
    const outcome = await undoWrites(dir, writes);
    expect(outcome.failed[0]!.message).toMatch(/damaged/);
    expect(await read(dir, 'b.txt')).toBe('b2\n');
  });

  it('names the later step that must be undone first when steps wrote the same file', () => {
    const w = (step: 'backend' | 'sampling', n: number) => ({
      path: 'compose.yaml',
      step,
      proposalId: `${step}-${n}`,
      before: null,
      after: { sha256: String(n).repeat(64) },
      at: `t${n}`,
    });
    const all = [w('backend', 1), w('sampling', 2)];
    expect(writesOfStep(all, 'backend').blockedBy.map((x) => x.step)).toEqual(['sampling']);
    expect(writesOfStep(all, 'sampling').blockedBy).toEqual([]);
  });
});

describe('journal recovery', () => {
  it('finds which journalled writes reached the disk after a crash', async () => {
    const dir = await repo({ 'a.txt': 'a\n' });
    const { writes } = await applyProposals(dir, [
      p('a', { kind: 'edit', path: 'a.txt', edits: [{ old: 'a', new: 'b' }] }),
      p('c', { kind: 'create', path: 'c.txt', content: 'c\n' }),
    ]);
    await writeFile(path.join(dir, 'c.txt'), 'something else\n'); // as if the crash came before this write
    const happened = await writesThatHappened(dir, await readJournal(dir));
    expect(happened.map((w) => w.path)).toEqual(['a.txt']);
    expect(writes).toHaveLength(2);
  });
});

describe('diffs', () => {
  it('renders unified diffs for edits, new files and deletions', async () => {
    expect(unifiedDiff({ path: 'a.js', before: 'one\ntwo\n', after: 'one\nTWO\n' })).toBe(
      '--- a/a.js\n+++ b/a.js\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n',
    );
    expect(unifiedDiff({ path: 'n.js', before: null, after: 'x\n' })).toMatch(
      /^--- \/dev\/null\n\+\+\+ b\/n\.js\n@@ -0,0 \+1,1 @@\n\+x\n$/,
    );
    const dir = await repo({ 'a.txt': 'a\n' });
    await mkdir(path.join(dir, 'sub'));
    const previews = await previewProposals(dir, [
      p('e', { kind: 'edit', path: 'a.txt', edits: [{ old: 'zzz', new: 'y' }] }),
      p('c', { kind: 'command', command: 'npm install', cwd: 'sub' }),
    ]);
    expect(previews[0]!.problem).toMatch(/not in the file/);
    expect(previews[1]!.text).toBe('$ npm install   (in sub)\n');
    expect(tmpdir()).toBeTruthy();
  });
});
