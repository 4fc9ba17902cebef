export type NamingErrorCode = 'invalid-prefix' | 'invalid-separator' | 'not-namespaced';

/** A naming rule a caller broke; the message says which value to change. */
export class NamingError extends Error {
  override readonly name = 'NamingError';
  readonly code: NamingErrorCode;

  constructor(code: NamingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
