/** Errors of the window runtime: a stable `code`, a message that says what to do. */
export type RuntimeErrorCode =
  | 'unknown-definition'
  | 'unknown-instance'
  | 'untrusted'
  | 'needs-secret'
  | 'instance-failed'
  | 'needs-sign-in'
  | 'no-sign-in'
  | 'runtime-closed';

export class RuntimeError extends Error {
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}
