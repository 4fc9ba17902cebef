/**
 * The three tools a `discovery` endpoint lists, whatever is behind it: the model searches
 * the catalog, reads one tool's schema, and calls it by name. Their text is the whole
 * context cost of the endpoint, so it is kept short; it never changes, so clients are
 * never told the list changed.
 */
export const SEARCH_TOOLS = 'search_tools';
export const DESCRIBE_TOOL = 'describe_tool';
export const CALL_TOOL = 'call_tool';

export const DISCOVERY_TOOL_NAMES: ReadonlySet<string> = new Set([SEARCH_TOOLS, DESCRIBE_TOOL, CALL_TOOL]);

/** Results of one search: enough to choose, few enough to stay cheap. */
export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 50;

export const DISCOVERY_TOOLS = [
  {
    name: SEARCH_TOOLS,
    description:
      'Search the tools available here (several accounts of some servers) by words of their name, description or account. Returns tool names with a one-line description and the account. Then describe_tool for the arguments, and call_tool.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'Words to look for, e.g. "read note work".' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, description: `At most this many results (default ${DEFAULT_SEARCH_LIMIT}).` },
      },
      required: ['query'],
    },
    annotations: { readOnlyHint: true },
  },
  {
    name: DESCRIBE_TOOL,
    description: 'The full description and input schema of one tool, by the name search_tools gave.',
    inputSchema: {
      type: 'object',
      properties: { name: { type: 'string', description: 'The tool name.' } },
      required: ['name'],
    },
    annotations: { readOnlyHint: true },
  },
  {
    name: CALL_TOOL,
    description: 'Call one tool by the name search_tools gave, with arguments that match its input schema (describe_tool). Returns that tool\'s result.',
    inputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'The tool name.' },
        arguments: { type: 'object', description: 'The tool\'s arguments.' },
      },
      required: ['name'],
    },
  },
] as const;

/** A description's first sentence or line, cut at `max` characters: what a search result shows. */
export function oneLine(description: string | undefined, max = 120): string {
  const text = (description ?? '').trim();
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  const sentence = /^(.+?[.!?])(?:\s|$)/.exec(line)?.[1] ?? line;
  return sentence.length <= max ? sentence : `${sentence.slice(0, max - 1).trimEnd()}…`;
}
