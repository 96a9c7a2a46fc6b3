import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../safety/command-policy.js';
import { findProjectVenv, pipInstall, pipTarget } from './python-env.js';

/** A repo where exactly these repo-relative files exist. */
const repoWith =
  (...files: string[]) =>
  async (rel: string) =>
    files.includes(rel);

describe('where a Python service installs its packages', () => {
  it("finds the project's virtual environment in the service folder, then in the folders above it", async () => {
    expect(await findProjectVenv(repoWith('orders/.venv/pyvenv.cfg'), { root: 'orders' })).toBe('orders/.venv');
    expect(await findProjectVenv(repoWith('orders/venv/pyvenv.cfg', '.venv/pyvenv.cfg'), { root: 'orders' })).toBe(
      'orders/venv',
    );
    expect(await findProjectVenv(repoWith('.venv/pyvenv.cfg'), { root: 'apps/orders' })).toBe('.venv');
    expect(await findProjectVenv(repoWith('env/pyvenv.cfg'), { root: '.' })).toBe('env');
    // A folder named .venv without pyvenv.cfg is not a virtual environment.
    expect(await findProjectVenv(repoWith('orders/.venv/bin/python'), { root: 'orders' })).toBeUndefined();
  });

  it('uses the project environment first, then an active one, and otherwise creates .venv in the service folder', async () => {
    expect(
      await pipTarget(repoWith('orders/.venv/pyvenv.cfg'), { root: 'orders' }, { VIRTUAL_ENV: '/elsewhere' }),
    ).toEqual({ kind: 'project', venv: 'orders/.venv' });
    expect(await pipTarget(repoWith(), { root: 'orders' }, { VIRTUAL_ENV: '/home/me/.virtualenvs/shop' })).toEqual({
      kind: 'active',
    });
    expect(await pipTarget(repoWith(), { root: 'orders' }, {})).toEqual({ kind: 'create', venv: 'orders/.venv' });
    expect(await pipTarget(repoWith(), { root: '.' }, { VIRTUAL_ENV: '' })).toEqual({ kind: 'create', venv: '.venv' });
  });

  it("installs with the environment's own interpreter (never a bare pip into the machine's Python), and the policy allows each command", () => {
    const cases: [Parameters<typeof pipInstall>, { cmd: string; cwd: string }][] = [
      [
        [{ kind: 'project', venv: 'orders/.venv' }, { root: 'orders' }, { flag: '-r', path: 'requirements.txt' }],
        { cmd: '.venv/bin/python -m pip install -r requirements.txt', cwd: 'orders' },
      ],
      [
        [{ kind: 'project', venv: '.venv' }, { root: 'apps/orders' }, { flag: '-r', path: 'requirements.txt' }],
        { cmd: '.venv/bin/python -m pip install -r apps/orders/requirements.txt', cwd: '.' },
      ],
      [
        [{ kind: 'project', venv: 'venv' }, { root: 'svc' }, { flag: '-e', path: '.' }],
        { cmd: 'venv/bin/python -m pip install -e svc', cwd: '.' },
      ],
      [
        [{ kind: 'create', venv: 'svc/.venv' }, { root: 'svc' }, { flag: '-e', path: '.' }],
        { cmd: '.venv/bin/python -m pip install -e .', cwd: 'svc' },
      ],
      [
        [{ kind: 'active' }, { root: 'orders' }, { flag: '-r', path: 'requirements.txt' }],
        { cmd: 'pip install --require-virtualenv -r requirements.txt', cwd: 'orders' },
      ],
    ];
    for (const [args, expected] of cases) {
      const got = pipInstall(...args);
      expect(got).toEqual(expected);
      expect(checkCommand(got.cmd), got.cmd).toMatchObject({ ok: true });
    }
    expect(checkCommand('python3 -m venv .venv')).toMatchObject({ ok: true });
  });
});
