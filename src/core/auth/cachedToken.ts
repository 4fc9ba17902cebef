/**
 * A bearer token from a source that can be asked again (a credential helper, a VS Code
 * account): reused until it is about to expire, asked for once however many requests
 * wait for it, and dropped when the upstream rejects it.
 */

export interface TokenGrant {
  readonly token: string;
  /** Milliseconds since the epoch after which the token must not be used; absent = until rejected. */
  readonly expiresAt?: number;
}

export class CachedToken {
  private current: TokenGrant | undefined;
  /** The last token handed out, even once dropped: the source may want to know it. */
  private last: string | undefined;
  private pending: Promise<TokenGrant> | undefined;

  constructor(
    /** `previous`: the token this one replaces (expired or rejected), if any. */
    private readonly obtain: (previous: string | undefined) => Promise<TokenGrant>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A usable token: the cached one, or a new one when there is none or it expired. */
  async get(): Promise<string> {
    const current = this.current;
    if (current !== undefined && (current.expiresAt === undefined || this.now() < current.expiresAt)) return current.token;
    if (this.pending === undefined) {
      this.pending = this.obtain(this.last).finally(() => (this.pending = undefined));
      this.pending.then(
        (grant) => {
          this.current = grant;
          this.last = grant.token;
        },
        () => (this.current = undefined),
      );
    }
    return (await this.pending).token;
  }

  /**
   * The upstream rejected `token`. It is dropped, unless a newer one has replaced it
   * meanwhile (many requests rejected at once ask for one new token, not many).
   */
  reject(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  /** The cached token, for hiding it in messages. */
  peek(): string | undefined {
    return this.current?.token;
  }
}
