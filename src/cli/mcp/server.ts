import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { terminalSafeJson } from '../../core/sanitize-terminal.js';
import type { Skill } from '../../skill/schema.js';
import { registerStepPages } from './resources.js';
import { runJsonCommand } from './run-command.js';
import type { ToolSpec } from './tools.js';

export interface ServerOptions {
  name: string;
  version: string;
  /** The repository the tools work on when a call names none; relative `dir`s are resolved against it. */
  defaultDir: string;
  skill: Skill;
  tools: readonly ToolSpec[];
}

const INSTRUCTIONS = `trace-guide takes a repository through OpenTelemetry distributed tracing in six steps and proves each with real checks.
Typical flow: scan → status → for each step 1..6: plan (show the proposals and their diffs to the user; ask which to accept) → apply with exactly the accepted ids → check (the step is done only when its required checks pass). doctor explains missing or broken traces; undo restores files; ask answers questions; the step reference pages are resources.
Every tool answers with the JSON of \`trace-guide <command> --json\`.`;

/** An MCP server whose tools run the CLI's JSON commands and whose resources are the step reference pages. */
export function createMcpServer(options: ServerOptions): McpServer {
  const server = new McpServer({ name: options.name, version: options.version }, { instructions: INSTRUCTIONS });
  for (const spec of options.tools) {
    server.registerTool(
      spec.name,
      {
        title: spec.title,
        description: spec.description,
        inputSchema: spec.input,
        annotations: { readOnlyHint: !spec.changes, openWorldHint: false },
      },
      async (input: Record<string, unknown>): Promise<CallToolResult> => {
        const dir = path.resolve(options.defaultDir, typeof input.dir === 'string' ? input.dir : '.');
        const answer = await runJsonCommand(spec.argv(input as never, dir));
        if (answer.kind === 'error')
          return { isError: true, content: [{ type: 'text', text: `trace-guide ${spec.name}: ${answer.message}` }] };
        // The same text `--json` prints on stdout.
        return { content: [{ type: 'text', text: terminalSafeJson(JSON.stringify(answer.json, null, 2)) }] };
      },
    );
  }
  registerStepPages(server, options.skill);
  return server;
}
