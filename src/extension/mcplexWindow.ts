/**
 * One window's mcplex: the runtime (the host and its instances) and the VS Code pieces
 * around it, built in order and torn down in reverse. extension.ts calls `start` with the
 * real `vscode` module and the core's runtime; unit tests call it with fakes of both.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type * as vscode from 'vscode';
import type { TokenStore, VscodeAuth } from '../core/auth';
import type { ListenAddress } from '../core/host';
import type { SecretResolver } from '../core/config';
import { Redactor } from '../core/redaction';
import { modalApproval } from './approvalModal';
import type { EndpointSessionExpiry, InstanceState, VscodeGrant, VscodeTokenRequest } from '../core/runtime';
import { COMMANDS, registerCommands, showStatusPicker } from './commands';
import { registerCloneFixes } from './cloneFixes';
import { registerConfigFixes } from './configFixes';
import { StateDiagnostics } from './stateDiagnostics';
import { ProblemDiagnostics } from './diagnostics';
import { chooseListenAddress } from './hostAddress';
import { InputWatcher, RuntimeSync, registerSchemaDocument, readMaxMessageBytes, readStartup, SETTINGS_SECTION, type Startup, WorkspaceTrustGate, type Timers, readWorkspaceInputs } from './inputs';
import { McplexStatusBar } from './view';
import { McplexLog } from './log';
import { McplexDefinitionProvider, PROVIDER_ID } from './provider';
import type { RuntimePort } from './runtimePort';
import type { CallApproval } from '../core/mux';
import { SECRET_KEY_PREFIX, SecretStorageResolver, SecretStorageTokenStore, openExternalUrl, vscodeTokenSource } from './credentials';
import { McplexUi } from './ui';
import type { DisposableLike, VsCodeApi } from './vscodeApi';

/** What the window hands the core's runtime when it starts it. */
export interface RuntimeStartRequest {
  readonly listen: ListenAddress;
  readonly secrets: SecretResolver;
  /** Learns every credential the runtime's auth hands out, for the log to hide. */
  readonly redactor: Redactor;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly userHome: string;
  /** Where `${instanceDir}` folders live: the extension's global storage, as a path. */
  readonly stateRoot?: string;
  readonly startup: Startup;
  /** `mcplex.maxMessageMB`: the largest message an upstream may write. */
  readonly maxMessageBytes: number;
  readonly onStderr: (instanceId: string, line: string) => void;
  /** A lifecycle event's own line, when it says more than the state line. */
  readonly onEvent: (instanceId: string, text: string) => void;
  /** Each change of an instance's state: the log renders it from the state itself. */
  readonly onState: (instanceId: string, state: InstanceState) => void;
  /** Two instances signed in as one account: a warning in the log. */
  readonly onWarning: (instanceId: string, text: string) => void;
  /** A session the host closed by itself (idle, over the cap, stalled): a line in the log. */
  readonly onSessionExpired: (closed: EndpointSessionExpiry) => void;
  /** OAuth tokens per instance, in SecretStorage. */
  readonly tokenStore: TokenStore;
  /** An OAuth sign-in page, in the user's browser (`vscode.env.openExternal`). */
  readonly openBrowser: (url: string) => Promise<void>;
  readonly vscodeToken: (auth: VscodeAuth, previous: string | undefined, request: VscodeTokenRequest) => Promise<VscodeGrant>;
  readonly signInHint: string;
  /** tools.confirm: asks the user before a confirmed tool's call (the approval modal). */
  readonly approval: CallApproval;
}

/** What "needs you to sign in: …" goes on to say in VS Code. */
export const SIGN_IN_HINT = 'use "Sign In" on it in the MCPlex view (or run "MCPlex: Sign In")';

export interface WindowDependencies {
  readonly startRuntime: (request: RuntimeStartRequest) => Promise<RuntimePort>;
  readonly platform: NodeJS.Platform;
  readonly tmpdir: string;
  readonly randomId: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly userHome: string;
  readonly timers?: Timers;
}

export type WindowContext = Pick<vscode.ExtensionContext, 'secrets'> & Partial<Pick<vscode.ExtensionContext, 'globalStorageUri'>>;

/** A SecretStorage change that touches a `${secret:NAME}`: its name (else undefined: an OAuth record, not ours). */
export function changedSecretName(key: string): string | undefined {
  return key.startsWith(SECRET_KEY_PREFIX) ? key.slice(SECRET_KEY_PREFIX.length) : undefined;
}

/** `file:///…/two-accounts#notes/work` → `notes/work`: the part a user recognises. */
export function instanceTag(instanceId: string): string {
  const hash = instanceId.lastIndexOf('#');
  return hash === -1 ? instanceId : instanceId.slice(hash + 1);
}

export class McplexWindow {
  private readonly disposables: DisposableLike[] = [];
  private closing: Promise<void> | undefined;

  private constructor(
    readonly log: McplexLog,
    readonly runtime: RuntimePort,
    readonly sync: RuntimeSync,
    private readonly listen: ListenAddress,
  ) {}

