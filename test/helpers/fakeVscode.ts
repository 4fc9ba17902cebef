/**
 * A small, honest fake of the part of the `vscode` API the extension uses (the
 * `VsCodeApi` of src/extension/vscodeApi.ts). It records what the extension did
 * (definitions registered, diagnostics set, messages shown, log lines) and lets a test
 * play VS Code's part (fire a file change, change a setting, grant trust). URIs are
 * `vscode-uri`'s, the same implementation VS Code uses.
 */
import { posix } from 'node:path';
import { URI, Utils } from 'vscode-uri';
import type { VsCodeApi } from '../../src/extension/vscodeApi';

type Listener<T> = (value: T) => unknown;

export class FakeEventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  disposed = false;
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}

export class FakeMcpHttpServerDefinition {
  constructor(
    readonly label: string,
    public uri: URI,
    public headers: Record<string, string> = {},
    public version?: string,
  ) {}
}

export class FakeRelativePattern {
  constructor(
    readonly base: FakeWorkspaceFolder | URI | string,
    readonly pattern: string,
  ) {}
}

export class FakePosition {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class FakeRange {
  readonly start: FakePosition;
  readonly end: FakePosition;
  constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number) {
    this.start = new FakePosition(startLine, startCharacter);
    this.end = new FakePosition(endLine, endCharacter);
  }
}

export enum FakeCodeActionKind {
  QuickFix = 'quickfix',
}

export class FakeCodeAction {
  command?: { command: string; title: string; arguments?: unknown[] };
  edit?: FakeWorkspaceEdit;
  diagnostics?: FakeDiagnostic[];
  isPreferred?: boolean;
  constructor(
    readonly title: string,
    readonly kind?: FakeCodeActionKind,
  ) {}
}

/** Records each replacement; `applyTo` plays them on a text (one range at a time, as offsets). */
export class FakeWorkspaceEdit {
  readonly replacements: { uri: URI; range: FakeRange; text: string }[] = [];
  replace(uri: URI, range: FakeRange, text: string): void {
    this.replacements.push({ uri, range, text });
  }
}

export enum FakeDiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export class FakeDiagnostic {
  source?: string;
  code?: string | number;
  constructor(
    readonly range: FakeRange,
    readonly message: string,
    readonly severity: FakeDiagnosticSeverity = FakeDiagnosticSeverity.Error,
  ) {}
}

export enum FakeStatusBarAlignment {
  Left = 1,
  Right = 2,
}

export class FakeThemeColor {
  constructor(readonly id: string) {}
}

export class FakeFileSystemError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
  static FileNotFound(uri: URI): FakeFileSystemError {
    return new FakeFileSystemError(`${uri.toString()} not found`, 'FileNotFound');
  }
}

export enum FakeTreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class FakeTreeItem {
  id?: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  iconPath?: FakeThemeIcon;
  constructor(
    readonly label: string,
    readonly collapsibleState: FakeTreeItemCollapsibleState = FakeTreeItemCollapsibleState.None,
  ) {}
}

export class FakeThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: FakeThemeColor,
  ) {}
}

export class FakeTreeView {
  disposed = false;
  constructor(
    readonly id: string,
    readonly options: { treeDataProvider: unknown },
  ) {}
  dispose(): void {
    this.disposed = true;
  }
}

export interface FakeWorkspaceFolder {
  readonly uri: URI;
  readonly name: string;
  readonly index: number;
}

export class FakeFileWatcher {
  readonly created = new FakeEventEmitter<URI>();
  readonly changed = new FakeEventEmitter<URI>();
  readonly deleted = new FakeEventEmitter<URI>();
  readonly onDidCreate = this.created.event;
  readonly onDidChange = this.changed.event;
  readonly onDidDelete = this.deleted.event;
  disposed = false;
  constructor(readonly pattern: FakeRelativePattern) {}
  dispose(): void {
    this.disposed = true;
  }
}

export class FakeStatusBarItem {
  text = '';
  tooltip: unknown = '';
  name: string | undefined;
  command: unknown;
  backgroundColor: FakeThemeColor | undefined;
  visible = false;
  disposed = false;
  constructor(
    readonly id: string,
    readonly alignment: FakeStatusBarAlignment,
    readonly priority: number,
  ) {}
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.disposed = true;
  }
}

export class FakeDiagnosticCollection {
  readonly entries = new Map<string, FakeDiagnostic[]>();
  disposed = false;
  constructor(readonly name: string) {}
  set(uri: URI, diagnostics: readonly FakeDiagnostic[]): void {
    this.entries.set(uri.fsPath, [...diagnostics]);
  }
  delete(uri: URI): void {
    this.entries.delete(uri.fsPath);
  }
  clear(): void {
    this.entries.clear();
  }
  dispose(): void {
    this.disposed = true;
    this.entries.clear();
  }
}

