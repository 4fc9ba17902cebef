/**
 * The `${...}` side of `auth`: which of its values are templates (so the resolver fetches
 * their secrets and fills them in), and the resolved `auth` built from those values. The
 * same builder makes the redacted twin, where `${secret:NAME}` stays as written.
 */
import type { JsonPath } from '../problems';
import type { AuthSpec } from './model';

export interface AuthTemplate {
  /** Relative to the instance, e.g. `['auth', 'headers', 'X-Api-Key']`. */
  readonly relative: JsonPath;
  readonly raw: string;
}

/** The values of `auth` that may hold `${...}`, in a stable order. */
export function authTemplates(auth: AuthSpec): AuthTemplate[] {
  const fields: AuthTemplate[] = [];
  const add = (relative: JsonPath, raw: string | undefined): void => {
    if (raw !== undefined) fields.push({ relative: ['auth', ...relative], raw });
  };
  switch (auth.type) {
    case 'bearer':
      add(['token'], auth.token);
      break;
    case 'headers':
      for (const [name, value] of Object.entries(auth.headers)) add(['headers', name], value);
      break;
    case 'command':
      add(['command'], auth.command);
      auth.args.forEach((arg, index) => add(['args', index], arg));
      break;
    case 'oauth':
      add(['clientId'], auth.clientId);
      add(['clientSecret'], auth.clientSecret);
      break;
    case 'vscode':
      break;
  }
  return fields;
}

/** `auth` with each template replaced by `get(relative)` (the value, or its redacted twin). */
export function buildAuth(auth: AuthSpec, get: (relative: JsonPath) => string): AuthSpec {
  switch (auth.type) {
    case 'bearer':
      return { type: 'bearer', token: get(['auth', 'token']) };
    case 'headers':
      return {
        type: 'headers',
        headers: Object.fromEntries(Object.keys(auth.headers).map((name) => [name, get(['auth', 'headers', name])])),
      };
    case 'command':
      return { ...auth, command: get(['auth', 'command']), args: auth.args.map((_, index) => get(['auth', 'args', index])) };
    case 'oauth':
      return {
        ...auth,
        ...(auth.clientId !== undefined && { clientId: get(['auth', 'clientId']) }),
        ...(auth.clientSecret !== undefined && { clientSecret: get(['auth', 'clientSecret']) }),
      };
    case 'vscode':
      return auth;
  }
}
