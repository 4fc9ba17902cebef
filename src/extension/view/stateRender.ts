/**
 * How each state of an instance reads, in one table: the icon and its colour, the tree
 * item's context value (what package.json's menus match), the words, the detail, and how
 * the status bar counts it. The tree, the status bar, the instance picker and the log all
 * render through it, so one state reads the same everywhere.
 */
import type { InstanceStatus } from '../../core/runtime';

type Kind = InstanceStatus['kind'];
type StatusOf<K extends Kind> = Extract<InstanceStatus, { readonly kind: K }>;
export type Attention = 'error' | 'warning';

interface StateRow<K extends Kind> {
  /** A codicon id (`pass`, `sync~spin`…). */
  readonly icon: string;
  /** A theme colour id for the icon, when the state deserves one. */
  readonly color?: string;
  /** The tree item's context value is `instance.<context>` (+ suffixes); the manifest's menus match it. */
  readonly context: string;
  /** When it needs the user's eye: the status bar's background. */
  readonly attention?: Attention;
  /** A few words: `running`, `starting (attempt 2)`, `failed, retrying`. */
  words(status: StatusOf<K>): string;
  /** Why, when there is something to say (the failure's message, the missing secrets). */
  detail?(status: StatusOf<K>): string;
  /** A fact only the log adds after the words (the pid), in brackets. */
  note?(status: StatusOf<K>): string | undefined;
  /** How the status bar counts `count` instances in this state: `2 failed`, `1 needs a secret`. */
  counted(count: number): string;
}

const needs = (count: number, what: string): string => `${count} need${count === 1 ? 's' : ''} ${what}`;

export const STATE_TABLE: { readonly [K in Kind]: StateRow<K> } = {
  stopped: { icon: 'circle-outline', context: 'stopped', words: () => 'stopped', counted: (count) => `${count} stopped` },
  starting: {
    icon: 'sync~spin',
    context: 'starting',
    words: (status) => (status.attempt > 1 ? `starting (attempt ${status.attempt})` : 'starting'),
    counted: (count) => `${count} starting`,
  },
  running: {
    icon: 'pass',
    color: 'testing.iconPassed',
    context: 'running',
    words: () => 'running',
    note: (status) => (status.pid === undefined ? undefined : `pid ${status.pid}`),
    counted: (count) => `${count} running`,
  },
  failed: {
    icon: 'error',
    color: 'errorForeground',
    context: 'failed',
    attention: 'error',
    words: (status) => (status.retrying ? 'failed, retrying' : 'failed'),
    detail: (status) => status.message,
    counted: (count) => `${count} failed`,
  },
  'needs-secret': {
    icon: 'key',
    color: 'list.warningForeground',
    // `needsSecret`, so `viewItem == instance.needsSecret` reads well.
    context: 'needsSecret',
    attention: 'warning',
    words: () => 'needs a secret',
    detail: (status) => `Set ${status.secrets.map((name) => `\${secret:${name}}`).join(', ')} to start it.`,
    counted: (count) => needs(count, 'a secret'),
  },
  'needs-sign-in': {
    icon: 'account',
    color: 'list.warningForeground',
    context: 'needsSignIn',
    attention: 'warning',
    words: () => 'needs a sign-in',
    detail: (status) => status.message,
    counted: (count) => needs(count, 'a sign-in'),
  },
  untrusted: {
    icon: 'shield',
    color: 'list.warningForeground',
    context: 'untrusted',
    attention: 'warning',
    words: () => 'untrusted',
    detail: () => 'Trust this workspace to start it.',
    counted: (count) => `${count} untrusted`,
  },
};

/** One state as every view shows it. */
export interface RenderedState {
  readonly icon: { readonly id: string; readonly color?: string };
  /** The icon in a label: `$(pass)`. */
  readonly codicon: string;
  /** Without the tree's suffixes (`.auth`, `.secrets`). */
  readonly context: string;
  /** The state's words and, while running, VS Code's connection: `running · connected`. */
  readonly text: string;
  readonly detail?: string;
  /** What the words mean, for a tooltip: mcplex runs the upstream, VS Code connects on its own. */
  readonly explanation?: string;
  readonly attention?: Attention;
}

/**
 * `clients`: the MCP clients connected to the endpoint that serves it (`InstanceView.clients`).
 * "running" alone would be half true: mcplex runs the upstream, but VS Code lists the server as
 * Stopped until it connects, so a running instance says which.
 */
export function renderState(status: InstanceStatus, clients?: number): RenderedState {
  const row = rowOf(status);
  const detail = row.detail?.(status);
  const connection = status.kind === 'running' && clients !== undefined ? CONNECTION[clients > 0 ? 'connected' : 'unconnected'] : undefined;
  return {
    icon: row.color === undefined ? { id: row.icon } : { id: row.icon, color: row.color },
    codicon: codicon(status.kind),
    context: row.context,
    text: connection === undefined ? row.words(status) : `${row.words(status)} · ${connection.words}`,
    ...(detail !== undefined && { detail }),
    ...(connection !== undefined && { explanation: connection.explanation }),
    ...(row.attention !== undefined && { attention: row.attention }),
  };
}

/** How VS Code's connection to a running instance reads, and what it means. */
export const CONNECTION = {
  connected: {
    words: 'connected',
    explanation: 'mcplex runs its server, and VS Code is connected to it: its tools reach the model.',
  },
  unconnected: {
    words: 'not connected by VS Code yet',
    explanation:
      'mcplex runs its server, but VS Code has not connected to it yet, so "MCP: List Servers" shows it as Stopped. VS Code connects when a chat needs its tools, or when you start it there.',
  },
} as const;

/** The log's line for a state: `running (pid 123)`, `failed, retrying: exited with code 1`. */
export function stateLine(status: InstanceStatus): string {
  const row = rowOf(status);
  const note = row.note?.(status);
  const detail = row.detail?.(status);
  return `${row.words(status)}${note === undefined ? '' : ` (${note})`}${detail === undefined ? '' : `: ${detail}`}`;
}

export function codicon(kind: Kind): string {
  return `$(${STATE_TABLE[kind].icon})`;
}

/** The row of the status's kind, typed for it (TypeScript cannot narrow a row of a mapped type by the key's value). */
function rowOf<K extends Kind>(status: StatusOf<K>): StateRow<K> {
  return STATE_TABLE[status.kind as K] as StateRow<K>;
}
