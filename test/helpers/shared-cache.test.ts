import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sharedCacheDir, withLockFile } from './shared-cache.mjs';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tg-shared-cache-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sharedCacheDir', () => {
  it('fills a folder once when several users ask at the same time, and none sees it half-filled', async () => {
    let fills = 0;
    const fill = async (staging: string) => {
      fills += 1;
      await writeFile(path.join(staging, 'a.whl'), 'first half');
      await pause(150);
      await writeFile(path.join(staging, 'b.whl'), 'second half');
    };
    const dirs = await Promise.all([1, 2, 3].map(() => sharedCacheDir('wheels', fill, { root })));
    expect(fills).toBe(1);
    expect(new Set(dirs)).toEqual(new Set([path.join(root, 'wheels')]));
    expect((await readdir(dirs[0]!)).sort()).toEqual(['.complete', 'a.whl', 'b.whl']);
    // Nothing left behind: no lock, no staging folder.
    expect((await readdir(root)).sort()).toEqual(['wheels']);
    // A later user finds it complete and fills nothing.
    await sharedCacheDir('wheels', fill, { root });
    expect(fills).toBe(1);
  });

  it('never uses a fill that failed: the next user fills it again', async () => {
    await expect(
      sharedCacheDir('mods', async () => Promise.reject(new Error('registry down')), { root }),
    ).rejects.toThrow(/registry down/);
    expect(existsSync(path.join(root, 'mods'))).toBe(false);
    const dir = await sharedCacheDir('mods', async (staging) => writeFile(path.join(staging, 'ok'), 'ok'), { root });
    expect(await readFile(path.join(dir, 'ok'), 'utf8')).toBe('ok');
  });

  it('replaces a folder left without its .complete marker, and rebuilds a complete one only when asked', async () => {
    await sharedCacheDir('left', async (staging) => writeFile(path.join(staging, 'v'), '1'), { root });
    await rm(path.join(root, 'left', '.complete'));
    await sharedCacheDir('left', async (staging) => writeFile(path.join(staging, 'v'), '2'), { root });
    expect(await readFile(path.join(root, 'left', 'v'), 'utf8')).toBe('2');
    await sharedCacheDir('left', async (staging) => writeFile(path.join(staging, 'v'), '3'), { root });
    expect(await readFile(path.join(root, 'left', 'v'), 'utf8')).toBe('2');
    await sharedCacheDir('left', async (staging) => writeFile(path.join(staging, 'v'), '3'), { root, rebuild: true });
    expect(await readFile(path.join(root, 'left', 'v'), 'utf8')).toBe('3');
  });
});

describe('withLockFile', () => {
  it('runs one holder at a time', async () => {
    const lock = path.join(root, 'x.lock');
    const events: string[] = [];
    const hold = (name: string) =>
      withLockFile(lock, async () => {
        events.push(`${name} in`);
        await pause(80);
        events.push(`${name} out`);
      });
    await Promise.all([hold('a'), hold('b')]);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose holder process is gone, and waits for a live holder until its timeout', async () => {
    const lock = path.join(root, 'y.lock');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    await writeFile(lock, `${gone}\n`);
    await expect(withLockFile(lock, async () => 'ran')).resolves.toBe('ran');
    await writeFile(lock, `${process.pid}\n`);
    await expect(withLockFile(lock, async () => 'ran', { timeoutMs: 300 })).rejects.toThrow(/waited 0 s for .*y\.lock/);
  });
});
