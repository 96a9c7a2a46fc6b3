import type { Proposal } from '../types/proposal.js';
import { STATUS_MARK, type CheckResult, type CheckStatus } from '../types/check-result.js';

/** One screen line of a scrollable view, already wrapped to the width it is shown at. */
export interface Line {
  text: string;
  color?: string | undefined;
  dim?: boolean;
  bold?: boolean;
}

/** Breaks a line into pieces of at most `width` characters, at spaces where it can; continuation lines get `indent`. */
export function wrapLine(text: string, width: number, indent = ''): string[] {
  const max = Math.max(10, width);
  if (text.length <= max) return [text];
  const out: string[] = [];
  let rest = text;
  let first = true;
  while (rest.length > 0) {
    const room = first ? max : Math.max(5, max - indent.length);
    if (rest.length <= room) {
      out.push(first ? rest : indent + rest);
      break;
    }
    let cut = rest.lastIndexOf(' ', room);
    if (cut < room / 2) cut = room;
    out.push((first ? '' : indent) + rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^ /, '');
    first = false;
  }
  return out;
}

/**
 * Wraps every line of a view, keeping each line's style on its continuation lines. A line whose text holds line breaks
 * (a log, a traceback in a check's evidence) becomes one screen line per break first, each under the first one's
 * indent: a view counts screen lines, so one entry must never draw as several.
 */
export function wrapLines(lines: readonly Line[], width: number): Line[] {
  return lines.flatMap((line) => {
    const indent = /^\s*/.exec(line.text)?.[0] ?? '';
    const parts = line.text.split(/\r?\n/).map((part, i) => (i === 0 ? part : indent + part.replace(/\r/g, '')));
    return parts.flatMap((part) => {
      const own = /^\s*/.exec(part)?.[0] ?? '';
      return wrapLine(part, width, own + (own.length > 0 ? '' : '  ')).map((text) => ({ ...line, text }));
    });
  });
}

/**
 * A Python traceback with its exception line (the last one, which says what went wrong) moved to the top, so that a
 * cut view still shows it; other text is returned as it is.
 */
export function exceptionFirst(text: string): string {
  const lines = text.replace(/\s+$/, '').split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim().startsWith('Traceback (most recent call last):'));
  if (start < 0 || lines.length - start < 3) return text;
  const last = lines[lines.length - 1]!;
  if (/^\s/.test(last)) return text;
  return [...lines.slice(0, start), last, ...lines.slice(start, -1)].join('\n');
}

/** A unified diff line's colour: additions green, removals red, hunk headers cyan (none at all without colour). */
export function diffLine(text: string, color: boolean): Line {
  if (!color) return { text };
  if (text.startsWith('+++') || text.startsWith('---')) return { text, bold: true };
  if (text.startsWith('+')) return { text, color: 'green' };
  if (text.startsWith('-')) return { text, color: 'red' };
  if (text.startsWith('@@')) return { text, color: 'cyan' };
  if (text.startsWith('$ ')) return { text, bold: true };
  return { text };
}

/** Where a proposal acts, in a few words. */
export function changeTarget(proposal: Proposal): string {
  const change = proposal.change;
  switch (change.kind) {
    case 'command':
      return `$ ${change.command}`;
    case 'note':
      return 'note';
    default:
      return `${change.kind} ${change.path}`;
  }
}

export const MARK: Record<CheckStatus, string> = STATUS_MARK;
/**
 * A check result's colour says what it means for the step: red (and bold) for what blocks it — a required check that
 * failed or could not run —, yellow for a warning or an optional check that failed, green only for a pass, grey for
 * an optional check that did not run and for "nothing to check" (never a green tick over zero items).
 */
export function checkLook(status: CheckStatus, required: boolean): { color: string; bold: boolean } {
  if (status === 'pass') return { color: 'green', bold: false };
  if (status === 'nothing-to-check') return { color: 'gray', bold: false };
  if (required && (status === 'fail' || status === 'skipped')) return { color: 'red', bold: true };
  if (status === 'skipped') return { color: 'gray', bold: false };
  return { color: 'yellow', bold: false };
}

/** One check result as lines: the mark, title and summary; the first line of evidence; the fix when it did not pass. */
export function checkLines(result: CheckResult, title: string, required: boolean, color: boolean): Line[] {
  const look = checkLook(result.status, required);
  const lines: Line[] = [
    {
      text: `${MARK[result.status]} ${title}${required ? '' : ' (optional)'}: ${result.summary}`,
      color: color ? look.color : undefined,
      bold: look.bold,
    },
  ];
  const evidence = result.evidence[0];
  if (evidence) {
    const text =
      'note' in evidence
        ? exceptionFirst(evidence.note)
        : `${evidence.file}:${evidence.line}${evidence.text ? `  ${evidence.text.trim()}` : ''}`;
    lines.push({ text: `    ${text}`, dim: true });
  }
  if (result.status !== 'pass' && result.fix)
    lines.push({ text: `    fix: ${result.fix}`, color: color ? 'yellow' : undefined });
  return lines;
}

/** "12 s", "1 m 05 s". */
export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
}

/** The planner as the header names it. */
export function plannerLabel(planner: { kind: 'recipes' } | { kind: 'model'; model: string }): string {
  return planner.kind === 'model' ? planner.model : 'built-in recipes';
}

function tokens(usage: {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}): string {
  const cache =
    usage.cacheReadTokens || usage.cacheWriteTokens
      ? ` (cache read ${usage.cacheReadTokens} / write ${usage.cacheWriteTokens})`
      : '';
  return `${usage.inputTokens} in / ${usage.outputTokens} out tokens${cache}`;
}

/** One line about what the model planner spent on a plan. */
export function planUsageLine(usage: {
  model: string;
  turns: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}): string {
  return `planned by ${usage.model}: ${tokens(usage)}, ${usage.turns} turn(s)`;
}

/** One line about what an answer from the model spent. */
export function answerUsageLine(
  model: string,
  usage: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number },
): string {
  return `${model}: ${tokens(usage)}`;
}
