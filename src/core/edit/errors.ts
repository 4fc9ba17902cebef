/** Why an edit of `.mcplex.jsonc` cannot be made, in words that say what to do instead. */
export type EditErrorCode =
  /** The text does not parse as JSON with comments; the user must fix it first. */
  | 'unparsable'
  /** The path to edit does not exist (an instance removed meanwhile). */
  | 'not-found'
  /** A value on the way is not what the edit expects (e.g. `servers` is an array). */
  | 'unexpected-shape'
  /** The change would not take effect (a glob pattern or the server's list decides). */
  | 'not-editable'
  /** The new instance or server already exists. */
  | 'exists';

export class EditError extends Error {
  constructor(
    readonly code: EditErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EditError';
  }
}
