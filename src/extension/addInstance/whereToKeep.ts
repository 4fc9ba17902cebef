/**
 * Whether a value the wizard asks for may be a credential: that decides whether its box
 * hides what is typed and whether "where should it live" (SecretStorage or the file) is
 * asked at all. Its own file because the rule is a judgement that changes on its own, and
 * the unit tests pin it down case by case.
 *
 * The rule, in order:
 * 1. A name that says it holds a place (`…PATH`, `…DIR`, `…FILE`, `…HOME`, `…FOLDER`,
 *    `…ROOT`: `MEMORY_FILE_PATH`, `KEY_FILE`) is not a credential: the file it points to
 *    keeps its own secret. Not asked, written into the file.
 * 2. A name that looks like a credential (`TOKEN`, `API_KEY`, `PASSWORD`…) is asked,
 *    SecretStorage first, whatever the value looks like (a token may start with `/`).
 * 3. Any other name: a value that is a path, a URL without a password or query, a number
 *    or a boolean is not a credential and is not asked; anything else may be (an account
 *    name, or a password under a bland name), so the question stays.
 */

/** Names that look like credentials: their values default to SecretStorage. */
const SECRET_NAME = /token|key|secret|password|passwd|auth|credential|cookie/i;
/** Names that say the value is a place on disk. */
const PLACE_NAME = /(path|dir|directory|file|home|folder|root)$/i;
/** Absolute, home- or dot-relative, Windows, UNC, or one of the configuration's own path variables; no spaces around. */
const PATH_VALUE = /^(\/|~[\\/]|~$|\.\.?[\\/]|[A-Za-z]:[\\/]|\\\\|\$\{(workspaceFolder|userHome|instanceDir)\})\S*$/;
/** A URL with no `user:password@` and no query (where tokens travel). */
const PLAIN_URL = /^[a-z][a-z0-9+.-]*:\/\/[^\s/@?#]+(\/[^\s?#]*)?$/i;
const SCALAR = /^(-?\d+(\.\d+)?|true|false)$/i;

/** Whether the name alone makes the value look like a credential (hidden as typed, SecretStorage first). */
export function looksSecret(key: string): boolean {
  return SECRET_NAME.test(key) && !PLACE_NAME.test(key);
}

/** Whether to ask where `value` of `key` lives; `secretHint`: what it replaces was a secret or an input. */
export function asksWhereToKeep(key: string, value: string, secretHint = false): boolean {
  if (PLACE_NAME.test(key)) return false;
  if (secretHint || looksSecret(key)) return true;
  return !(PATH_VALUE.test(value) || PLAIN_URL.test(value) || SCALAR.test(value));
}