export class FakeLogChannel {
  readonly lines: string[] = [];
  shown = 0;
  disposed = false;
  constructor(readonly name: string) {}
  trace(message: string): void {
    this.lines.push(`trace ${message}`);
  }
  debug(message: string): void {
    this.lines.push(`debug ${message}`);
  }
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
  show(): void {
    this.shown += 1;
  }
  dispose(): void {
    this.disposed = true;
  }
}

/** `context.secrets`: a map, with the change event VS Code fires for every store and delete. */
export class FakeSecretStorage {
  readonly values = new Map<string, string>();
  readonly changes = new FakeEventEmitter<{ key: string }>();
  readonly onDidChange = this.changes.event;
  /** Every key asked for, in order (to prove what was and was not read). */
  readonly reads: string[] = [];
  async get(key: string): Promise<string | undefined> {
    this.reads.push(key);
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.changes.fire({ key });
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
    this.changes.fire({ key });
  }
  async keys(): Promise<string[]> {
    return [...this.values.keys()];
  }
}

export interface FakeAuthAccount {
  readonly id: string;
  readonly label: string;
}

/** `vscode.authentication`: accounts and sessions per provider; records every `getSession` call. */
export class FakeAuthentication {
  readonly accounts = new Map<string, FakeAuthAccount[]>();
  /** `provider|accountLabel` → the session token (a signed-in account). */
  readonly tokens = new Map<string, string>();
  /** What the user picks in VS Code's sign-in dialog (createIfNone / forceNewSession); undefined: cancelled. */
  dialogAccount: FakeAuthAccount | undefined;
  readonly calls: { provider: string; scopes: readonly string[]; options: Record<string, unknown> }[] = [];

  async getAccounts(provider: string): Promise<readonly FakeAuthAccount[]> {
    return this.accounts.get(provider) ?? [];
  }

  async getSession(provider: string, scopes: readonly string[], options: Record<string, unknown> = {}) {
    this.calls.push({ provider, scopes, options });
    const asked = options['account'] as FakeAuthAccount | undefined;
    const prompts = options['createIfNone'] !== undefined || options['forceNewSession'] !== undefined;
    const pick = (account: FakeAuthAccount | undefined) => {
      if (account === undefined) return undefined;
      const token = this.tokens.get(`${provider}|${account.label}`);
      return token === undefined ? undefined : { id: `${account.id}-session`, accessToken: token, account, scopes };
    };
    if (!prompts) return pick(asked ?? this.accounts.get(provider)?.[0]);
    const chosen = this.dialogAccount;
    if (chosen === undefined) throw new Error('User did not consent to login.');
    const token = `${options['forceNewSession'] !== undefined ? 'fresh' : 'token'}-${chosen.label}`;
    this.tokens.set(`${provider}|${chosen.label}`, token);
    if (!(this.accounts.get(provider) ?? []).some((account) => account.label === chosen.label)) {
      this.accounts.set(provider, [...(this.accounts.get(provider) ?? []), chosen]);
    }
    return pick(chosen);
  }
}

export interface RegisteredProvider {
  readonly id: string;
  readonly provider: {
    onDidChangeMcpServerDefinitions?: (listener: () => unknown) => { dispose(): void };
    provideMcpServerDefinitions(token?: unknown): Promise<FakeMcpHttpServerDefinition[]> | FakeMcpHttpServerDefinition[];
    resolveMcpServerDefinition?(server: FakeMcpHttpServerDefinition, token?: unknown): Promise<FakeMcpHttpServerDefinition>;
  };
  disposed: boolean;
}

