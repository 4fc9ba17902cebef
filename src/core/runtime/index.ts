/** The window runtime: workspace folders in, running instances and VS Code definitions out. No `vscode` here. */
export { WindowRuntime, TOKEN_HEADER, type StartOptions, type WindowRuntimeOptions } from './windowRuntime';
export type { VscodeGrant, VscodeTokenRequest } from './instanceAuth';
export { RuntimeError, type RuntimeErrorCode } from './errors';
export { SETTINGS_LABEL, type FolderContext } from './loadFolder';
export { Engine, type EngineFolder, type EngineInput, type EngineOptions } from './engine';
export { planFolders, type PlannedFolders } from './planFolders';
export { exposePlan, narrowPlan, type ExposedPlan } from './exposePlan';
export { buildRelay, type RelayHost, type RelayMember, type RelayNaming, type RelaySpec } from './relays';
export type { CredentialFactory, CredentialRequest, InstanceCredentials } from './credentials';
export type { AggregateShape } from './definitions';
export type { Runnable } from './reconcile';
export type {
  DefinitionSpec,
  FolderInput,
  FolderOptions,
  InstanceState,
  InstanceStatus,
  InstanceView,
  ToolView,
  UpdateResult,
} from './model';
