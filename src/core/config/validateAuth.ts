/**
 * Validates `auth` of a server or an instance: a tagged object whose `type` says which
 * other keys it takes. Secrets belong in `${secret:NAME}` (checked like any template);
 * whether the upstream is remote is known only after merging (see `checkMergedInstance`).
 */
import type { Node } from 'jsonc-parser';
import type { JsonPath } from '../problems';
import { didYouMean } from './didYouMean';
import { objectEntries } from './jsonNodes';
import { AUTH_TYPES, OAUTH_GRANTS, VSCODE_AUTH_PROVIDERS, type AuthSpec, type AuthType, type OAuthGrant, type VscodeAuthProvider } from './model';
import { fieldName, HEADER_NAME, remember, stringArray, stringMap, stringValue, typeError, type Scope } from './validateFields';

/** The keys each type takes besides `type`, and which of them it needs. */
const KEYS: Readonly<Record<AuthType, { readonly allowed: readonly string[]; readonly required: readonly string[] }>> = {
  bearer: { allowed: ['token'], required: ['token'] },
  headers: { allowed: ['headers'], required: ['headers'] },
  command: { allowed: ['command', 'args', 'ttl'], required: ['command'] },
  oauth: { allowed: ['grant', 'scopes', 'clientId', 'clientSecret', 'callbackPort', 'clientName', 'loginHint', 'clientMetadataUrl'], required: [] },
  vscode: { allowed: ['provider', 'scopes', 'account'], required: ['provider', 'scopes'] },
};

const EXAMPLES: Readonly<Record<AuthType, string>> = {
  bearer: '`{ "type": "bearer", "token": "${secret:my-token}" }`',
  headers: '`{ "type": "headers", "headers": { "X-Api-Key": "${secret:my-key}" } }`',
  command: '`{ "type": "command", "command": "gh", "args": ["auth", "token"] }`',
  oauth: '`{ "type": "oauth" }`',
  vscode: '`{ "type": "vscode", "provider": "github", "scopes": ["repo"] }`',
};

export function validateAuth(scope: Scope, node: Node): AuthSpec | undefined {
  const where = `\`auth\` of ${scope.where}`;
  if (node.type !== 'object') {
    return typeError(scope, ['auth'], node, `an object like ${EXAMPLES.bearer}`);
  }
  remember(scope, ['auth'], node);
  const before = scope.sink.errorCount;
  const typeNode = (node.children ?? []).find((property) => property.children?.[0]?.value === 'type')?.children?.[1];
  const type = authType(scope, node, typeNode, where);
  if (type === undefined) return undefined;
  const { allowed, required } = KEYS[type];
  const entries = objectEntries(node, [...scope.path, 'auth'], scope.sink, `${where} (type \`${type}\`)`, ['type', ...allowed]);
  for (const key of required) {
    if (!entries.some((entry) => entry.key === key)) {
      scope.sink.error(
        'missing-field',
        node,
        [...scope.path, 'auth'],
        `${where} of type \`${type}\` needs \`${key}\`, e.g. ${EXAMPLES[type]}.`,
      );
    }
  }
  const draft: Record<string, unknown> = { type };
  for (const entry of entries) {
    if (entry.key === 'type') continue;
    const value = authField(scope, entry.key, entry.valueNode);
    if (value !== undefined) draft[entry.key] = value;
  }
  if (type === 'oauth') checkOAuthCombination(scope, node, draft, where);
  if (type === 'command' && draft['args'] === undefined) draft['args'] = [];
  return scope.sink.errorCount === before ? (draft as unknown as AuthSpec) : undefined;
}

