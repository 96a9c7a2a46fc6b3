/** The model planner's system prompt and tool descriptions, read at run time from prompts/ in the package root. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../../core/package-root.js';
import { TOOL_NAMES, type ToolName } from './tools/schemas.js';

export interface PlannerPrompts {
  system: string;
  tools: Record<ToolName, string>;
}

export async function loadPlannerPrompts(root: string = packageRoot()): Promise<PlannerPrompts> {
  const dir = path.join(root, 'prompts', 'model-planner');
  const system = (await readFile(path.join(dir, 'system.md'), 'utf8')).trim();
  const tools = {} as Record<ToolName, string>;
  for (const name of TOOL_NAMES) tools[name] = (await readFile(path.join(dir, 'tools', `${name}.md`), 'utf8')).trim();
  return { system, tools };
}
