import path from 'node:path';
import { loadSkill, defaultSkillDir } from '../../skill/load.js';
import { createMcpServer } from '../mcp/server.js';
import { serveOverStdio } from '../mcp/stdio.js';
import { TOOLS } from '../mcp/tools.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { progress } from '../output.js';
import { readVersion } from '../version.js';

/** `trace-guide mcp [dir]`: the JSON commands as MCP tools over stdio, until the client closes stdin. */
export async function runMcp(args: ParsedArgs): Promise<number> {
  const skill = await loadSkill(defaultSkillDir());
  const defaultDir = path.resolve(args.dir);
  const server = createMcpServer({
    name: 'trace-guide',
    version: await readVersion(),
    defaultDir,
    skill,
    tools: TOOLS,
  });
  progress(`trace-guide MCP server on stdio (tools work on ${defaultDir} unless a call names a dir)`);
  await serveOverStdio(server);
  return EXIT.ok;
}
