/** Input schemas of the model planner's tools (zod), and their JSON Schema form for the Messages API. */
import { z } from 'zod';

const RelPath = z.string().min(1).describe('A path relative to the repo root, with / separators.');
const Head = {
  title: z.string().min(1).max(120).describe('Short title shown in the review list.'),
  why: z.string().min(1).max(400).describe('One line: why this change.'),
  service: z.string().optional().describe('Id of the scanned service the change is for, when it is for one.'),
  after: z
    .array(z.string())
    .optional()
    .describe('Ids of proposals (yours or kept recipe ones) that must be applied before this one.'),
};

export const TOOL_SCHEMAS = {
  list_files: z.object({
    under: z.string().optional().describe('Only files under this folder (repo-relative).'),
    limit: z.number().int().min(1).max(1000).optional().describe('At most this many paths (default 300).'),
  }),
  read_file: z.object({
    path: RelPath,
    start_line: z.number().int().min(1).optional().describe('First line to show (1-based, default 1).'),
    end_line: z.number().int().min(1).optional().describe('Last line to show (inclusive, default start_line + 399).'),
  }),
  search_code: z.object({
    query: z.string().min(2).max(200).describe('Literal text to find (case-insensitive), not a regular expression.'),
    under: z.string().optional().describe('Only files under this folder (repo-relative).'),
    max_results: z.number().int().min(1).max(200).optional().describe('At most this many matching lines (default 50).'),
  }),
  propose_edit: z.object({
    ...Head,
    path: RelPath,
    edits: z
      .array(
        z.object({
          old: z.string().min(1).describe('Exact text currently in the file; must occur exactly once.'),
          new: z.string().describe('Replacement text.'),
        }),
      )
      .min(1),
  }),
  propose_new_file: z.object({ ...Head, path: RelPath, content: z.string() }),
  propose_command: z.object({
    ...Head,
    command: z.string().min(1).describe('The command line, e.g. "npm install --save-exact @opentelemetry/api@1.9.0".'),
    cwd: z.string().optional().describe('Folder to run it in, relative to the repo root (default ".").'),
    touches: z.array(RelPath).optional().describe('Repo files the command rewrites (lockfiles, go.mod, go.sum).'),
  }),
  keep_recipe_proposals: z.object({
    ids: z.array(z.string().min(1)).min(1).describe('Ids of baseline recipe proposals to keep unchanged.'),
  }),
  finish: z.object({ summary: z.string().min(1).max(2000).describe('What you proposed and why, in a few lines.') }),
} as const;

export type ToolName = keyof typeof TOOL_SCHEMAS;
export const TOOL_NAMES = Object.keys(TOOL_SCHEMAS) as ToolName[];
export type ToolInput<N extends ToolName> = z.infer<(typeof TOOL_SCHEMAS)[N]>;

/** JSON Schema (draft 2020-12, without the $schema key) of a tool's input. */
export function inputJsonSchema(name: ToolName): { type: 'object'; [key: string]: unknown } {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(TOOL_SCHEMAS[name], { io: 'input' }) as Record<
    string,
    unknown
  >;
  return { ...schema, type: 'object' };
}

/** A zod error as short lines the model can act on. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(input)'}: ${issue.message}`)
    .join('\n');
}
