/**
 * Credentials in the CLI: OAuth state in the secret store (the OS keychain or the 0600
 * file), sign-in in the browser (the URL is printed on stderr and opened when a browser
 * can be), and VS Code accounts refused with a way out. `MCPLEX_OAUTH_INTERACTIVE=0` (CI) never opens a sign-in;
 * `MCPLEX_SIGN_IN_TIMEOUT_MS` bounds how long a browser sign-in (and a call held for one) may take.
 */
import { spawn } from 'node:child_process';
import { AuthorizedConnector, isSharedSignInUrl, sharedSignInUrls, storedTokens, type AuthContext, type RemoteSpec } from '../core/auth';
import type { UpstreamSpec } from '../core/config';
import { accountOfTokens } from '../core/runtime';
import type { ResolvedInstance } from '../core/config';
import type { PlannedInstance } from '../core/plan';
import { connectOnlyCredentials, type CredentialFactory } from '../core/engine';
import type { CliIo } from './io';
import { lazySecretStore } from './secretStoreChoice';
import { FileSecretStore } from './secretStore';

/** What the CLI knows of an instance: its name in messages, whose tokens, its prefix. */
export interface CliAuthInstance extends CliSignIn {
  readonly prefix: string;
  /** Where a credential helper runs. */
  readonly cwd?: string;
}

/** How one instance signs in from the CLI: whose tokens, where they are kept, whether a browser may open. */
export interface CliSignIn {
  /** Messages and the OAuth store key: `notion/work` (or the prefix for `wrap`). */
  readonly name: string;
  /** A token file of its own (`wrap --oauth-store FILE`, 0600) instead of the secret store. */
  readonly storePath?: string;
  /** False: the sign-in URL is printed and no browser is opened (`wrap --oauth-no-open`). */
  readonly openBrowser?: boolean;
}

/** `shared`: upstream URLs more than one OAuth instance signs in to (`sharedUrlsOf`): their sign-ins show the account chooser. */
export function cliConnector(io: CliIo, instances: ReadonlyMap<string, CliAuthInstance>, shared: ReadonlySet<string> = new Set()): AuthorizedConnector {
  const context = cliAuthContext(io);
  return new AuthorizedConnector((key: string, spec: RemoteSpec) => ({ ...context(instances.get(key) ?? { name: key, prefix: key }), selectAccount: () => isSharedSignInUrl(shared, spec.url) }));
}

/**
 * The engine's credentials in the CLI (`serve`, `wrap`): the same store, browser and
 * wording as `list`, one connector per instance that has an `auth`. Tokens are kept under
 * `signInOf(instance).name` — the instance key (`notion/work`), as `list` keeps them, so
 * what one command signs in the others use. Nothing to sign in or out of from a running serve.
 */
export function cliCredentials(
  io: CliIo,
  signInOf: (planned: PlannedInstance) => CliSignIn = (planned) => ({ name: planned.key }),
  shared: ReadonlySet<string> = new Set(),
): CredentialFactory {
  const context = cliAuthContext(io);
  return ({ instance, cwd, connect }) => {
    const { planned } = instance;
    const { upstream } = planned;
    if (upstream.kind !== 'remote' || upstream.auth === undefined) return undefined;
    const signIn = signInOf(planned);
    const selectAccount = (): boolean => isSharedSignInUrl(shared, upstream.url);
    const connector = new AuthorizedConnector(() => ({ ...context({ ...signIn, prefix: planned.prefix, ...(cwd !== undefined && { cwd }) }), selectAccount }), connect);
    return connectOnlyCredentials(connector.connectUpstream, () => connector.close());
  };
}

/** The upstream URLs of `upstreams` that more than one OAuth instance signs in to. */
export function sharedUrlsOf(upstreams: readonly UpstreamSpec[]): ReadonlySet<string> {
  return sharedSignInUrls(upstreams.flatMap((upstream) => (upstream.kind === 'remote' ? [{ url: upstream.url, authType: upstream.auth?.type }] : [])));
}

/** Who instance `name` is signed in to `url` as, from its stored OAuth tokens' ID token; undefined when they do not say. */
export async function cliSignedInAs(io: CliIo, name: string, url: string): Promise<string | undefined> {
  const text = await storedTokens(lazySecretStore(io).tokens, name, url).catch(() => undefined);
  return text === undefined ? undefined : accountOfTokens(text);
}

/**
 * One store per command (an instance may have a file of its own); whether a browser may
 * open is the environment's to say, or the instance's (`--oauth-no-open`).
 */
function cliAuthContext(io: CliIo): (instance: CliAuthInstance) => Omit<AuthContext, 'url'> {
  const store = lazySecretStore(io);
  const interactive = io.env['MCPLEX_OAUTH_INTERACTIVE'] !== '0';
  const timeout = Number(io.env['MCPLEX_SIGN_IN_TIMEOUT_MS']);
  return (instance) => ({
    instance: instance.name,
    storeKey: instance.name,
    prefix: instance.prefix,
    store: instance.storePath === undefined ? store.tokens : new FileSecretStore(instance.storePath).tokens,
    interactive,
    openBrowser: (url: string) => openBrowser(io, instance.name, url, instance.openBrowser !== false),
    signInHint: 'run `mcplex list` in a terminal (without MCPLEX_OAUTH_INTERACTIVE=0) and sign in in the browser',
    redactor: io.secrets,
    ...(Number.isInteger(timeout) && timeout > 0 && { callbackTimeoutMs: timeout }),
    ...(instance.cwd !== undefined && { cwd: instance.cwd }),
  });
}

/** Instances whose `auth` the CLI cannot provide, with why (to report and leave out). */
export function unsupportedAuth(instance: Pick<ResolvedInstance, 'upstream'>): string | undefined {
  const { upstream } = instance;
  if (upstream.kind !== 'remote' || upstream.auth?.type !== 'vscode') return undefined;
  return 'its `auth` is a VS Code account (`"type": "vscode"`), which only VS Code can provide; for the CLI use `"type": "command"` (e.g. `gh auth token`) or `"type": "bearer"` with ${secret:NAME}';
}

/**
 * The URL goes to stderr first: stdout is the protocol, and a user without a browser
 * (ssh, a container) can open it elsewhere. `MCPLEX_NO_BROWSER=1` (or `mayOpen` false) only prints it.
 */
function openBrowser(io: CliIo, instance: string, url: string, mayOpen: boolean): void {
  io.writeErr(`mcplex: ${instance} needs you to sign in; open this page in a browser:\n  ${url}\n`);
  if (!mayOpen || io.env['MCPLEX_NO_BROWSER'] === '1') return;
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !io.env['DISPLAY'] && !io.env['WAYLAND_DISPLAY']) return;
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.once('error', () => undefined); // no opener: the printed URL is the way
    child.unref();
  } catch {
    // same: the URL is printed
  }
}
