/**
 * "MCPlex: Show Instances": every instance with its state in a quick pick (the status
 * bar's click). Picking one shows the log, where its lifecycle and stderr are.
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
    const status = renderState(instance.status);
    return {
      label: `${status.codicon} ${instance.label}`,
      description: status.text,
      ...(status.detail === undefined ? {} : { detail: status.detail }),
      instance,
    };
  });
}

export async function showInstancePicker(
  api: Pick<VsCodeApi, 'window'>,
  instances: readonly InstanceView[],
  showLog: () => void,
): Promise<void> {
  if (instances.length === 0) {
    await api.window.showInformationMessage('MCPlex has no instances: add servers to .mcplex.jsonc or the mcplex.servers setting.');
    return;
  }
  const picked = await api.window.showQuickPick(instancePickItems(instances), {
    title: 'MCPlex instances',
    placeHolder: 'Pick an instance to see its log',
  });
  if (picked !== undefined) showLog();
}
