/**
 * A `connect` for the supervisor that gives each remote upstream its credentials. One
 * `RemoteAuth` per instance, kept across restarts: a cached token or a sign-in under way
 * survives a reconnect, and a changed `auth` gets a new one.
 */
import type { AuthSpec, UpstreamSpec } from '../config';
import { connectUpstream, type ConnectOptions, type UpstreamConnection } from '../upstream';
import { createRemoteAuth, type AuthContext, type RemoteAuth } from './remoteAuth';

export type RemoteSpec = Extract<UpstreamSpec, { kind: 'remote' }>;

export class AuthorizedConnector {
  private readonly auths = new Map<string, { readonly spec: string; readonly auth: RemoteAuth }>();

  constructor(
    /** The context of instance `key` (the supervisor's key); the URL is the spec's. */
    private readonly contextFor: (key: string, spec: RemoteSpec) => Omit<AuthContext, 'url'>,
    private readonly connect: typeof connectUpstream = connectUpstream,
  ) {}

  /** Pass as `SupervisorOptions.connect`. */
  readonly connectUpstream = async (spec: UpstreamSpec, options: ConnectOptions): Promise<UpstreamConnection> => {
    if (spec.kind !== 'remote' || spec.auth === undefined) return this.connect(spec, options);
    const auth = await this.authFor(options.instance, spec, spec.auth);
    return this.connect(spec, { ...options, auth });
  };

  /** The credentials of instance `key`, created on first use. */
  async authFor(key: string, spec: RemoteSpec, authSpec: AuthSpec): Promise<RemoteAuth> {
    const identity = JSON.stringify([spec.url, authSpec]);
    const known = this.auths.get(key);
    if (known?.spec === identity) return known.auth;
    await known?.auth.close();
    const auth = createRemoteAuth(authSpec, { ...this.contextFor(key, spec), url: spec.url });
    this.auths.set(key, { spec: identity, auth });
    return auth;
  }

  async close(): Promise<void> {
    const auths = [...this.auths.values()];
    this.auths.clear();
    await Promise.all(auths.map(({ auth }) => auth.close()));
  }
}
