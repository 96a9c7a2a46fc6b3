/**
 * Errors are values with a message a user can act on. `kind` decides the exit code in cli/:
 * usage and input errors exit 2, internal errors exit 3.
 */
export type ErrorKind = 'usage' | 'input' | 'internal';

export class TraceGuideError extends Error {
  readonly kind: ErrorKind;
  /** What the user can do about it, one line. */
  readonly hint: string | undefined;

  constructor(kind: ErrorKind, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TraceGuideError';
    this.kind = kind;
    this.hint = hint;
  }
}

export function inputError(message: string, hint?: string, cause?: unknown): TraceGuideError {
  return new TraceGuideError('input', message, hint, { cause });
}

export function usageError(message: string, hint?: string): TraceGuideError {
  return new TraceGuideError('usage', message, hint);
}

export function describeError(error: unknown): string {
  if (error instanceof TraceGuideError) {
    return error.hint ? `${error.message}\n  hint: ${error.hint}` : error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