/** What the fake recorded, and the levers a test pulls to play VS Code. */
export class FakeVsCodeState {
  /** Absolute path → file text (what `workspace.fs.readFile` reads). */
  readonly files = new Map<string, string>();
  folders: FakeWorkspaceFolder[] = [];
  isTrusted = true;
  /** `section.key` → value; `folderPath|section.key` overrides for that folder. */
  readonly settings = new Map<string, unknown>();
  readonly providers: RegisteredProvider[] = [];
  readonly watchers: FakeFileWatcher[] = [];
  readonly statusBarItems: FakeStatusBarItem[] = [];
  readonly diagnosticCollections: FakeDiagnosticCollection[] = [];
  /** From `languages.registerCodeActionsProvider`. */
  readonly codeActionProviders: { selector: unknown; provider: unknown; metadata: unknown }[] = [];
  readonly logChannels: FakeLogChannel[] = [];
  readonly commands = new Map<string, (...args: unknown[]) => unknown>();
  readonly executed: { command: string; args: unknown[] }[] = [];
  readonly informationMessages: { message: string; items: string[] }[] = [];
  readonly errorMessages: string[] = [];
  readonly quickPicks: { items: unknown[]; options: unknown }[] = [];
  readonly treeViews: FakeTreeView[] = [];
  readonly warningMessages: { message: string; options: unknown; items: string[] }[] = [];
  /** The answer `showWarningMessage` gives (an item, or undefined: dismissed). */
  warningAnswer: string | undefined;
  /** What `showInputBox` answers, in order; undefined (or none left): dismissed. */
  readonly inputAnswers: (string | undefined)[] = [];
  readonly inputBoxes: unknown[] = [];
  clipboard = '';
  /** The answer `showInformationMessage` gives (an item, or undefined: dismissed). */
  informationAnswer: string | undefined;
  /** Index of the item `showQuickPick` picks, or undefined: dismissed. */
  quickPickAnswer: number | undefined;
  /** Indexes `showQuickPick` picks in turn, before `quickPickAnswer` (a picker of two steps). */
  readonly quickPickAnswers: (number | undefined)[] = [];
  readonly folderChanges = new FakeEventEmitter<{ added: FakeWorkspaceFolder[]; removed: FakeWorkspaceFolder[] }>();
  readonly configurationChanges = new FakeEventEmitter<{ affectsConfiguration(section: string): boolean }>();
  readonly trustGranted = new FakeEventEmitter<void>();
  readonly secrets = new FakeSecretStorage();
  readonly authentication = new FakeAuthentication();
  /** What `env.openExternal` was asked to open (strings or URIs, as given). */
  readonly openedExternally: unknown[] = [];
  /** `scheme` → provider, from `workspace.registerTextDocumentContentProvider`. */
  readonly contentProviders = new Map<string, { provideTextDocumentContent(uri: URI): string | undefined }>();

  addFolder(path: string, name = posix.basename(path)): FakeWorkspaceFolder {
    const folder = { uri: URI.file(path), name, index: this.folders.length };
    this.folders = [...this.folders, folder];
    this.folderChanges.fire({ added: [folder], removed: [] });
    return folder;
  }

  removeFolder(path: string): void {
    const removed = this.folders.filter((folder) => folder.uri.fsPath === path);
    this.folders = this.folders.filter((folder) => folder.uri.fsPath !== path);
    this.folderChanges.fire({ added: [], removed });
  }

  /** Sets `section.key` (for a folder when `folderPath` is given) and fires the change. */
  setSetting(key: string, value: unknown, folderPath?: string): void {
    this.settings.set(folderPath === undefined ? key : `${folderPath}|${key}`, value);
    this.configurationChanges.fire({ affectsConfiguration: (section) => key === section || key.startsWith(`${section}.`) });
  }

  grantTrust(): void {
    this.isTrusted = true;
    this.trustGranted.fire();
  }

  /** The live watchers (not disposed) whose pattern is based on `folderPath`. */
  watchersOf(folderPath: string): FakeFileWatcher[] {
    return this.watchers.filter((watcher) => {
      const base = watcher.pattern.base;
      const path = typeof base === 'string' ? base : 'uri' in base ? base.uri.fsPath : base.fsPath;
      return !watcher.disposed && path === folderPath;
    });
  }

  get log(): FakeLogChannel {
    const channel = this.logChannels[0];
    if (channel === undefined) throw new Error('no log channel was created');
    return channel;
  }
}

