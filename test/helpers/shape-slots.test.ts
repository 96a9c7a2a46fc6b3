import { describe, expect, it } from 'vitest';
import { shapeSlots } from './shape-slots.mjs';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('shapeSlots', () => {
  it('never runs two tasks on one port at once, and at most `limit` tasks at all', async () => {
    const slot = shapeSlots(2);
    const running = new Set<string>();
    let most = 0;
    const seen: string[] = [];
    const task = (name: string, port: number) =>
      slot(port, async () => {
        for (const other of running)
          expect(other.split(':')[1], `${name} started while ${other} held its port`).not.toBe(String(port));
        running.add(`${name}:${port}`);
        most = Math.max(most, running.size);
        await tick();
        running.delete(`${name}:${port}`);
        seen.push(name);
        return name;
      });
    const results = await Promise.all([
      task('a', 5000),
      task('b', 5000),
      task('c', 8000),
      task('d', 8000),
      task('e', 3000),
    ]);
    expect(results).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(most).toBe(2);
    expect(seen.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('frees the slot and the port of a task that throws, and passes the error on', async () => {
    const slot = shapeSlots(1);
    await expect(slot(5000, async () => Promise.reject(new Error('install failed')))).rejects.toThrow('install failed');
    await expect(slot(5000, async () => 'next')).resolves.toBe('next');
  });

  it('refuses a limit that is not a whole number of at least 1', () => {
    expect(() => shapeSlots(0)).toThrow(/whole number/);
    expect(() => shapeSlots(1.5)).toThrow(/whole number/);
  });
});
