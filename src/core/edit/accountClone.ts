/**
 * Would the account being added start exactly like one the server has already? Then it is
 * the same account under another prefix (one Enter would give Personal the work data). The
 * flow asks for the values that differ per account first, prefilled with what the new
 * instance would inherit, and does not preselect "Write the instance". Pure: the server as
 * the file says it, and the values typed so far.
 */
import { hasOwnFolder, SAME_ACCOUNT_FIELDS } from '../clones';
import type { AccountValue } from './instancePlan';

type Fields = Readonly<Record<string, unknown>>;

/** A server as the file says it (`ServerConfig`, or the fields of an edit). */
export interface ServerShape {
  readonly env?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly isolate?: string;
  readonly instances: Readonly<Record<string, object>>;
}

export interface PerAccountValue {
  readonly target: 'env' | 'headers';
  readonly key: string;
  /** What the new instance would get without a value of its own (the server's), if anything. */
  readonly inherited?: string;
}

export interface CloneCheck {
  /** Existing instances the new one would start identically to. */
  readonly clones: readonly string[];
  /**
   * Values that make one account differ from another, not yet set for the new one: the env
   * entries and headers other instances set for themselves, and when it would be a clone,
   * also the server's own (they are what the clone shares).
   */
  readonly perAccount: readonly PerAccountValue[];
}

/** `fields`: what else the new instance will set (the VS Code account the flow chose, as its `auth`). */
export function cloneCheck(server: ServerShape, values: readonly AccountValue[], fields: object = {}): CloneCheck {
  const added = { ...(fields as Fields), ...instanceOf(values) };
  const launch = launchOf(server, added);
  // A folder of its own (`${instanceDir}`, `isolate`) makes it another account whatever else it shares.
  const { instances: _others, ...serverFields } = server;
  const ownFolder = hasOwnFolder(serverFields) || hasOwnFolder(added);
  const clones = ownFolder
    ? []
    : Object.entries(server.instances)
        .filter(([, instance]) => launchOf(server, instance as Fields) === launch)
        .map(([id]) => id);
  const isSet = (target: 'env' | 'headers', key: string): boolean => values.some((value) => value.target === target && value.key === key);
  const perAccount: PerAccountValue[] = [];
  const add = (target: 'env' | 'headers', key: string): void => {
    if (isSet(target, key) || perAccount.some((value) => value.target === target && value.key === key)) return;
    const inherited = server[target]?.[key];
    perAccount.push({ target, key, ...(inherited !== undefined && { inherited }) });
  };
  for (const instance of Object.values(server.instances)) {
    for (const target of ['env', 'headers'] as const) for (const key of Object.keys(record((instance as Fields)[target]))) add(target, key);
  }
  if (clones.length > 0) for (const target of ['env', 'headers'] as const) for (const key of Object.keys(server[target] ?? {})) add(target, key);
  return { clones, perAccount };
}

function instanceOf(values: readonly AccountValue[]): Fields {
  const env: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const value of values) (value.target === 'env' ? env : headers)[value.key] = value.secret ? `\u0000secret:${value.value}` : value.value;
  return { env, headers };
}

/**
 * The instance's launch merged over its server's (`mergeInstance`'s rules), as one comparable
 * string over the fields that decide an account (`SAME_ACCOUNT_FIELDS`, as planning compares).
 */
function launchOf(shape: ServerShape, instance: Fields): string {
  const server = shape as unknown as Fields;
  const merged: Record<string, unknown> = {};
  for (const key of SAME_ACCOUNT_FIELDS) {
    merged[key] = key === 'env' || key === 'headers' ? sorted({ ...record(server[key]), ...record(instance[key]) }) : (instance[key] ?? server[key] ?? null);
  }
  return JSON.stringify(merged);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function sorted(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
