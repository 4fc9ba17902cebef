/**
 * `auth.type: command`: a credential helper (`gh auth token`, a cloud CLI) whose stdout,
 * trimmed, is the bearer token. Cached until a JWT's `exp` (a little before), else `ttl`
 * seconds, else until the upstream rejects it; run again on a 401/403.
 */
import type { AuthSpec } from '../config';
import { redactValues } from '../redaction';
import { CachedToken, type TokenGrant } from './cachedToken';
import { CredentialHelperError } from './errors';
import { jwtExpiry, refreshTime } from './jwt';
import { runCommand, type CommandRunner } from './runCommand';

export type CommandAuth = Extract<AuthSpec, { type: 'command' }>;

export interface CommandCredentialOptions {
  /** For messages: `github/work`. */
  readonly instance: string;
  readonly run?: CommandRunner;
  readonly now?: () => number;
  readonly cwd?: string;
  /** Default 30 s: a helper that may prompt (a device login) needs time, not forever. */
  readonly timeoutMs?: number;
}

/** Lines of the helper's stderr shown in an error: enough to see why, no more. */
const STDERR_TAIL_LINES = 5;

export function commandCredential(auth: CommandAuth, options: CommandCredentialOptions): CachedToken {
  const run = options.run ?? runCommand;
  const now = options.now ?? Date.now;
  const { instance } = options;
  const display = [auth.command, ...auth.args].join(' ');
  return new CachedToken(async (previous): Promise<TokenGrant> => {
    let result;
    try {
      result = await run({
        command: auth.command,
        args: auth.args,
        timeoutMs: options.timeoutMs ?? 30_000,
        ...(options.cwd !== undefined && { cwd: options.cwd }),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'command not found; check that it is installed and on the PATH, or fix `auth.command`' : String(error);
      throw new CredentialHelperError(instance, `${instance}: the credential helper \`${auth.command}\` could not start: ${why}`, { cause: error });
    }
    // A helper may echo the old token in its complaint; it never reaches a message.
    const tail = stderrTail(redactValues(result.stderr, previous === undefined ? [] : [previous]));
    if (result.timedOut) {
      throw new CredentialHelperError(instance, `${instance}: the credential helper \`${display}\` did not finish in time${tail}`);
    }
    if (result.exitCode !== 0) {
      const how = result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with code ${result.exitCode}`;
      throw new CredentialHelperError(instance, `${instance}: the credential helper \`${display}\` ${how}${tail}`);
    }
    const token = result.stdout.trim();
    if (token === '' || /\s/.test(token)) {
      const what = token === '' ? 'printed no token' : 'printed more than one word; it must print only the token';
      throw new CredentialHelperError(instance, `${instance}: the credential helper \`${display}\` ${what}${tail}`);
    }
    const at = now();
    const exp = jwtExpiry(token);
    const expiresAt = exp !== undefined ? refreshTime(exp, at) : auth.ttl !== undefined ? at + auth.ttl * 1000 : undefined;
    return expiresAt === undefined ? { token } : { token, expiresAt };
  }, now);
}

function stderrTail(stderr: string): string {
  const lines = stderr.split(/\r?\n/).filter((line) => line.trim() !== '').slice(-STDERR_TAIL_LINES);
  return lines.length === 0 ? '' : `; its stderr ends with:\n  ${lines.map((line) => line.slice(0, 300)).join('\n  ')}`;
}
