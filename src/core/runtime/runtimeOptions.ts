/** What a window runtime is started with, and how an instance may be started. */
import type { TokenStore, VscodeAuth } from '../auth';
import type { SecretResolver } from '../config';
import type { Redactor } from '../redaction';
import type { HttpHostOptions, ListenAddress, SessionExpiry } from '../host';
import type { CallApproval } from '../mux';
import type { SupervisorOptions } from '../upstream';
import type { VscodeGrant, VscodeTokenRequest } from './instanceAuth';
import type { InstanceState } from './model';

export interface WindowRuntimeOptions {
  /** The caller picks a short unix socket path (or a named pipe), or loopback TCP. */
  readonly listen: ListenAddress;
  /** Default: 32 random bytes, hex. */
  readonly token?: string;
  readonly secrets: SecretResolver;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly userHome: string;
  /** Where `${instanceDir}` folders live (the extension's global storage). */
  readonly stateRoot?: string;
  /** `eager`: start on update; `onDemand`: start in `ensureRunning` / `start`. */
  readonly startup: 'eager' | 'onDemand';
  onStderr?(instanceId: string, line: string): void;
  /** A supervisor event's line (`describeSupervisorEvent`) when it says more than the state line that follows. */
  onEvent?(instanceId: string, text: string): void;
  /** Each change of an instance's state (the log renders it with the same words as the tree). */
  onState?(instanceId: string, state: InstanceState): void;
  /** Something the user should know about an instance (two instances signed in as one account); once per new warning. */
  onWarning?(instanceId: string, text: string): void;
  /** The largest message an upstream may write; past it the call in flight fails and the upstream restarts. Default 64 MiB. */
  readonly maxMessageBytes?: number;
  /** Tests inject timers and retry policies. */
  readonly supervisorOptions?: Partial<SupervisorOptions>;
  /** Each session the window's host closed by itself (idle, over the cap, stalled), named by its endpoint. */
  onSessionExpired?(closed: EndpointSessionExpiry): void;
  /** The host's session bounds; default the host's (30 min idle, 1000 per endpoint). Tests make them small. */
  readonly sessionLimits?: Pick<HttpHostOptions, 'sessionIdleMs' | 'maxSessions' | 'stallMs'>;
  /**
   * Where OAuth tokens and client registrations live, per instance (the extension:
   * SecretStorage). Default: memory, for this runtime's life.
   */
  readonly tokenStore?: TokenStore;
  /** Shows an OAuth sign-in page; only called on an interactive start (the user's action, `resolve`). */
  readonly openBrowser?: (url: string) => void | Promise<void>;
  /** A VS Code account's token; `request.interactive` says whether the user may be asked. */
  readonly vscodeToken?: (auth: VscodeAuth, previous: string | undefined, request: VscodeTokenRequest) => Promise<VscodeGrant>;
  /** The end of "<instance> needs you to sign in: …": what the user should do. */
  readonly signInHint?: string;
  /** How long a browser sign-in may take (default 5 minutes). */
  readonly signInTimeoutMs?: number;
  /**
   * Learns every credential the instances' auth hands out (OAuth and VS Code tokens, a
   * helper's token, header values), so the window's log can hide them as it hides secrets.
   */
  readonly redactor?: Pick<Redactor, 'add'>;
  /** Asks the user about a call under tools.confirm (the extension's modal); absent: VS Code is asked by elicitation. */
  readonly approval?: CallApproval;
}

/** A session the window's host closed by itself, and the endpoint it belonged to. */
export interface EndpointSessionExpiry {
  /** The definition's label (`Notes · Work`), or the path when no definition serves it any more. */
  readonly endpoint: string;
  /** The instances behind that endpoint: one, or an aggregate's members (none when no definition serves it). */
  readonly instanceKeys: readonly string[];
  readonly expiry: SessionExpiry;
}

/** How `ensureRunning` and `start` may start an instance. */
export interface StartOptions {
  /** A sign-in may open the browser or a dialog (the user acted, or VS Code's `resolve`). Default false. */
  readonly interactive?: boolean;
}
