/** Exit codes, documented in --help. */
export const EXIT = {
  ok: 0,
  checksFailed: 1,
  /**
   * The command ran as asked but its work did not (fully) succeed: a proposal was refused (its old text is no longer in
   * the file, the safety policy said no), undo could not restore a file, git refused the commit. Same code as failed
   * checks: "look at the result", not "fix the command line".
   */
  notDone: 1,
  usage: 2,
  internal: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
