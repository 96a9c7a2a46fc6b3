/**
 * How a service is started outside its language tooling: Procfile (`web:`) and Dockerfile (CMD / ENTRYPOINT, EXPOSE,
 * ENV PORT), plus ports written in a command line (`--port 8000`, `--bind 0.0.0.0:8000`, `runserver 0.0.0.0:8000`,
 * `PORT=4000 node server.js`).
 */
import type { Evidence } from '../../types/scan.js';
import { toPort } from '../detect/matcher.js';

export interface CommandLine {
  command: string;
  evidence: Evidence;
}

export interface PortFound {
  value: number;
  evidence: Evidence;
}

/** The `web:` process of a Procfile (else the first process). */
export function procfileCommand(file: string, text: string): CommandLine | undefined {
  const lines = text.split('\n');
  let first: CommandLine | undefined;
  for (let i = 0; i < lines.length; i++) {
    const m = /^([\w-]+)\s*:\s*(.+)$/.exec(lines[i]!.trim());
    if (!m) continue;
    const found = { command: m[2]!.trim(), evidence: { file, line: i + 1, text: lines[i]!.trim() } };
    if (m[1] === 'web') return found;
    first ??= found;
  }
  return first;
}

export interface Dockerfile {
  /** ENTRYPOINT followed by CMD, as a shell-like line, from the last stage. */
  command?: CommandLine;
  expose?: PortFound;
  envPort?: PortFound;
  /** Every instruction line (joined continuations), for agents started in the image. */
  lines: CommandLine[];
}

function execForm(args: string): string {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(trimmed);
      if (Array.isArray(list)) return list.map(String).join(' ');
    } catch {
      // not exec form after all
    }
  }
  return trimmed;
}

export function parseDockerfile(file: string, text: string): Dockerfile {
  const raw = text.split('\n');
  const out: Dockerfile = { lines: [] };
  let entrypoint: CommandLine | undefined;
  let cmd: CommandLine | undefined;
  for (let i = 0; i < raw.length; i++) {
    const start = i;
    let line = raw[i]!.trim();
    while (line.endsWith('\\') && i + 1 < raw.length) line = line.slice(0, -1).trim() + ' ' + raw[++i]!.trim();
    if (!line || line.startsWith('#')) continue;
    const evidence = { file, line: start + 1, text: raw[start]!.trim() };
    out.lines.push({ command: line, evidence });
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const instr = m[1]!.toUpperCase();
    const args = m[2]!;
    if (instr === 'FROM') {
      entrypoint = undefined; // a new stage: only the last one runs
      cmd = undefined;
    } else if (instr === 'ENTRYPOINT') entrypoint = { command: execForm(args), evidence };
    else if (instr === 'CMD') cmd = { command: execForm(args), evidence };
    else if (instr === 'EXPOSE') {
      const value = toPort(/^(\d+)/.exec(args)?.[1]);
      if (value && !out.expose) out.expose = { value, evidence };
    } else if (instr === 'ENV') {
      const value = toPort(/(?:^|\s)PORT[= ]\s*"?(\d+)/.exec(args)?.[1]);
      if (value) out.envPort = { value, evidence };
    }
  }
  if (entrypoint || cmd) {
    const command = [entrypoint?.command, cmd?.command].filter(Boolean).join(' ');
    out.command = { command, evidence: (cmd ?? entrypoint)!.evidence };
  }
  return out;
}

/** A port written in a command line. */
export function portInCommand(command: string): number | undefined {
  const m =
    /--port[= ]\s*(\d+)/.exec(command) ??
    /(?:--bind|-b)[= ]\s*['"]?[\w.-]*:(\d+)/.exec(command) ??
    /\brunserver\s+(?:[\w.-]*:)?(\d+)/.exec(command) ??
    /(?:^|\s)PORT=(\d+)\s/.exec(command) ??
    /(?:-Dserver\.port|--server\.port)=(\d+)/.exec(command);
  return toPort(m?.[1]);
}
