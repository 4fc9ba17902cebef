/**
 * The status bar item: how many instances run, how many failed, or that the workspace is
 * untrusted; its tooltip lists every instance; a click opens the instances quick pick.
 * `statusBarView` is the pure part (instances → what to show), tested without VS Code.
 */
import type * as vscode from 'vscode';
import type { InstanceView } from '../../core/runtime';
import { describeStatus } from './instanceStatus';
import type { VsCodeApi } from '../vscodeApi';

export const SHOW_INSTANCES_COMMAND = 'mcplex.showInstances';

export interface StatusBarView {
  readonly visible: boolean;
  readonly text: string;
  readonly tooltip: string;
  /** A theme color for the background when something needs the user's eye. */
  readonly background?: 'statusBarItem.errorBackground' | 'statusBarItem.warningBackground';
}

export function statusBarView(instances: readonly InstanceView[], trusted: boolean): StatusBarView {
  if (instances.length === 0) return { visible: false, text: '', tooltip: '' };
  const tooltip = ['MCPlex', ...instances.map(tooltipLine)].join('\n');
  if (!trusted) {
    return { visible: true, text: '$(shield) untrusted', tooltip: `${tooltip}\n\nNothing starts until you trust this workspace.`, background: 'statusBarItem.warningBackground' };
  }
  const count = (kind: InstanceView['status']['kind']): number => instances.filter((instance) => instance.status.kind === kind).length;
  const failed = count('failed');
  const needsSecret = count('needs-secret');
  const needsSignIn = count('needs-sign-in');
  const running = count('running');
  const starting = count('starting');
  if (failed > 0) return { visible: true, text: `$(error) ${failed} failed`, tooltip, background: 'statusBarItem.errorBackground' };
  if (needsSecret > 0) return { visible: true, text: `$(key) ${needsSecret} need${needsSecret === 1 ? 's' : ''} a secret`, tooltip, background: 'statusBarItem.warningBackground' };
  if (needsSignIn > 0) return { visible: true, text: `$(account) ${needsSignIn} need${needsSignIn === 1 ? 's' : ''} a sign-in`, tooltip, background: 'statusBarItem.warningBackground' };
  if (starting > 0) return { visible: true, text: `$(sync~spin) ${starting} starting`, tooltip };
  return { visible: true, text: `$(server) ${running} running`, tooltip };
}

function tooltipLine(instance: InstanceView): string {
  const status = describeStatus(instance.status);
  return `${instance.label}: ${status.text}${status.detail === undefined ? '' : ` (${status.detail})`}`;
}

export class McplexStatusBar {
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly api: Pick<VsCodeApi, 'window' | 'StatusBarAlignment' | 'ThemeColor'>) {
    this.item = api.window.createStatusBarItem('mcplex.status', api.StatusBarAlignment.Left, 0);
    this.item.name = 'MCPlex';
    this.item.command = SHOW_INSTANCES_COMMAND;
  }

  render(instances: readonly InstanceView[], trusted: boolean): void {
    const view = statusBarView(instances, trusted);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.background === undefined ? undefined : new this.api.ThemeColor(view.background);
    if (view.visible) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
