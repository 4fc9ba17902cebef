/**
 * `"auth": { "type": "vscode" }`: a GitHub or Microsoft account VS Code knows, one per
 * instance (`account` is its label), through `vscode.authentication`.
 *
 * On the quiet path (`provide`, an eager start) the session is only looked up
 * (`silent: true`): no dialog, and an account that is not signed in becomes "needs you
 * to sign in". Only the user's "Sign in" and VS Code's `resolve` may ask
 * (`createIfNone`), and a token the server rejected is replaced there (`forceNewSession`).
 */
import type * as vscode from 'vscode';
import { SignInRequiredError, type VscodeAuth } from '../../core/auth';
import type { VscodeGrant, VscodeTokenRequest } from '../../core/runtime';
import type { VsCodeApi } from '../vscodeApi';

type AuthenticationApi = VsCodeApi['authentication'];

export class VscodeAccountError extends Error {
  readonly code = 'vscode-account';
  constructor(message: string) {
    super(message);
    this.name = 'VscodeAccountError';
  }
}

/** The runtime's `vscodeToken`. `hint` ends "needs you to sign in: …". */
export function vscodeTokenSource(authentication: AuthenticationApi, hint: string) {
  return async (auth: VscodeAuth, previous: string | undefined, request: VscodeTokenRequest): Promise<VscodeGrant> => {
    const wanted = auth.account;
    const account = wanted === undefined ? undefined : await findAccount(authentication, auth.provider, wanted);
    const base: vscode.AuthenticationGetSessionOptions = account === undefined ? {} : { account };
    if (!request.interactive) {
      const session = await authentication.getSession(auth.provider, auth.scopes, { ...base, silent: true });
      const why = wanted === undefined ? '' : ` as "${wanted}"`;
      if (session === undefined) throw new SignInRequiredError(request.instance, `no ${providerName(auth)} session${why} with the scopes it needs; ${hint}`);
      if (session.accessToken === previous) throw new SignInRequiredError(request.instance, `${providerName(auth)} rejected the session's token; ${hint}`);
      return grant(session);
    }
    const detail = `MCPlex: ${request.instance}${wanted === undefined ? '' : ` (account "${wanted}")`}`;
    const session =
      previous !== undefined
        ? await authentication.getSession(auth.provider, auth.scopes, { ...base, forceNewSession: { detail } })
        : await authentication.getSession(auth.provider, auth.scopes, { ...base, createIfNone: { detail } });
    if (wanted !== undefined && session.account.label !== wanted) {
      throw new VscodeAccountError(
        `${request.instance} wants the ${providerName(auth)} account "${wanted}", but the sign-in was for "${session.account.label}"; sign in as "${wanted}", or change "account" in its auth`,
      );
    }
    return grant(session);
  };
}

/**
 * Opens a sign-in page. The URL goes to VS Code as the string it is: the extension host
 * accepts a string and opens it byte for byte (checked in VS Code 1.139's extHostWindow
 * `openUri`), whereas a parsed `Uri` is re-encoded on the way (`scope=read+write` would
 * arrive as `read%2Bwrite`). The type says `Uri`, hence the one cast.
 */
export async function openExternalUrl(api: Pick<VsCodeApi, 'env'>, url: string): Promise<void> {
  await api.env.openExternal(url as unknown as vscode.Uri);
}

/** The accounts VS Code knows for a provider (Add Account Instance lists them); none when it cannot tell. */
export async function knownAccounts(authentication: AuthenticationApi, provider: string): Promise<readonly vscode.AuthenticationSessionAccountInformation[]> {
  try {
    return await authentication.getAccounts(provider);
  } catch {
    return [];
  }
}

async function findAccount(authentication: AuthenticationApi, provider: string, label: string): Promise<vscode.AuthenticationSessionAccountInformation | undefined> {
  return (await knownAccounts(authentication, provider)).find((account) => account.label === label);
}

function grant(session: vscode.AuthenticationSession): VscodeGrant {
  return { token: session.accessToken, account: session.account.label };
}

function providerName(auth: VscodeAuth): string {
  return auth.provider === 'github' ? 'GitHub' : 'Microsoft';
}
