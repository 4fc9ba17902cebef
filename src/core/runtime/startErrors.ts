/**
 * Why an instance or a definition does not run, as the RuntimeError its caller shows the
 * user (VS Code's resolve step, the Start and Sign In commands): each says what to do. The
 * wording lives here so it can change without touching how the window runs instances.
 */
import type { WindowInstance } from '../plan';
import { redactValues } from '../redaction';
import { RuntimeError } from './errors';
import type { InstanceRunner } from '../engine';

export function untrustedError(): RuntimeError {
  return new RuntimeError('untrusted', 'This workspace is not trusted, so MCPlex starts no server in it; trust the workspace to start them.');
}

export function closedError(): RuntimeError {
  return new RuntimeError('runtime-closed', 'The MCPlex runtime of this window is closed; reload the window to start a new one.');
}

export function unknownDefinitionError(definitionId: string): RuntimeError {
  return new RuntimeError('unknown-definition', `No MCPlex server "${definitionId}" in this window; it was removed from the configuration. Refresh the server list.`);
}

export function unknownInstanceError(id: string): RuntimeError {
  return new RuntimeError('unknown-instance', `No MCPlex instance "${id}" in this window; it was removed from the configuration.`);
}

/** An aggregate none of whose members could start: every member's reason. */
export function noMemberStartedError(label: string, failures: readonly Error[]): RuntimeError {
  return new RuntimeError('instance-failed', `No instance of "${label}" could start: ${failures.map((error) => error.message).join(' ')}`, { cause: failures[0] });
}

/**
 * After a start attempt settled: undefined when the instance runs. VS Code shows and logs
 * the message, so the secrets substituted into the instance are hidden in it, whatever
 * carried them there (the command, its working directory, its stderr).
 */
export function startFailure(runner: InstanceRunner): RuntimeError | undefined {
  const status = runner.status();
  if (status.kind === 'running') return undefined;
  const label = runner.planned.label;
  if (status.kind === 'needs-sign-in') return new RuntimeError('needs-sign-in', hidden(runner, `"${label}" could not start: ${status.message}`));
  const why = status.kind === 'failed' ? status.message : 'it was stopped while starting';
  const cause = runner.source.state();
  return new RuntimeError('instance-failed', hidden(runner, `"${label}" could not start: ${why}`), { cause: cause.kind === 'down' ? cause.cause : undefined });
}

/** After a sign-in settled: undefined when the instance runs. */
export function signInFailure(runner: InstanceRunner): RuntimeError | undefined {
  const status = runner.status();
  if (status.kind === 'running') return undefined;
  const why = status.kind === 'failed' || status.kind === 'needs-sign-in' ? status.message : `it is ${status.kind}`;
  return new RuntimeError(status.kind === 'needs-sign-in' ? 'needs-sign-in' : 'instance-failed', hidden(runner, `Signing in to "${runner.planned.label}" did not finish: ${why}`));
}

function hidden(runner: InstanceRunner, message: string): string {
  return redactValues(message, runner.planned.upstream.secretValues ?? []);
}

export function noSignInError(runner: InstanceRunner): RuntimeError {
  return new RuntimeError('no-sign-in', `"${runner.planned.label}" has no sign-in: only an \`auth\` of type "oauth" or "vscode" signs in; its credentials come from its configuration.`);
}

/** An instance of the plan that has no runner: untrusted, waiting for secrets, or left out (`excluded` says why). */
export function notRunnableError(instance: WindowInstance, trusted: boolean, excluded: string | undefined): RuntimeError {
  if (!trusted) return untrustedError();
  const missing = instance.missingSecrets;
  if (missing !== undefined) {
    const names = missing.map((name) => `"${name}"`).join(', ');
    const plural = missing.length === 1 ? 'secret' : 'secrets';
    return new RuntimeError('needs-secret', `"${instance.label}" needs the ${plural} ${names}, which ${missing.length === 1 ? 'is' : 'are'} not stored; store ${missing.length === 1 ? 'it' : 'them'} and start the server again.`);
  }
  return new RuntimeError('instance-failed', `"${instance.label}" cannot run: ${excluded ?? 'it is not runnable'}.`);
}
