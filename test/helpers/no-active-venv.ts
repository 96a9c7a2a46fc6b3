/**
 * Where pip installs depends on whether a virtual environment is active (src/plan/recipes/python/python-env.ts): tests
 * that assert install commands plan with none, whatever shell the tests were started from.
 */
import { afterAll, beforeAll } from 'vitest';

/** Unsets VIRTUAL_ENV for the calling test file and restores it afterwards. */
export function withNoActiveVenv(): void {
  const active = process.env.VIRTUAL_ENV;
  beforeAll(() => {
    delete process.env.VIRTUAL_ENV;
  });
  afterAll(() => {
    if (active !== undefined) process.env.VIRTUAL_ENV = active;
  });
}
