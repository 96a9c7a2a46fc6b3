import type { Document } from 'yaml';
import { createFile, deleteFile, editFile, note, type ProposalHead } from '../../proposal-builders.js';
import type { PlanContext } from '../../context.js';
import type { Proposal } from '../../../types/proposal.js';
import { mergeComposeServices, parseCompose, type PortMove } from '../../../yaml/compose-merge.js';
import { findComposeFile, PATHS, servicePorts, type ComposeFile } from './paths.js';

export interface ComposePlan {
  proposals: Proposal[];
  /** The compose file the services go into (existing, or the one to create). */
  path: string;
  added: string[];
  present: string[];
  moved: PortMove[];
  /** True when the existing compose file does not parse (reported in a note, left as it is). */
  malformed: boolean;
}

/**
 * Proposes adding the services of `addition` (a rendered compose template) to the repo's compose file: an edit whose old
 * text is the whole current file, or a new compose.yaml. `transform` may first change the current file (e.g. move the
 * backend's ports); its moves are reported with the merge's. Nothing is proposed when every service is already there.
 */
export async function planComposeMerge(
  ctx: PlanContext,
  head: ProposalHead,
  addition: string,
  transform?: (current: string) => { text: string; moved: PortMove[] },
): Promise<ComposePlan> {
  const existing = await findComposeFile(ctx);
  const path = existing?.path ?? PATHS.newCompose;
  const base = { path, added: [], present: [], moved: [], malformed: false };
  if (existing && existing.text.trim() === '') return { ...base, ...replaceEmpty(head, existing, addition) };

  let current = existing?.text;
  const moved: PortMove[] = [];
  if (current !== undefined && transform) {
    const parsed = parseCompose(current);
    if (parsed.ok) {
      const changed = transform(current);
      current = changed.text;
      moved.push(...changed.moved);
    }
  }
  const merged = mergeComposeServices(current, addition, { reservedPorts: servicePorts(ctx) });
  if (!merged.ok) {
    const text =
      `${path} could not be parsed (line ${merged.line}, column ${merged.col}: ${merged.message}), so trace-guide left it ` +
      `as it is. Fix it and plan this step again, or add these services by hand:\n\n${addition}`;
    return {
      ...base,
      malformed: true,
      proposals: [note({ ...head, id: `${head.id}-unreadable`, title: `${path} is not valid YAML` }, text)],
    };
  }
  moved.push(...merged.moved);
  const result = { ...base, added: merged.added, present: merged.present, moved };
  if (!existing) return { ...result, proposals: [createFile(head, path, merged.text)] };
  if (merged.text === existing.text) return { ...result, proposals: [] };
  return { ...result, proposals: [editFile(head, path, [{ old: existing.text, new: merged.text }])] };
}

/** An empty compose file cannot be edited by exact replacement: it is replaced (undo restores it). */
function replaceEmpty(
  head: ProposalHead,
  existing: ComposeFile,
  addition: string,
): Pick<ComposePlan, 'proposals' | 'added'> {
  const remove = deleteFile(
    { ...head, id: `${head.id}-empty`, title: `Remove the empty ${existing.path}` },
    existing.path,
  );
  const create = createFile({ ...head, after: [remove.id, ...(head.after ?? [])] }, existing.path, addition);
  return { proposals: [remove, create], added: [] };
}

/** Parses the current compose file (undefined when there is none or it does not parse). */
export async function currentCompose(ctx: PlanContext): Promise<{ file: ComposeFile; doc: Document } | undefined> {
  const file = await findComposeFile(ctx);
  if (!file) return undefined;
  const parsed = parseCompose(file.text);
  return parsed.ok ? { file, doc: parsed.doc } : undefined;
}

/** "grafana 3000 → 13000 (3000 is taken by the gateway service (port 3000))", one line per move. */
export function describeMoves(moved: PortMove[]): string {
  return moved
    .map((m) => `- ${m.service}: host port ${m.from} → ${m.to} (${m.from} is already used by ${m.takenBy})`)
    .join('\n');
}
