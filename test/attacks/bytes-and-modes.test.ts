/**
 * Attack (issue 15 item 10): bytes and modes. A Latin-1 file had untouched lines turned into U+FFFD (and the diff did
 * not show it); inserted lines used LF in a CRLF file; undo brought a 755 script back as 644. Edits keep every byte they
 * do not change (or refuse, with the reason), follow the file's line endings, keep a BOM, and undo restores modes.
 */
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyProposals } from '../../src/edit/apply.js';
import { undoWrites } from '../../src/edit/undo.js';
import { ProposalSchema, type Proposal, type ProposalInput } from '../../src/types/proposal.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

let root: string | undefined;
afterEach(async () => {
  if (root) await removeSampleRepo(root);
  root = undefined;
});

const proposal = (id: string, change: ProposalInput['change']): Proposal =>
  ProposalSchema.parse({ id, step: 'backend', source: 'recipe', title: id, why: 'attack test', change });
const edit = (file: string, old: string, next: string) =>
  proposal(`edit-${file}`, { kind: 'edit', path: file, edits: [{ old, new: next }] });

describe('edits keep every byte they do not change', () => {
  it('a Latin-1 file: the untouched bytes stay exactly as they were, and the diff shows the real bytes', async () => {
    const latin1 = Buffer.from('# caf\xe9 config\nhost = localhost\n# na\xefve \xfcber\n', 'latin1');
    root = await makeSampleRepo({ 'app.conf': latin1 });
    const { results, changes } = await applyProposals(root, [
      edit('app.conf', 'host = localhost\n', 'host = localhost\notel = on\n'),
    ]);
    expect(results[0]).toMatchObject({ ok: true });
    const after = await readFile(path.join(root, 'app.conf'));
    expect(
      after.equals(Buffer.from('# caf\xe9 config\nhost = localhost\notel = on\n# na\xefve \xfcber\n', 'latin1')),
    ).toBe(true);
    expect(changes[0]!.before).not.toContain('\ufffd');
    expect(changes[0]!.after).toContain('caf\xe9');
  });

  it('non-ASCII text is not written into a file that is not UTF-8: refused with the reason, file untouched', async () => {
    const latin1 = Buffer.from('name = Andr\xe9\n', 'latin1');
    root = await makeSampleRepo({ 'app.conf': latin1 });
    const { results } = await applyProposals(root, [edit('app.conf', 'name = ', 'service = \u00e9t\u00e9\nname = ')]);
    expect(results[0]).toMatchObject({ ok: false });
    expect(results[0]!.message).toMatch(/not valid UTF-8/);
    expect((await readFile(path.join(root, 'app.conf'))).equals(latin1)).toBe(true);
  });

  it('a CRLF file stays CRLF: the edit matches across lines and the inserted lines end in CRLF', async () => {
    root = await makeSampleRepo({ 'main.py': 'import os\r\napp = create()\r\napp.run()\r\n' });
    const { results } = await applyProposals(root, [
      edit('main.py', 'app = create()\napp.run()', 'app = create()\ninstrument(app)\napp.run()'),
    ]);
    expect(results[0]).toMatchObject({ ok: true });
    expect(await readFile(path.join(root, 'main.py'), 'latin1')).toBe(
      'import os\r\napp = create()\r\ninstrument(app)\r\napp.run()\r\n',
    );
  });

  it('a UTF-8 BOM stays', async () => {
    root = await makeSampleRepo({ 'index.js': '\ufeffconst a = 1;\nconst b = 2;\n' });
    await applyProposals(root, [edit('index.js', 'const b = 2;', "const b = 2;\nrequire('./tracing');")]);
    const after = await readFile(path.join(root, 'index.js'));
    expect([...after.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(after.toString('utf8')).toBe("\ufeffconst a = 1;\nconst b = 2;\nrequire('./tracing');\n");
  });
});

describe('undo restores file modes', () => {
  it('an edited 755 script comes back 755 with its exact bytes', async () => {
    root = await makeSampleRepo({ 'run.sh': '#!/bin/sh\nexec node server.js\n' });
    const abs = path.join(root, 'run.sh');
    await chmod(abs, 0o755);
    const { writes } = await applyProposals(root, [edit('run.sh', 'exec node', 'exec node --require ./tracing.js')]);
    expect((await stat(abs)).mode & 0o777).toBe(0o755);
    const outcome = await undoWrites(root, writes);
    expect(outcome.failed).toEqual([]);
    expect(await readFile(abs, 'utf8')).toBe('#!/bin/sh\nexec node server.js\n');
    expect((await stat(abs)).mode & 0o777).toBe(0o755);
  });

  it('a deleted 750 file is re-created 750 by undo', async () => {
    root = await makeSampleRepo({ 'bin/old-tracing.sh': '#!/bin/sh\necho old\n' });
    const abs = path.join(root, 'bin/old-tracing.sh');
    await chmod(abs, 0o750);
    const { writes } = await applyProposals(root, [proposal('rm-old', { kind: 'delete', path: 'bin/old-tracing.sh' })]);
    await expect(stat(abs)).rejects.toThrow();
    expect((await undoWrites(root, writes)).failed).toEqual([]);
    expect((await stat(abs)).mode & 0o777).toBe(0o750);
  });

  it('under --force, a file whose mode the user changed gets back the mode it had before trace-guide wrote it', async () => {
    root = await makeSampleRepo({ 'tool.py': 'print(1)\n' });
    const abs = path.join(root, 'tool.py');
    await chmod(abs, 0o700);
    const { writes } = await applyProposals(root, [edit('tool.py', 'print(1)', 'print(2)')]);
    await writeFile(abs, 'print(3)\n');
    await chmod(abs, 0o644);
    expect((await undoWrites(root, writes, { force: true })).failed).toEqual([]);
    expect((await stat(abs)).mode & 0o777).toBe(0o700);
  });
});
