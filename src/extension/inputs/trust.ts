/**
 * Workspace trust. In an untrusted workspace nothing is spawned (the runtime is updated
 * with `trusted: false`) and the provider offers no definitions; the user is told why
 * once, with a button to the trust editor. Granting trust triggers an update that starts
 * the instances.
 */
import type { DisposableLike, VsCodeApi } from '../vscodeApi';

export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';
export const MANAGE_TRUST_ACTION = 'Manage Workspace Trust';
export const UNTRUSTED_MESSAGE =
  'MCPlex does not start the MCP servers of .mcplex.jsonc in an untrusted workspace: their commands would run on your machine. Trust this workspace to start them.';

type TrustApi = Pick<VsCodeApi, 'workspace' | 'window' | 'commands'>;

export class WorkspaceTrustGate {
  private explained = false;
  private readonly subscription: DisposableLike;

  constructor(
    private readonly api: TrustApi,
    onGranted: () => void,
  ) {
    this.subscription = api.workspace.onDidGrantWorkspaceTrust(onGranted);
  }

  isTrusted(): boolean {
    return this.api.workspace.isTrusted;
  }

  /** Says once per window why nothing starts; later calls do nothing. */
  explainOnce(): void {
    if (this.explained) return;
    this.explained = true;
    void this.explain();
  }

  private async explain(): Promise<void> {
    const choice = await this.api.window.showInformationMessage(UNTRUSTED_MESSAGE, MANAGE_TRUST_ACTION);
    if (choice === MANAGE_TRUST_ACTION) await this.api.commands.executeCommand(MANAGE_TRUST_COMMAND);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
