/** Where `serve` was told to listen cannot be used: printed without a stack, usage exit code. */
export class ServeOptionError extends Error {
  readonly code = 'serve-option';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServeOptionError';
  }
}
