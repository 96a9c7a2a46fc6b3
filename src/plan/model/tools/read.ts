/** The read-only tools: list_files, read_file, search_code. Every text they return is redacted by the sandbox. */
import type { Sandbox } from '../sandbox.js';
import type { ToolInput } from './schemas.js';
import type { ToolOutcome } from './index.js';

const MAX_LINES_PER_READ = 400;
const MAX_LINE_CHARS = 400;

function underPrefix(sandbox: Sandbox, under: string | undefined): string | ToolOutcome {
  if (under === undefined || under === '' || under === '.' || under === './') return '';
  const normal = sandbox.normalise(under);
  if (normal === undefined) return { ok: false, content: `"${under}" is outside the repo` };
  return normal.endsWith('/') ? normal : normal + '/';
}

export function listFilesTool(sandbox: Sandbox, input: ToolInput<'list_files'>): ToolOutcome {
  const prefix = underPrefix(sandbox, input.under);
  if (typeof prefix !== 'string') return prefix;
  const matching = sandbox.files.filter((f) => f.startsWith(prefix));
  const limit = input.limit ?? 300;
  const shown = matching.slice(0, limit);
  const more = matching.length - shown.length;
  if (matching.length === 0) return { ok: true, content: `no files under "${prefix || '.'}"` };
  return { ok: true, content: shown.join('\n') + (more > 0 ? `\n... and ${more} more (narrow with "under")` : '') };
}

export async function readFileTool(sandbox: Sandbox, input: ToolInput<'read_file'>): Promise<ToolOutcome> {
  const read = await sandbox.read(input.path);
  if (!read.ok) return { ok: false, content: read.message };
  const lines = read.text.split('\n');
  const start = input.start_line ?? 1;
  const end = Math.min(input.end_line ?? start + MAX_LINES_PER_READ - 1, start + MAX_LINES_PER_READ - 1, lines.length);
  if (start > lines.length) return { ok: false, content: `"${input.path}" has only ${lines.length} lines` };
  if (end < start) return { ok: false, content: 'end_line is before start_line' };
  const width = String(end).length;
  const body = lines
    .slice(start - 1, end)
    .map((line, i) => `${String(start + i).padStart(width)}| ${line}`)
    .join('\n');
  const header = `${sandbox.normalise(input.path)} lines ${start}-${end} of ${lines.length}${read.redacted > 0 ? ` (${read.redacted} secret(s) redacted)` : ''}`;
  return { ok: true, content: `${header}\n${body}` };
}

export async function searchCodeTool(sandbox: Sandbox, input: ToolInput<'search_code'>): Promise<ToolOutcome> {
  const prefix = underPrefix(sandbox, input.under);
  if (typeof prefix !== 'string') return prefix;
  const needle = input.query.toLowerCase();
  const max = input.max_results ?? 50;
  const hits: string[] = [];
  let total = 0;
  for (const file of sandbox.files) {
    if (!file.startsWith(prefix)) continue;
    const read = await sandbox.read(file);
    if (!read.ok) continue;
    const lines = read.text.split('\n');
    for (const [i, line] of lines.entries()) {
      if (!line.toLowerCase().includes(needle)) continue;
      total++;
      if (hits.length < max) hits.push(`${file}:${i + 1}: ${line.trim().slice(0, MAX_LINE_CHARS)}`);
    }
  }
  if (total === 0) return { ok: true, content: `no matches for "${input.query}"` };
  return {
    ok: true,
    content: hits.join('\n') + (total > hits.length ? `\n... ${total - hits.length} more matches` : ''),
  };
}
