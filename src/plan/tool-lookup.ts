import { access, constants } from 'node:fs/promises';
import path from 'node:path';

/** Whether a command-line tool can be run: looked up on PATH once, then cached. */
export class ToolLookup {
  private readonly cache = new Map<string, Promise<boolean>>();
  constructor(private readonly pathEnv: string = process.env.PATH ?? '') {}

  has(tool: string): Promise<boolean> {
    let found = this.cache.get(tool);
    if (!found) {
      found = this.search(tool);
      this.cache.set(tool, found);
    }
    return found;
  }

  private async search(tool: string): Promise<boolean> {
    for (const dir of this.pathEnv.split(path.delimiter).filter(Boolean)) {
      try {
        await access(path.join(dir, tool), constants.X_OK);
        return true;
      } catch {
        // not in this directory
      }
    }
    return false;
  }
}

/** How to get a tool that is missing, shown in a note instead of a command that cannot run. */
export const TOOL_HINTS: Record<string, string> = {
  npm: 'npm comes with Node.js: https://nodejs.org/',
  pnpm: 'install pnpm with `corepack enable pnpm` (Node.js 16.13+) or see https://pnpm.io/installation',
  yarn: 'install yarn with `corepack enable yarn` or see https://yarnpkg.com/getting-started/install',
  bun: 'see https://bun.sh/docs/installation',
  pip: 'pip comes with Python 3: https://pip.pypa.io/en/stable/installation/',
  poetry: 'see https://python-poetry.org/docs/#installation',
  uv: 'see https://docs.astral.sh/uv/getting-started/installation/',
  pipenv: 'install with `pip install --user pipenv`',
  go: 'see https://go.dev/doc/install',
  docker: 'see https://docs.docker.com/get-docker/ (or choose the built-in local receiver as the backend)',
};
