/**
 * The one registry of the process groups trace-guide has started (services of a runtime run, one-shot runs) and the one
 * set of handlers that stops them on every way out of the process:
 * - `exit` (a normal end, an uncaught error, process.exit): SIGKILL to every live group, synchronously;
 * - SIGINT, SIGTERM, SIGHUP while a group is live: SIGTERM to every group, SIGKILL to what is left after a short grace,
 *   then the process exits 128 + the signal number (130, 143, 129). A second signal during that cleanup kills the
 *   groups at once and exits.
 * The signal handlers are installed only while a group is live, so a command with nothing running (`receive`, the
 * guide's menus) keeps its own signal handling.
 */
import { constants } from 'node:os';

export interface LiveProcessGroup {
  /** The process group id (the pid of the group leader). */
  readonly pgid: number;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the group is gone. Must untrack itself. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the whole group, synchronously. Must untrack itself. */
  killNow(): void;
}

const HANDLED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type HandledSignal = (typeof HANDLED_SIGNALS)[number];

/** Grace between SIGTERM and SIGKILL when the user interrupts trace-guide. */
const INTERRUPT_GRACE_MS = 1_500;
/** The longest the interrupt cleanup may take before the groups are killed and the process exits anyway. */
const INTERRUPT_CLEANUP_CAP_MS = 4_000;

const live = new Set<LiveProcessGroup>();
let exitHookInstalled = false;
let signalHandlersInstalled = false;
let interrupted: HandledSignal | undefined;

export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

function killAllNow(): void {
  for (const group of [...live]) {
    try {
      group.killNow();
    } catch {
      // already gone
    }
  }
  live.clear();
}

function onExit(): void {
  killAllNow();
}

async function onSignal(signal: HandledSignal): Promise<void> {
  if (interrupted) {
    // A second interrupt: no more grace.
    killAllNow();
    process.exit(exitCodeForSignal(interrupted));
  }
  interrupted = signal;
  process.stderr.write(
    `trace-guide: ${signal} received: stopping the ${live.size} started service process group(s) …\n`,
  );
  const stopping = Promise.allSettled([...live].map((group) => group.stop(INTERRUPT_GRACE_MS)));
  await Promise.race([stopping, new Promise((resolve) => setTimeout(resolve, INTERRUPT_CLEANUP_CAP_MS).unref())]);
  killAllNow();
  process.exit(exitCodeForSignal(signal));
}

const signalListeners: Record<HandledSignal, () => void> = {
  SIGINT: () => void onSignal('SIGINT'),
  SIGTERM: () => void onSignal('SIGTERM'),
  SIGHUP: () => void onSignal('SIGHUP'),
};

function installSignalHandlers(): void {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  for (const signal of HANDLED_SIGNALS) process.on(signal, signalListeners[signal]);
}

function removeSignalHandlers(): void {
  // While an interrupt is being handled the handlers stay: a second signal must still be caught.
  if (!signalHandlersInstalled || interrupted) return;
  signalHandlersInstalled = false;
  for (const signal of HANDLED_SIGNALS) process.removeListener(signal, signalListeners[signal]);
}

/** Records a started group; from now on it is stopped on every way out of the process. */
export function trackProcessGroup(group: LiveProcessGroup): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', onExit);
  }
  live.add(group);
  installSignalHandlers();
}

/** Forgets a group that is gone (its stop finished). */
export function untrackProcessGroup(group: LiveProcessGroup): void {
  live.delete(group);
  if (live.size === 0) removeSignalHandlers();
}

/**
 * Stops every live group now (SIGTERM, SIGKILL after `graceMs`): for a way out that is not a signal, as the guide
 * closing (Ctrl-C in its raw-mode terminal is a key, not a signal) while a check it started is still running.
 */
export async function stopAllProcessGroups(graceMs = INTERRUPT_GRACE_MS): Promise<void> {
  await Promise.allSettled([...live].map((group) => group.stop(graceMs)));
  killAllNow();
}

/** Process group ids still live (for tests and diagnostics). */
export function liveProcessGroupIds(): number[] {
  return [...live].map((group) => group.pgid);
}
