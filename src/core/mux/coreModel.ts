/**
 * What the relay engine (relayCore) is built from, and what it keeps for each downstream session.
 */
import type { ClientCapabilities, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { CatalogNaming } from '../catalog';
import type { NamingIssue } from '../naming';
import type { CallApproval } from './callApproval';
import type { FastPath } from './fastPath';
import type { MemberOptions, SessionLike } from './member';
import type { Arrival } from './sessionWatch';

export interface CoreOptions {
  readonly kind: 'instance' | 'aggregate';
  readonly members: readonly MemberOptions[];
  readonly serverInfo: { readonly name: string; readonly title?: string; readonly version?: string };
  readonly toolNaming: CatalogNaming;
  /** Prompt names in the aggregate are namespaced like tools; an instance keeps them. */
  readonly promptNaming: CatalogNaming | undefined;
  readonly requestTimeoutMs: number;
  readonly clientRequestTimeoutMs: number;
  readonly onIssue?: (issue: NamingIssue) => void;
  /**
   * How long a client's `initialize` waits for an instance relay's upstream that is being
   * (re)started (a failed first start the supervisor retries); past it, `initialize` is
   * answered with an error that says why.
   */
  readonly startHoldMs?: number;
  /** Exposure `accounts`: tools every account of a server publishes alike are shown once (aggregate only). */
  readonly accounts?: boolean;
  /** How long an aggregate's new session waits for members still starting once one is up (see startGate). */
  readonly aggregateHoldMs?: number;
  /** The aggregate as the `discovery` exposure: three tools over its catalog (see discovery). */
  readonly discovery?: boolean;
  /** Who asks the user about a call under tools.confirm; absent: the calling client, by elicitation. */
  readonly approval?: CallApproval;
}

/** The default connect timeout of one start: a start that has not made it by then says why. */
export const DEFAULT_START_HOLD_MS = 30_000;

export interface Session extends SessionLike {
  readonly id: number;
  readonly capabilities: ServerCapabilities;
  /** Set at the client's `notifications/initialized`; nothing unasked is sent before it. */
  initialized: boolean;
  /** What the client announced at its `initialize`, kept once it is initialized. */
  clientCapabilities?: ClientCapabilities;
  /** Counted from its `initialize` until it is initialized or gone (see SessionWatch). */
  arrival?: Arrival;
  fastPath?: FastPath;
}