export function createFakeVscode(): { api: VsCodeApi; state: FakeVsCodeState } {
  const state = new FakeVsCodeState();
  const api = {
    lm: {
      registerMcpServerDefinitionProvider(id: string, provider: RegisteredProvider['provider']) {
        const entry: RegisteredProvider = { id, provider, disposed: false };
        state.providers.push(entry);
        return { dispose: () => (entry.disposed = true) };
      },
    },
    window: {
      createOutputChannel(name: string) {
        const channel = new FakeLogChannel(name);
        state.logChannels.push(channel);
        return channel;
      },
      createStatusBarItem(id: string, alignment: FakeStatusBarAlignment, priority: number) {
        const item = new FakeStatusBarItem(id, alignment, priority);
        state.statusBarItems.push(item);
        return item;
      },
      async showInformationMessage(message: string, ...items: string[]) {
        state.informationMessages.push({ message, items });
        return state.informationAnswer;
      },
      async showErrorMessage(message: string) {
        state.errorMessages.push(message);
        return undefined;
      },
      createTreeView(id: string, options: { treeDataProvider: unknown }) {
        const view = new FakeTreeView(id, options);
        state.treeViews.push(view);
        return view;
      },
      async showWarningMessage(message: string, options: unknown, ...items: string[]) {
        state.warningMessages.push({ message, options, items });
        return state.warningAnswer;
      },
      async showInputBox(options: unknown) {
        state.inputBoxes.push(options);
        return state.inputAnswers.shift();
      },
      async showQuickPick(items: unknown[], options: unknown) {
        state.quickPicks.push({ items, options });
        const answer = state.quickPickAnswers.length > 0 ? state.quickPickAnswers.shift() : state.quickPickAnswer;
        return answer === undefined ? undefined : items[answer];
      },
    },
    workspace: {
      fs: {
        async readFile(uri: URI): Promise<Uint8Array> {
          const text = state.files.get(uri.fsPath);
          if (text === undefined) throw FakeFileSystemError.FileNotFound(uri);
          return new TextEncoder().encode(text);
        },
        async writeFile(uri: URI, bytes: Uint8Array): Promise<void> {
          // Bytes as written, a byte order mark included, as a real file system keeps them.
          state.files.set(uri.fsPath, new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes));
        },
      },
      textDocuments: [],
      get workspaceFolders() {
        return state.folders.length === 0 ? undefined : state.folders;
      },
      get isTrusted() {
        return state.isTrusted;
      },
      getConfiguration(section: string, scope?: URI | FakeWorkspaceFolder) {
        const folderPath = scope === undefined ? undefined : 'uri' in scope ? scope.uri.fsPath : scope.fsPath;
        return {
          get(key: string) {
            const full = `${section}.${key}`;
            if (folderPath !== undefined && state.settings.has(`${folderPath}|${full}`)) return state.settings.get(`${folderPath}|${full}`);
            return state.settings.get(full);
          },
        };
      },
      createFileSystemWatcher(pattern: FakeRelativePattern) {
        const watcher = new FakeFileWatcher(pattern);
        state.watchers.push(watcher);
        return watcher;
      },
      onDidChangeWorkspaceFolders: state.folderChanges.event,
      onDidChangeConfiguration: state.configurationChanges.event,
      onDidGrantWorkspaceTrust: state.trustGranted.event,
      registerTextDocumentContentProvider(scheme: string, provider: { provideTextDocumentContent(uri: URI): string | undefined }) {
        state.contentProviders.set(scheme, provider);
        return { dispose: () => state.contentProviders.delete(scheme) };
      },
    },
    authentication: state.authentication,
    languages: {
      createDiagnosticCollection(name: string) {
        const collection = new FakeDiagnosticCollection(name);
        state.diagnosticCollections.push(collection);
        return collection;
      },
      registerCodeActionsProvider(selector: unknown, provider: unknown, metadata: unknown) {
        const entry = { selector, provider, metadata };
        state.codeActionProviders.push(entry);
        return { dispose: () => state.codeActionProviders.splice(state.codeActionProviders.indexOf(entry), 1) };
      },
    },
    commands: {
      registerCommand(id: string, run: (...args: unknown[]) => unknown) {
        if (state.commands.has(id)) throw new Error(`command ${id} already exists`);
        state.commands.set(id, run);
        return { dispose: () => state.commands.delete(id) };
      },
      async executeCommand(command: string, ...args: unknown[]) {
        state.executed.push({ command, args });
        return state.commands.get(command)?.(...args);
      },
    },
    env: {
      clipboard: {
        async writeText(text: string) {
          state.clipboard = text;
        },
      },
      async openExternal(target: unknown) {
        state.openedExternally.push(target);
        return true;
      },
    },
    Uri: { parse: (value: string) => URI.parse(value), file: (path: string) => URI.file(path), joinPath: Utils.joinPath },
    EventEmitter: FakeEventEmitter,
    McpHttpServerDefinition: FakeMcpHttpServerDefinition,
    RelativePattern: FakeRelativePattern,
    Range: FakeRange,
    Diagnostic: FakeDiagnostic,
    DiagnosticSeverity: FakeDiagnosticSeverity,
    CodeAction: FakeCodeAction,
    CodeActionKind: FakeCodeActionKind,
    WorkspaceEdit: FakeWorkspaceEdit,
    StatusBarAlignment: FakeStatusBarAlignment,
    ThemeColor: FakeThemeColor,
    FileSystemError: FakeFileSystemError,
    TreeItem: FakeTreeItem,
    TreeItemCollapsibleState: FakeTreeItemCollapsibleState,
    ThemeIcon: FakeThemeIcon,
  };
  // The one cast: the fake implements the members the extension uses, not all of VS Code.
  return { api: api as unknown as VsCodeApi, state };
}
