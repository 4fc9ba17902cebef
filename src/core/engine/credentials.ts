/**
 * What differs between the hosts of the engine when an upstream needs credentials: the
 * window keeps OAuth tokens in SecretStorage, signs in quietly unless the user acted, and
 * takes VS Code accounts; the CLI keeps them in its 0600 file and opens the browser when it
 * may. The engine takes a `CredentialFactory` and asks it once per runner, so both go
 * through the same runner and supervisor; only the factory differs.
 */
import type { UpstreamSpec } from '../config';
import type { ConnectOptions, UpstreamConnection, connectUpstream } from '../upstream';
import type { RunnableInstance } from './instanceRunner';

/** One instance's credentials, as its runner uses them. */
export interface InstanceCredentials {
  /** The supervisor's `connect`, with the credentials applied. */
  readonly connect: (spec: UpstreamSpec, options: ConnectOptions) => Promise<UpstreamConnection>;
  /** While true (the user acted), a sign-in may open a browser or a dialog. */
  interactive: boolean;
  /** Whether "Sign in" / "Sign out" mean anything for this instance. */
  readonly signsIn: boolean;
  /** Who it is signed in as, when known. */
  readonly signedInAs: string | undefined;
  /** After a connection came up: find out who it is signed in as. */
  learnAccount(): Promise<void>;
  /** Forget the sign-in. */
  signOut(): Promise<void>;
  /** The user asked to sign in. */
  signingIn(): void;
  close(): Promise<void>;
}

export interface CredentialRequest {
  readonly instance: RunnableInstance;
  /** The folder the instance was configured in: where a credential helper runs. */
  readonly cwd?: string;
  /** The connect under the credentials (tests inject one through the supervisor options). */
  readonly connect?: typeof connectUpstream;
  /** The user must sign in (say, a token was revoked under a running session). */
  onSignInRequired(message: string): void;
}

/** Credentials for an instance, or undefined when it needs none (the supervisor connects it as it is). */
export type CredentialFactory = (request: CredentialRequest) => InstanceCredentials | undefined;

/**
 * Credentials that only connect: nothing to sign in or out of, no account to show (the
 * CLI's, whose sign-in happens inside `connect` when it may open a browser).
 */
export function connectOnlyCredentials(connect: InstanceCredentials['connect'], close: () => Promise<void> = () => Promise.resolve()): InstanceCredentials {
  return {
    connect,
    interactive: false,
    signsIn: false,
    signedInAs: undefined,
    learnAccount: () => Promise.resolve(),
    signOut: () => Promise.resolve(),
    signingIn: () => undefined,
    close,
  };
}
