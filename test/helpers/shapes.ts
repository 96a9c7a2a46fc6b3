/**
 * The corpus of real app shapes under test/fixtures/shapes/ (small apps written for trace-guide's tests, in the shapes
 * real projects have): copy one into a fresh temp folder, so a test may scan, plan, apply and run it without touching
 * the fixture. Remove the copy with removeSampleRepo.
 */
import { cp, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHAPES_DIR = fileURLToPath(new URL('../fixtures/shapes/', import.meta.url));

export async function shapeNames(): Promise<string[]> {
  return (await readdir(SHAPES_DIR, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export async function copyShape(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `trace-guide-shape-${name}-`));
  await cp(path.join(SHAPES_DIR, name), dir, { recursive: true });
  return dir;
}
