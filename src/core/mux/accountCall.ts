/**
 * A call to a tool the `accounts` exposure shows once for several accounts (see
 * catalog/collapseAccounts): its `account` argument picks the instance, the argument is
 * removed before the upstream sees the call, and the result says which account answered.
 *
 * Which account answered is told twice: in `_meta` (`mcplex/account`) for programs, and in a
 * text block the model reads. The block is appended, never put first: a tool with
 * `structuredContent` keeps its serialized JSON as its first text block, where clients look.
 * Without `account` the call goes to the server's `default: true` instance; with no default it
 * is refused — with two accounts the relay never guesses whose data a call touches.
 */
import { ErrorCode, type Result } from '@modelcontextprotocol/sdk/types.js';
import { ACCOUNT_PARAM, type AccountRoute } from '../catalog';
import type { Params } from '../wire';
import { RelayError } from './errors';
import type { Member } from './member';
import type { MemberRoute } from './viewCache';

/** The `_meta` key of a collapsed tool's result: the id of the account that answered. */
export const ACCOUNT_META_KEY = 'mcplex/account';

export interface AccountCall {
  readonly account: string;
  readonly route: MemberRoute;
  /** The call's params with `account` removed from its arguments. */
  readonly params: Params;
}

/** The instance a call of a collapsed tool goes to, or a client error that lists the valid accounts. */
export function chooseAccount(name: string, route: AccountRoute<Member>, params: Params): AccountCall {
  const args = (params['arguments'] ?? {}) as Record<string, unknown>;
  const given = args[ACCOUNT_PARAM];
  const account = given ?? route.defaultAccount;
  if (account === undefined) {
    throw new RelayError('unknown-account', `Tool "${name}" needs the argument "${ACCOUNT_PARAM}" (this server has no default account): one of ${choices(route)}.`, ErrorCode.InvalidParams);
  }
  const choice = typeof account === 'string' ? route.choices.get(account) : undefined;
  if (choice === undefined) {
    throw new RelayError('unknown-account', `Tool "${name}" has no account ${JSON.stringify(account)}: use one of ${choices(route)}.`, ErrorCode.InvalidParams);
  }
  const { [ACCOUNT_PARAM]: _removed, ...rest } = args;
  return {
    account: account as string,
    route: { member: choice.owner, key: choice.owner.key, upstreamName: route.upstreamName },
    params: { ...params, name: route.upstreamName, arguments: rest },
  };
}

/** The result with the account that answered (a task-augmented call's `task` answer is left as it is). */
export function answeredBy(result: Result, account: string): Result {
  const content = result['content'];
  if (!Array.isArray(content)) return result;
  return { ...result, content: [...content, { type: 'text', text: `[account: ${account}]` }], _meta: { ...result._meta, [ACCOUNT_META_KEY]: account } };
}

function choices(route: AccountRoute<Member>): string {
  return [...route.choices].map(([id, choice]) => (choice.label === id ? `"${id}"` : `"${id}" (${choice.label})`)).join(', ');
}
