/**
 * Who listens on a TCP port, from Linux's /proc: the listening sockets of the port in /proc/net/tcp and tcp6 (any
 * address), their inodes mapped to the processes holding them through /proc/<pid>/fd, and each process's group and
 * parent from /proc/<pid>/stat. Elsewhere (no /proc/net/tcp) every answer is "unknown", never a guess.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

const LISTEN_STATE = '0A';

/** Inodes of the sockets listening on `port` on any address; undefined when /proc/net/tcp cannot be read. */
export async function listeningSocketInodes(port: number): Promise<Set<number> | undefined> {
  const inodes = new Set<number>();
  let readable = false;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(table, 'utf8');
    } catch {
      continue;
    }
    readable = true;
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== LISTEN_STATE) continue;
      const localPort = Number.parseInt(fields[1]?.split(':')[1] ?? '', 16);
      const inode = Number(fields[9]);
      if (localPort === port && Number.isInteger(inode) && inode > 0) inodes.add(inode);
    }
  }
  return readable ? inodes : undefined;
}

interface ProcStat {
  ppid: number;
  pgrp: number;
}

async function procStat(pid: number): Promise<ProcStat | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    const pgrp = Number(rest[2]);
    return Number.isInteger(ppid) && Number.isInteger(pgrp) ? { ppid, pgrp } : undefined;
  } catch {
    return undefined;
  }
}

async function allPids(): Promise<number[]> {
  try {
    return (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}

/** Inodes of the sockets the process has open ([] when it cannot be read: another user's, or gone). */
async function socketInodesOf(pid: number): Promise<number[]> {
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const inodes: number[] = [];
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.push(Number(m[1]));
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

async function holdsSocket(pid: number, inodes: ReadonlySet<number>): Promise<boolean> {
  return (await socketInodesOf(pid)).some((inode) => inodes.has(inode));
}

async function pidsHolding(inodes: ReadonlySet<number>, pids: readonly number[]): Promise<number[]> {
  const holders: number[] = [];
  for (const pid of pids) if (await holdsSocket(pid, inodes)) holders.push(pid);
  return holders;
}

async function commandName(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface PortHolder {
  pid: number;
  command?: string;
}

/**
 * The processes listening on `port`: undefined when this cannot be known (not Linux), [] when nothing listens, and for
 * each listener that could be read, its pid and command name. A listener of another user shows as { pid: -1 }.
 */
export async function portHolders(port: number): Promise<PortHolder[] | undefined> {
  const inodes = await listeningSocketInodes(port);
  if (inodes === undefined) return undefined;
  if (inodes.size === 0) return [];
  const pids = await pidsHolding(inodes, await allPids());
  if (pids.length === 0) return [{ pid: -1 }];
  return Promise.all(
    pids.map(async (pid) => ({ pid, ...(await commandName(pid).then((command) => (command ? { command } : {}))) })),
  );
}

/** "pid 1234, python3" / "pid 1234" / "another user's process" / "" for a message about who holds a port. */
export function describeHolders(holders: readonly PortHolder[] | undefined): string {
  if (!holders || holders.length === 0) return '';
  return holders
    .map((h) => (h.pid < 0 ? "another user's process" : `pid ${h.pid}${h.command ? `, ${h.command}` : ''}`))
    .join('; ');
}

/** True when the process or one of its ancestors is in the process group. */
async function descendsFromGroup(pid: number, pgid: number): Promise<boolean> {
  let current = pid;
  for (let depth = 0; depth < 64 && current > 1; depth++) {
    const stat = await procStat(current);
    if (!stat) return false;
    if (stat.pgrp === pgid) return true;
    current = stat.ppid;
  }
  return false;
}

export type ListenerOwnership = { owner: 'group' } | { owner: 'other'; holders: PortHolder[] } | { owner: 'unknown' };

/**
 * Whether every socket listening on `port` is held by the process group `pgid` (a process of the group, or a process
 * started from one of them, as a build tool's forked JVM). 'unknown' where /proc cannot tell (not Linux) or nothing
 * listens any more.
 */
export async function listenerOwnership(port: number, pgid: number): Promise<ListenerOwnership> {
  const inodes = await listeningSocketInodes(port);
  if (inodes === undefined || inodes.size === 0) return { owner: 'unknown' };
  // Cheap first: the group's own processes.
  const members: number[] = [];
  for (const pid of await allPids()) if ((await procStat(pid))?.pgrp === pgid) members.push(pid);
  const unclaimed = new Set(inodes);
  for (const pid of members) for (const inode of await socketInodesOf(pid)) unclaimed.delete(inode);
  if (unclaimed.size === 0) return { owner: 'group' };
  // A listener outside the group: whose is it, and was it started from the group?
  const holders = await pidsHolding(unclaimed, await allPids());
  if (holders.length === 0) return { owner: 'other', holders: [{ pid: -1 }] };
  const strangers: PortHolder[] = [];
  for (const pid of holders) {
    if (await descendsFromGroup(pid, pgid)) continue;
    const command = await commandName(pid);
    strangers.push({ pid, ...(command ? { command } : {}) });
  }
  return strangers.length === 0 ? { owner: 'group' } : { owner: 'other', holders: strangers };
}
