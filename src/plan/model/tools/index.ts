/** The model planner's tools: definitions for the Messages API (schemas from zod, descriptions from prompts/) and dispatch. */
import type Anthropic from '@anthropic-ai/sdk';
import type { Sandbox } from '../sandbox.js';
import { listFilesTool, readFileTool, searchCodeTool } from './read.js';
import type { ProposalState } from './propose.js';
import { TOOL_NAMES, TOOL_SCHEMAS, describeZodError, inputJsonSchema, type ToolName } from './schemas.js';

export { TOOL_NAMES, TOOL_SCHEMAS, type ToolName } from './schemas.js';
export { ProposalState } from './propose.js';

/** What a tool answers: the tool_result text, and whether it is an error (is_error: true). */
export interface ToolOutcome {
  ok: boolean;
  content: string;
  /** Set by finish. */
  finished?: { summary: string };
}

export function toolDefinitions(descriptions: Record<ToolName, string>): Anthropic.Tool[] {
  return TOOL_NAMES.map((name) => ({ name, description: descriptions[name], input_schema: inputJsonSchema(name) }));
}

/** Validates the input with safeParse and runs the tool; an invalid input or unknown tool is an error outcome. */
export async function runTool(
  name: string,
  input: unknown,
  sandbox: Sandbox,
  state: ProposalState,
): Promise<ToolOutcome> {
  if (!(TOOL_NAMES as string[]).includes(name)) {
    return { ok: false, content: `unknown tool "${name}"; the tools are: ${TOOL_NAMES.join(', ')}` };
  }
  const tool = name as ToolName;
  const parsed = TOOL_SCHEMAS[tool].safeParse(input);
  if (!parsed.success) return { ok: false, content: `invalid input for ${tool}:\n${describeZodError(parsed.error)}` };
  const data = parsed.data as never;
  switch (tool) {
    case 'list_files':
      return listFilesTool(sandbox, data);
    case 'read_file':
      return readFileTool(sandbox, data);
    case 'search_code':
      return searchCodeTool(sandbox, data);
    case 'propose_edit':
      return state.edit(data);
    case 'propose_new_file':
      return state.create(data);
    case 'propose_command':
      return state.command(data);
    case 'keep_recipe_proposals':
      return state.keep(data);
    case 'finish': {
      const { summary } = parsed.data as { summary: string };
      return { ok: true, content: 'finished', finished: { summary } };
    }
  }
}
