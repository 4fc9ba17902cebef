/** The commands on instances, tools and configuration files, and the table that registers them. */
export { COMMANDS, registerCommands, type CommandId } from './commands';
export { ConfigCommands } from './configCommands';
export { CopyClientConfig } from './copyClientConfig';
export { InstanceActions, type ActionLog } from './instanceActions';
export { McpJsonActions } from './mcpJsonActions';
export { acceptToolDefinition } from './pinActions';
export { ServerActions, serverFromArgument, type ServerRef } from './serverActions';
export { actionsFor, showStatusPicker, MANAGE_TRUST_COMMAND, type InstanceAction } from './statusPicker';