  static async start(api: VsCodeApi, context: WindowContext, deps: WindowDependencies): Promise<McplexWindow> {
    // One set of values to hide for the whole window: the secrets handed out, and every
    // credential the instances' auth learns (OAuth, VS Code and helper tokens, header values).
    const redactor = new Redactor();
    const secrets = new SecretStorageResolver(context.secrets, redactor);
    const log = McplexLog.create(api, () => redactor.values());
    const listen = chooseListenAddress(deps);
    const settings = api.workspace.getConfiguration(SETTINGS_SECTION);
    const startup = readStartup(settings);
    let runtime: RuntimePort | undefined;
    // An instance's lines are tagged `notes/work`; its own channel is named after its label.
    const tag = (id: string): string => {
      const label = runtime?.labelOf(id);
      if (label !== undefined) log.nameInstance(instanceTag(id), label);
      return instanceTag(id);
    };
    try {
      runtime = await deps.startRuntime({
        listen,
        secrets,
        redactor,
        env: deps.env,
        userHome: deps.userHome,
        ...(context.globalStorageUri !== undefined && { stateRoot: context.globalStorageUri.fsPath }),
        startup,
        maxMessageBytes: readMaxMessageBytes(settings),
        onStderr: (id, line) => log.upstream(tag(id), line),
        onEvent: (id, text) => log.instanceEvent(tag(id), text),
        onState: (id, state) => log.instanceState(tag(id), state),
        onWarning: (id, text) => log.instanceWarning(tag(id), text),
        onSessionExpired: (closed) => log.sessionExpired(closed, closed.instanceKeys.length === 1 ? closed.instanceKeys.map(tag)[0] : undefined),
        tokenStore: new SecretStorageTokenStore(context.secrets),
        openBrowser: async (url) => {
          // Only on the user's action or VS Code's resolve (never in provide): the runtime decides.
          log.info('Opening a sign-in page in the browser');
          await openExternalUrl(api, url);
        },
        vscodeToken: vscodeTokenSource(api.authentication, SIGN_IN_HINT),
        signInHint: SIGN_IN_HINT,
        // tools.confirm: the extension asks with a modal, not VS Code's elicitation UI.
        approval: modalApproval(api, redactor),
      });
    } catch (error) {
      log.error(`MCPlex could not start its host: ${error instanceof Error ? error.message : String(error)}`);
      log.dispose();
      throw error;
    }
    log.info(`Host listening on ${listen.kind === 'socket' ? listen.path : 'loopback TCP'}; startup ${startup}`);

    const diagnostics = new ProblemDiagnostics(api);
    const stateDiagnostics = new StateDiagnostics(api, runtime);
    const statusBar = new McplexStatusBar(api);
    // Assigned below; the trust gate's callback only runs after activation.
    let sync: RuntimeSync | undefined;
    const trust = new WorkspaceTrustGate(api, () => sync?.trigger('workspace trusted'));
    let provider: McplexDefinitionProvider | undefined;
    let ui: McplexUi | undefined;
    const renderStatus = (): void => statusBar.render(runtime.instances(), trust.isTrusted());
    sync = new RuntimeSync({
      runtime,
      readInputs: async () => {
        const inputs = await readWorkspaceInputs(api);
        // The onboarding's context key reads the same texts the runtime is given.
        ui?.inputsRead(inputs.folders);
        return inputs;
      },
      isTrusted: () => trust.isTrusted(),
      publishProblems: (problems, texts) => diagnostics.publish(problems, texts),
      onDefinitionsChanged: () => provider?.notifyChanged(),
      onUntrustedConfig: () => trust.explainOnce(),
      onSynced: renderStatus,
      log,
      ...(deps.timers === undefined ? {} : { timers: deps.timers }),
    });
    provider = new McplexDefinitionProvider(api, runtime, { isTrusted: () => trust.isTrusted(), ready: sync.ready });

    const window = new McplexWindow(log, runtime, sync, listen);
    const onSyncTrigger = sync;
    ui = new McplexUi({
      api,
      runtime,
      secrets: context.secrets,
      log,
      isTrusted: () => trust.isTrusted(),
      configChanged: (reason) => onSyncTrigger.trigger(reason),
      ...(deps.timers === undefined ? {} : { timers: deps.timers }),
    });
    window.disposables.push(
      log,
      diagnostics,
      statusBar,
      trust,
      sync,
      provider,
      api.lm.registerMcpServerDefinitionProvider(PROVIDER_ID, provider),
      new InputWatcher(api, (reason) => onSyncTrigger.trigger(reason)),
      runtime.onDidChange(renderStatus),
      registerSchemaDocument(api),
      registerCloneFixes(api),
      stateDiagnostics,
      registerConfigFixes(api, { problemFor: (file, diagnostic) => diagnostics.problemFor(file, diagnostic), instanceFor: (file, diagnostic) => stateDiagnostics.instanceFor(file, diagnostic) }),
      // A ${secret:…} stored or cleared anywhere (a command, another window): re-read;
      // the runtime restarts only the instances whose launch changed.
      context.secrets.onDidChange((event) => {
        const name = changedSecretName(event.key);
        if (name !== undefined) onSyncTrigger.trigger(`secret ${name} changed`);
      }),
      ui,
      ...registerCommands(api, {
        ...ui.commands,
        [COMMANDS.showLog]: () => log.show(),
        [COMMANDS.restartAll]: () => runtime.restartAll(),
        [COMMANDS.showInstances]: () => showStatusPicker(api, runtime.instances()),
      }),
    );
    void sync.syncNow();
    return window;
  }

  /**
   * Stops listening to VS Code, then stops every instance and its process tree. Awaited
   * by `deactivate`, so VS Code waits for it (within its own deactivation time limit).
   */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    // The log goes last: the runtime may still report instances stopping.
    const log = this.disposables.shift();
    for (const disposable of this.disposables.reverse()) disposable.dispose();
    this.disposables.length = 0;
    try {
      await this.runtime.close();
    } finally {
      // The host removes its socket; the private directory around it is ours.
      if (this.listen.kind === 'socket') rmSync(dirname(this.listen.path), { recursive: true, force: true });
      log?.dispose();
    }
  }
}
