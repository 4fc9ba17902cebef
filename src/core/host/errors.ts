export type HostErrorCode =
  | 'invalid-listen-address'
  | 'address-in-use'
  | 'address-not-permitted'
  | 'invalid-mount-path'
  | 'path-already-mounted'
  | 'socket-in-use'
  | 'socket-path-not-a-socket'
  | 'socket-not-private'
  | 'host-closed';

/** A host could not do what it was asked; the message says what to change. */
export class HostError extends Error {
  override readonly name = 'HostError';
  readonly code: HostErrorCode;

  constructor(code: HostErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
