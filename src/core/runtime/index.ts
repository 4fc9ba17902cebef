/** The window runtime: workspace folders in, running instances and VS Code definitions out. No `vscode` here. */
export { WindowRuntime, TOKEN_HEADER, type EndpointSessionExpiry, type StartOptions, type WindowRuntimeOptions } from './windowRuntime';
export type { VscodeGrant, VscodeTokenRequest } from './instanceAuth';
export { RuntimeError, type RuntimeErrorCode } from './errors';
export { SETTINGS_LABEL, type FolderContext } from './loadFolder';
export { planFolders, type PlannedFolders } from './planFolders';
export { accountOfTokens } from './oauthAccount';
export { sameAccountWarnings, signInScope, type AccountHolder } from './sameAccount';
export type {
  BrokenConfig,
  DefinitionSpec,
  FolderInput,
  FolderOptions,
  InstanceState,
  InstanceStatus,
  InstanceView,
  ToolView,
  UpdateResult,
} from './model';
export { DUPLICATE_OF_MCP_JSON, findMcpJsonDuplicates, type McpJsonContext, type McpJsonDuplicates } from './mcpJsonDuplicates';
