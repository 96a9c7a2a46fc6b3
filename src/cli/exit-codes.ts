/** Exit codes, documented in --help. */
export const EXIT = {
  ok: 0,
  checksFailed: 1,
  usage: 2,
  internal: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
