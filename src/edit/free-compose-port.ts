/** Choosing a free host port for a Compose service when the one it wants is already published (the entries themselves
 * are read by compose/port-entries.ts). */

/**
 * A free host port to use instead of `port`: the same port shifted by 10000 (4317 → 14317, so the pairing stays
 * recognisable), then by 20000..., then the next free port above it.
 */
export function alternativePort(port: number, taken: ReadonlySet<number>): number {
  for (let shift = 10000; port + shift <= 65535; shift += 10000) {
    if (!taken.has(port + shift)) return port + shift;
  }
  for (let candidate = port + 1; candidate <= 65535; candidate++) if (!taken.has(candidate)) return candidate;
  for (let candidate = 1024; candidate < port; candidate++) if (!taken.has(candidate)) return candidate;
  throw new Error(`no free host port left to replace ${port}`);
}
