/**
 * The CLI's one broad catch: an invocation runs its command, and whatever escapes
 * becomes a message on stderr and an exit code — never a stack trace for a user error.
 */
import { parseInvocation, UsageError, type Invocation } from './args';
import { helpText } from './help';
import { ExitCode, type CliIo } from './io';
import { auditCommand, checkCommand, listCommand, serveCommand, wrapCommand, secretCommand, pinCommand } from './commands';
import { SecretStoreError } from './secretStore';
import type { SecretStoreKind } from './secretStoreChoice';
import { ServeOptionError } from './serveErrors';
import { ConfigFileError } from './configFile';
import { headerSecrets } from '../core/redaction';
import packageJson from '../../package.json';

export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let invocation: Invocation;
  try {
    invocation = parseInvocation(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.writeErr(`mcplex: ${error.message}\n\n${helpText(error.command)}`);
    return ExitCode.usage;
  }
  io.secrets.addAll(invocationSecrets(invocation, io.env));
  try {
    return await dispatch(invocation, withSecretStore(io, secretStoreOf(invocation)));
  } catch (error) {
    if (error instanceof ConfigFileError || error instanceof ServeOptionError || error instanceof SecretStoreError) {
      io.writeErr(`mcplex: ${error.message}\n`);
      return ExitCode.usage;
    }
    io.writeErr(`mcplex: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.problems;
  }
}

/**
 * The secret values the command line points at: the token `serve` asks its clients for,
 * and the header values `wrap` reads from the environment. (Not `wrap`'s upstream's own
 * environment: it inherits the client's whole environment, and nothing says which of
 * those variables hold secrets, so none is guessed at.)
 */
function invocationSecrets(invocation: Invocation, env: CliIo['env']): string[] {
  if (invocation.kind === 'serve') return invocation.tokenEnv === undefined ? [] : [env[invocation.tokenEnv] ?? ''];
  if (invocation.kind !== 'wrap' || invocation.upstream.kind !== 'url') return [];
  return invocation.upstream.headerEnv.flatMap(([name, variable]) => headerSecrets(name, env[variable] ?? ''));
}

/** `--secret-store`, whichever command took it (`secret`'s own is `store`). */
function secretStoreOf(invocation: Invocation): SecretStoreKind | undefined {
  if (invocation.kind === 'secret') return invocation.store;
  return 'secretStore' in invocation ? invocation.secretStore : undefined;
}

/** The run's io, carrying the store asked for to every lookup (config secrets, OAuth tokens) without threading it through each. */
function withSecretStore(io: CliIo, secretStore: SecretStoreKind | undefined): CliIo {
  return secretStore === undefined ? io : { ...io, secretStore };
}

function dispatch(invocation: Invocation, io: CliIo): Promise<ExitCode> {
  switch (invocation.kind) {
    case 'help':
      io.writeOut(helpText(invocation.topic));
      return Promise.resolve(ExitCode.ok);
    case 'version':
      io.writeOut(`${packageJson.version}\n`);
      return Promise.resolve(ExitCode.ok);
    case 'check':
      return checkCommand(invocation, io);
    case 'list':
      return listCommand(invocation, io);
    case 'serve':
      return serveCommand(invocation, io);
    case 'wrap':
      return wrapCommand(invocation, io);
    case 'secret':
      return secretCommand(invocation, io);
    case 'pin':
      return pinCommand(invocation, io);
    case 'audit':
      return auditCommand(invocation, io);
  }
}
