/**
 * Errors of getting credentials for an upstream. Each has a stable `code` and names the
 * instance; none ever carries a token, a secret or a credential helper's stdout.
 */

export type AuthErrorCode = 'sign-in-required' | 'credential-helper-failed' | 'auth-unsupported' | 'oauth-callback';

export abstract class AuthError extends Error {
  abstract readonly code: AuthErrorCode;
  constructor(
    /** The instance whose credentials failed, e.g. `notion/work`. */
    readonly instance: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The upstream needs an OAuth sign-in and this caller may not start one (VS Code's
 * `provide` path, a non-interactive CLI run), or the stored tokens were revoked. It is a
 * state to show ("needs you to sign in"), not a failure to retry.
 */
export class SignInRequiredError extends AuthError {
  readonly code = 'sign-in-required';
  constructor(instance: string, hint: string, options?: { cause?: unknown }) {
    super(instance, `${instance} needs you to sign in: ${hint}`, options);
    this.name = 'SignInRequiredError';
  }
}

/** A `command` credential helper failed, printed nothing, or could not be started. */
export class CredentialHelperError extends AuthError {
  readonly code = 'credential-helper-failed';
  constructor(instance: string, message: string, options?: { cause?: unknown }) {
    super(instance, message, options);
    this.name = 'CredentialHelperError';
  }
}

/** This host cannot provide that kind of credential (e.g. `vscode` accounts outside VS Code). */
export class AuthUnsupportedError extends AuthError {
  readonly code = 'auth-unsupported';
  constructor(instance: string, message: string) {
    super(instance, message);
    this.name = 'AuthUnsupportedError';
  }
}

/** The browser sign-in did not come back: refused, timed out, or the callback port is taken. */
export class OAuthCallbackError extends AuthError {
  readonly code = 'oauth-callback';
  constructor(instance: string, message: string, options?: { cause?: unknown }) {
    super(instance, message, options);
    this.name = 'OAuthCallbackError';
  }
}

/** The first `AuthError` in an error's `cause` chain (and inside AggregateErrors), if any. */
export function findAuthError(error: unknown, depth = 0): AuthError | undefined {
  if (error instanceof AuthError) return error;
  if (depth > 8 || typeof error !== 'object' || error === null) return undefined;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = findAuthError(inner, depth + 1);
      if (found) return found;
    }
  }
  return findAuthError((error as { cause?: unknown }).cause, depth + 1);
}

/** Whether the error means "needs a sign-in" (the extension shows a Sign in action for it). */
export function isSignInRequired(error: unknown): boolean {
  return findAuthError(error)?.code === 'sign-in-required';
}
