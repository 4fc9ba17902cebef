/** Edits of `.mcplex.jsonc` that keep the user's text, and the logic of the Add Account flow. Pure. */
export { EditError, type EditErrorCode } from './errors';
export { detectStyle, type TextStyle } from './textStyle';
export { appendToArray, nodeAt, removeValue, setValue, type EditPath } from './jsonEdit';
export type { JsonValue } from './renderJson';
export {
  SCHEMA_URL,
  addInstance,
  addServer,
  allowTool,
  denyTool,
  newConfigText,
  removeInstance,
  toolFilterState,
  type LaunchFields,
  type ServerFields,
  type ToolFilterState,
} from './configEdits';
export { importedServerFields, parseMcpJson, secretNameForInput, serverIdFor, type McpJsonInput, type McpJsonServer } from './mcpJson';
export {
  checkPrefix,
  defaultLabel,
  planInstance,
  secretNameFor,
  suggestPrefix,
  type AccountValue,
  type InstanceAnswers,
  type InstancePlan,
  type PrefixCheck,
  type PrefixContext,
} from './instancePlan';
export { secretReferences } from './secretRefs';
export { setStateSettings } from './stateSettings';
export { SCHEMA_SCHEME } from './configEdits';
export { removeMcpJsonServer } from './mcpJsonEdits';
export { unwrapProxy, type UnwrappedLaunch } from './unwrapProxy';
export { importGroups, importedServer, type ImportedEntry, type ImportGroup, type ImportedServer } from './importGroups';
export { cloneCheck, type CloneCheck, type PerAccountValue, type ServerShape } from './accountClone';
