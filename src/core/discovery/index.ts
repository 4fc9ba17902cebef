/** The `discovery` exposure's pure parts: its three tools, the ranked search, the names it suggests. */
export { CALL_TOOL, DEFAULT_SEARCH_LIMIT, DESCRIBE_TOOL, DISCOVERY_TOOL_NAMES, DISCOVERY_TOOLS, MAX_SEARCH_LIMIT, oneLine, SEARCH_TOOLS } from './discoveryTools';
export { SearchIndex, tokens, type SearchDocument, type SearchHit } from './searchIndex';
export { closestNames, type NamedTool } from './suggest';
