import path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Skill } from '../../skill/schema.js';

/** The URI of step `number`'s reference page: trace-guide://steps/<file name without .md>, e.g. steps/1-backend. */
export function stepPageUri(skill: Skill, number: number): string {
  const step = skill.steps[number - 1]!;
  return `trace-guide://steps/${path.basename(step.reference, '.md')}`;
}

/** Registers the skill's step reference pages (the Markdown the guide and `ask` read) as MCP resources. */
export function registerStepPages(server: McpServer, skill: Skill): void {
  skill.steps.forEach((step, i) => {
    const uri = stepPageUri(skill, i + 1);
    server.registerResource(
      `step-${i + 1}-${step.id}`,
      uri,
      { title: `Step ${i + 1} — ${step.title}`, description: step.goal, mimeType: 'text/markdown' },
      async () => ({ contents: [{ uri, mimeType: 'text/markdown', text: skill.pages[step.id] }] }),
    );
  });
}
