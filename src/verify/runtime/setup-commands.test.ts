import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../../types/scan.js';
import { parseSetupCommand, runSetupCommands, setupCommandsByService } from './setup-commands.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function svc(id: string): Service {
  return {
    id,
    name: id,
    root: id,
    language: 'python',
    manifest: `${id}/pyproject.toml`,
    frameworks: [],
    httpClients: [],
    queueClients: [],
    dbClients: [],
    logging: [],
    tracing: [],
  };
}

describe('set-up commands', () => {
  it('one command belongs to the only chosen service; a mapping names services', () => {
    const one = setupCommandsByService('flask --app notebook init-db', [svc('notebook')]);
    expect(one.get('notebook')?.map((c) => c.chain)).toEqual([[['flask', '--app', 'notebook', 'init-db']]]);
    const many = setupCommandsByService('{api: python manage.py migrate, web: [npm run db:migrate, npm run seed]}', [
      svc('api'),
      svc('web'),
    ]);
    expect(many.get('api')?.map((c) => c.text)).toEqual(['python manage.py migrate']);
    expect(many.get('web')?.map((c) => c.text)).toEqual(['npm run db:migrate', 'npm run seed']);
  });

  it('refuses what it cannot run as plain words, a missing service name, an unknown service', () => {
    expect(() => parseSetupCommand('rm -rf / ; echo hi')).toThrow(
      /set-up command "rm -rf \/ ; echo hi": shell metacharacters/,
    );
    expect(() => setupCommandsByService('make db', [svc('a'), svc('b')])).toThrow(
      /names no service, and 2 services are chosen/,
    );
    expect(() => setupCommandsByService('{c: make db}', [svc('a')])).toThrow(
      /names "c", which is not a chosen service/,
    );
    expect(() => parseSetupCommand('FOO=1')).toThrow(/runs nothing/);
  });

  it('runs without a shell in the service folder with leading NAME=value as environment, and reports a failure', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'setup-'));
    dirs.push(dir);
    await writeFile(
      path.join(dir, 'init.js'),
      "require('fs').writeFileSync('made.txt', process.env.DB_NAME + ' ' + process.argv[2]);\n",
    );
    const [command] = setupCommandsByService('DB_NAME=notes node init.js "$HOME"'.replace('"$HOME"', "'$HOME'"), [
      svc('x'),
    ]).get('x')!;
    expect(await runSetupCommands([command!], dir, process.env)).toBeUndefined();
    // The quoted $HOME is passed as it is: no shell expanded it.
    expect(await readFile(path.join(dir, 'made.txt'), 'utf8')).toBe('notes $HOME');

    const failing = parseSetupCommand('node missing-script.js');
    expect(await runSetupCommands([failing], dir, process.env)).toMatch(
      /^set-up command "node missing-script\.js" failed \(exit code 1\)/,
    );
  });
});
