/**
 * The status bar item: how many instances run, how many failed, or that the workspace is
 * untrusted; its tooltip lists every instance; a click opens the instances quick pick.
 * `statusBarView` is the pure part (instances → what to show), tested without VS Code.
 */
import type * as vscode from 'vscode';
import type { InstanceView } from '../../core/runtime';
import { codicon, renderState, STATE_TABLE, type Attention } from './stateRender';
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
    const untrusted = renderState({ kind: 'untrusted' });
    return { visible: true, text: `${untrusted.codicon} ${untrusted.text}`, tooltip: `${tooltip}\n\nNothing starts until you trust this workspace.`, ...background(untrusted.attention) };
  }
  const count = (kind: Kind): number => instances.filter((instance) => instance.status.kind === kind).length;
  for (const kind of SUMMARY_ORDER) {
    const n = count(kind);
    if (n > 0) return { visible: true, text: `${codicon(kind)} ${STATE_TABLE[kind].counted(n)}`, tooltip, ...background(STATE_TABLE[kind].attention) };
  }
  // All is well: the count of what runs, under the server icon rather than a state's.
  return { visible: true, text: `$(server) ${STATE_TABLE.running.counted(count('running'))}`, tooltip };
}

type Kind = InstanceView['status']['kind'];

/** The states the item summarises, first match wins: what most needs the user's eye first. */
const SUMMARY_ORDER: readonly Kind[] = ['failed', 'needs-secret', 'needs-sign-in', 'starting'];

function background(attention: Attention | undefined): Pick<StatusBarView, 'background'> {
  if (attention === undefined) return {};
  return { background: attention === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground' };
}

function tooltipLine(instance: InstanceView): string {
  const status = renderState(instance.status, instance.clients);
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
