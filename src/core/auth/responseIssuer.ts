/**
 * RFC 9207: the authorization response names the authorization server that sent it
 * (`iss`), so a client that signs in to several servers cannot be tricked into sending a
 * code from one to another (a mix-up attack). The expected issuer is the one discovery
 * found for this sign-in; a server that promises `iss` must send it, and an `iss` sent by
 * one that does not promise it must still be the right one.
 */

export interface IssuerExpectation {
  /** The `issuer` of the authorization server's metadata, compared as a plain string (RFC 9207 §2.4). */
  readonly issuer: string;
  /** The metadata says `authorization_response_iss_parameter_supported`: a missing `iss` is refused. */
  readonly required: boolean;
}

/** What to expect of the response, from the metadata discovery found; none without metadata. */
export function issuerExpectation(metadata: { readonly issuer?: unknown; readonly [key: string]: unknown } | undefined): IssuerExpectation | undefined {
  if (metadata === undefined || typeof metadata.issuer !== 'string' || metadata.issuer === '') return undefined;
  return { issuer: metadata.issuer, required: metadata['authorization_response_iss_parameter_supported'] === true };
}

/** Why the response must be refused, or undefined when its `iss` is as expected. */
export function responseIssuerProblem(instance: string, received: string | null, expected: IssuerExpectation | undefined): string | undefined {
  if (expected === undefined) return undefined;
  const refused = 'it may be a mix-up attack, so the sign-in was refused; sign in again';
  if (received === null) {
    if (!expected.required) return undefined;
    return `${instance}: the sign-in response has no \`iss\`, but the authorization server ${expected.issuer} promises one (RFC 9207); ${refused}`;
  }
  if (received === expected.issuer) return undefined;
  const shown = JSON.stringify(received.length > 200 ? `${received.slice(0, 200)}…` : received);
  return `${instance}: the sign-in response says it comes from ${shown}, not from ${expected.issuer} where the sign-in started (RFC 9207 \`iss\`); ${refused}`;
}
