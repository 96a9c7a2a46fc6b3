export function sharedCacheRoot(): string;
export function withLockFile<T>(lockPath: string, task: () => Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
export function sharedCacheDir(
  name: string,
  fill: (stagingDir: string) => Promise<void>,
  options?: { rebuild?: boolean; root?: string },
): Promise<string>;
