/**
 * The instances in a quick pick, each with its state as the tree shows it: "MCPlex: Show
 * Instances" (the status bar's click) picks one here, then what to do with it
 * (commands/statusPicker.ts).
 */
import type * as vscode from 'vscode';
import type { InstanceView } from '../../core/runtime';
import { renderState } from './stateRender';
import type { VsCodeApi } from '../vscodeApi';

export interface InstancePickItem extends vscode.QuickPickItem {
  readonly instance: InstanceView;
}

export function instancePickItems(instances: readonly InstanceView[]): InstancePickItem[] {
  return instances.map((instance) => {
    const status = renderState(instance.status, instance.clients);
    return {
      label: `${status.codicon} ${instance.label}`,
      description: status.text,
      ...(status.detail === undefined ? {} : { detail: status.detail }),
      instance,
    };
  });
}

/** The instance picked, or undefined (dismissed, or none to pick: then it says so). */
export async function showInstancePicker(api: Pick<VsCodeApi, 'window'>, instances: readonly InstanceView[]): Promise<InstanceView | undefined> {
  if (instances.length === 0) {
    await api.window.showInformationMessage('MCPlex has no instances: add servers to .mcplex.jsonc or the mcplex.servers setting.');
    return undefined;
  }
  const picked = await api.window.showQuickPick(instancePickItems(instances), {
    title: 'MCPlex instances',
    placeHolder: 'Pick an instance to act on it',
  });
  return picked?.instance;
}
