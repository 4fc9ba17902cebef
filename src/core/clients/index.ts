/** Other MCP clients' configuration entries that start an instance through the `mcplex` CLI. Pure. */
export { CLIENTS, clientConfig, clientLaunch, serveLaunch, type ClientInfo, type ClientKind, type Launch, type ServeTarget } from './clientConfig';
export { entryName } from './entryName';
export { shellLine, shellQuote, type Shell } from './shellQuote';