function authType(scope: Scope, node: Node, typeNode: Node | undefined, where: string): AuthType | undefined {
  const known = AUTH_TYPES.map((type) => `\`${type}\``).join(', ');
  if (typeNode === undefined) {
    scope.sink.error('missing-field', node, [...scope.path, 'auth'], `${where} needs \`type\`: one of ${known}.`);
    return undefined;
  }
  const value = typeNode.value;
  if (typeNode.type === 'string' && (AUTH_TYPES as readonly unknown[]).includes(value)) return value as AuthType;
  const guess = typeof value === 'string' ? didYouMean(value, AUTH_TYPES) : undefined;
  scope.sink.error(
    'invalid-value',
    typeNode,
    [...scope.path, 'auth', 'type'],
    `\`type\` of ${where} must be one of ${known}, not ${JSON.stringify(value)}.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
  );
  return undefined;
}

function authField(scope: Scope, key: string, node: Node): unknown {
  const relative: JsonPath = ['auth', key];
  switch (key) {
    case 'token':
    case 'command':
    case 'clientId':
    case 'clientSecret':
      return nonEmpty(scope, relative, node, true);
    case 'clientName':
    case 'loginHint':
    case 'account':
      return nonEmpty(scope, relative, node, false);
    case 'headers': {
      const headers = stringMap(scope, relative, node, HEADER_NAME, 'an HTTP header name (letters, digits and `-`)');
      if (headers !== undefined && Object.keys(headers).length === 0) {
        scope.sink.error('invalid-value', node, [...scope.path, ...relative], `${fieldName(relative)} of ${scope.where} is empty; add a header, e.g. ${EXAMPLES.headers}.`);
        return undefined;
      }
      return headers;
    }
    case 'args':
      return stringArray(scope, relative, node, true, '`["auth", "token"]`');
    case 'scopes': {
      const scopes = stringArray(scope, relative, node, false, '`["read", "write"]`');
      const blank = scopes?.findIndex((item) => item.trim() === '' || /\s/.test(item)) ?? -1;
      if (blank >= 0) {
        scope.sink.error('invalid-value', node, [...scope.path, ...relative], `${fieldName(relative)} of ${scope.where} must list one scope per string, without spaces.`);
        return undefined;
      }
      return scopes;
    }
    case 'ttl':
      return integer(scope, relative, node, 1, 31_536_000, 'a number of seconds, e.g. `3600`');
    case 'callbackPort':
      return integer(scope, relative, node, 1, 65_535, 'a TCP port from 1 to 65535, e.g. `49200`');
    case 'provider':
      return vscodeProvider(scope, node);
    case 'grant':
      return oauthGrant(scope, node);
    case 'clientMetadataUrl':
      return clientMetadataUrl(scope, node);
  }
  // objectEntries has already refused any other key for this type.
  return undefined;
}

function nonEmpty(scope: Scope, relative: JsonPath, node: Node, template: boolean): string | undefined {
  if (node.type === 'string' && (node.value as string).trim() === '') {
    scope.sink.error('invalid-value', node, [...scope.path, ...relative], `${fieldName(relative)} of ${scope.where} is empty; give it a value or remove it.`);
    return undefined;
  }
  return stringValue(scope, relative, node, template);
}

function integer(scope: Scope, relative: JsonPath, node: Node, min: number, max: number, expected: string): number | undefined {
  const value: unknown = node.value;
  if (node.type !== 'number' || typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    if (node.type !== 'number') return typeError(scope, relative, node, expected);
    scope.sink.error('invalid-value', node, [...scope.path, ...relative], `${fieldName(relative)} of ${scope.where} must be ${expected}, not ${String(value)}.`);
    return undefined;
  }
  remember(scope, relative, node);
  return value;
}

function vscodeProvider(scope: Scope, node: Node): VscodeAuthProvider | undefined {
  const value: unknown = node.value;
  if (node.type === 'string' && (VSCODE_AUTH_PROVIDERS as readonly unknown[]).includes(value)) {
    remember(scope, ['auth', 'provider'], node);
    return value as VscodeAuthProvider;
  }
  scope.sink.error(
    'invalid-value',
    node,
    [...scope.path, 'auth', 'provider'],
    `\`auth.provider\` of ${scope.where} must be \`github\` or \`microsoft\` (the accounts VS Code signs in to), not ${JSON.stringify(value)}; for another service use \`"type": "oauth"\`.`,
  );
  return undefined;
}


function oauthGrant(scope: Scope, node: Node): OAuthGrant | undefined {
  const value: unknown = node.value;
  if (node.type === 'string' && (OAUTH_GRANTS as readonly unknown[]).includes(value)) {
    remember(scope, ['auth', 'grant'], node);
    return value as OAuthGrant;
  }
  const guess = typeof value === 'string' ? didYouMean(value, OAUTH_GRANTS) : undefined;
  scope.sink.error(
    'invalid-value',
    node,
    [...scope.path, 'auth', 'grant'],
    `\`auth.grant\` of ${scope.where} must be \`authorization_code\` (a browser sign-in, the default) or \`client_credentials\` (a machine account), not ${JSON.stringify(value)}.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
  );
  return undefined;
}

/** A client ID metadata document's URL is the client id itself: https with a path (the SDK and the drafts insist). */
function clientMetadataUrl(scope: Scope, node: Node): string | undefined {
  const relative: JsonPath = ['auth', 'clientMetadataUrl'];
  const value = nonEmpty(scope, relative, node, false);
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.pathname === '/' || url.hash !== '') {
    scope.sink.error(
      'invalid-value',
      node,
      [...scope.path, ...relative],
      `${fieldName(relative)} of ${scope.where} must be an https URL with a path and no fragment, where the client ID metadata document is served, e.g. \`https://example.com/mcplex/client.json\`.`,
    );
    return undefined;
  }
  return value;
}

/** What each grant takes: a machine account has no browser, so no callback, login hint or metadata document. */
function checkOAuthCombination(scope: Scope, node: Node, draft: Record<string, unknown>, where: string): void {
  const path = [...scope.path, 'auth'];
  if (draft['grant'] === 'client_credentials') {
    for (const key of ['clientId', 'clientSecret']) {
      if (draft[key] === undefined) {
        scope.sink.error(
          'missing-field',
          node,
          path,
          `${where} with \`"grant": "client_credentials"\` needs \`${key}\`, e.g. \`{ "type": "oauth", "grant": "client_credentials", "clientId": "my-bot", "clientSecret": "\${secret:bot-secret}" }\`.`,
        );
      }
    }
    for (const key of ['callbackPort', 'loginHint', 'clientMetadataUrl']) {
      if (draft[key] !== undefined) {
        scope.sink.error('invalid-value', node, [...path, key], `\`auth.${key}\` of ${scope.where} is for a browser sign-in; a \`client_credentials\` grant has none. Remove it.`);
      }
    }
    return;
  }
  if (draft['clientSecret'] !== undefined && draft['clientId'] === undefined) {
    scope.sink.error(
      'missing-field',
      node,
      path,
      `${where} has \`clientSecret\` but no \`clientId\`; add the client id it belongs to, or remove both to register dynamically.`,
    );
  }
  if (draft['clientMetadataUrl'] !== undefined && draft['clientId'] !== undefined) {
    scope.sink.error(
      'invalid-value',
      node,
      [...path, 'clientMetadataUrl'],
      `\`auth.clientMetadataUrl\` of ${scope.where} is a client id of its own; remove it or \`clientId\`.`,
    );
  }
}
