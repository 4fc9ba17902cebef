/**
 * How an instance's state reads to a user, in one place: the status bar's tooltip, the
 * instances quick pick (and later the tree) all render the same words and icons.
 */
import type { InstanceStatus } from '../../core/runtime';

export interface StatusDescription {
  /** A codicon, e.g. `$(pass)`. */
  readonly icon: string;
  /** A few words: `running`, `starting (attempt 2)`, `failed`. */
  readonly text: string;
  /** Why, when there is something to say (the failure's message, the missing secrets). */
  readonly detail?: string;
}

export function describeStatus(status: InstanceStatus): StatusDescription {
  switch (status.kind) {
    case 'stopped':
      return { icon: '$(circle-outline)', text: 'stopped' };
    case 'starting':
      return { icon: '$(sync~spin)', text: status.attempt > 1 ? `starting (attempt ${status.attempt})` : 'starting' };
    case 'running':
      return { icon: '$(pass)', text: 'running' };
    case 'failed':
      return { icon: '$(error)', text: status.retrying ? 'failed, retrying' : 'failed', detail: status.message };
    case 'needs-secret':
      return {
        icon: '$(key)',
        text: 'needs a secret',
        detail: `Set ${status.secrets.map((name) => `\${secret:${name}}`).join(', ')} to start it.`,
      };
    case 'needs-sign-in':
      return { icon: '$(account)', text: 'needs a sign-in', detail: status.message };
    case 'untrusted':
      return { icon: '$(shield)', text: 'untrusted', detail: 'Trust this workspace to start it.' };
  }
}
