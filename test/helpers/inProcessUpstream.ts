/**
 * An in-process upstream built on the SDK's low-level `Server` that exercises every part of
 * the protocol the relay passes on, and records what it was asked.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  RootsListChangedNotificationSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';

export interface UpstreamRecord {
  tools: Tool[];
  levels: string[];
  subscribed: string[];
  unsubscribed: string[];
  rootsChanged: number;
  aborted: number;
  lastCall?: { name: string; arguments: unknown; meta: unknown };
}

export const PAGE_SIZE = 2;

export function baseTools(): Tool[] {
  return [
    {
      name: 'echo',
      description: 'Echoes its text.',
      inputSchema: { type: 'object', properties: { text: { type: 'string' } } },
      outputSchema: { type: 'object', properties: { echoed: { type: 'string' } }, required: ['echoed'] },
      annotations: { readOnlyHint: true, title: 'Echo' },
      icons: [{ src: 'https://example.invalid/echo.png', mimeType: 'image/png' }],
      _meta: { 'example/flag': 1 },
    },
    { name: 'fail', description: 'Throws an InvalidParams error.', inputSchema: { type: 'object' } },
    { name: 'slow', description: 'Reports progress until cancelled.', inputSchema: { type: 'object' } },
    { name: 'ask', description: 'Asks the client (sampling, elicitation or roots).', inputSchema: { type: 'object' } },
    { name: 'delete_all', description: 'Dangerous.', inputSchema: { type: 'object' } },
  ];
}

export function createUpstream(name = 'upstream'): { server: Server; record: UpstreamRecord } {
  const record: UpstreamRecord = { tools: baseTools(), levels: [], subscribed: [], unsubscribed: [], rootsChanged: 0, aborted: 0 };
  const server = new Server(
    { name, version: '1.2.3' },
    {
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        logging: {},
        completions: {},
      },
      instructions: `Instructions of ${name}.`,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, (request) => {
    const start = Number(request.params?.cursor ?? 0);
    const next = start + PAGE_SIZE;
    return { tools: record.tools.slice(start, next), ...(next < record.tools.length && { nextCursor: String(next) }) };
  });
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name: tool, arguments: args, _meta } = request.params;
    record.lastCall = { name: tool, arguments: args, meta: _meta };
    switch (tool) {
      case 'echo': {
        const text = String(args?.['text'] ?? '');
        return { content: [{ type: 'text', text }], structuredContent: { echoed: text } };
      }
      case 'fail':
        // Not an McpError: its message would carry the SDK's "MCP error <code>:" prefix on the wire.
        throw Object.assign(new Error('bad input'), { code: ErrorCode.InvalidParams, data: { field: 'text' } });
      case 'slow': {
        const token = _meta?.progressToken;
        for (let step = 1; !extra.signal.aborted && step <= 200; step++) {
          if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: step, total: 200 } });
          if (args?.['steps'] !== undefined && step >= Number(args['steps'])) return { content: [{ type: 'text', text: 'done' }] };
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        if (extra.signal.aborted) record.aborted++;
        return { content: [{ type: 'text', text: 'stopped' }] };
      }
      case 'ask': {
        const kind = String(args?.['kind']);
        if (kind === 'sampling') {
          const result = await server.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 });
          return { content: [{ type: 'text', text: result.content.type === 'text' ? result.content.text : '?' }] };
        }
        if (kind === 'elicitation') {
          const result = await server.elicitInput({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } });
          return { content: [{ type: 'text', text: `${result.action}:${String(result.content?.['name'])}` }] };
        }
        const roots = await server.listRoots();
        return { content: [{ type: 'text', text: roots.roots.map((root) => root.uri).join(',') }] };
      }
      default:
        throw new McpError(ErrorCode.InvalidParams, `no tool ${tool}`);
    }
  });
  server.setRequestHandler(ListPromptsRequestSchema, () => ({
    prompts: [{ name: 'greet', description: 'Greets someone.', arguments: [{ name: 'who', required: true }] }],
  }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Hello ${request.params.arguments?.['who']} from ${name}` } }],
  }));
  server.setRequestHandler(CompleteRequestSchema, (request) => {
    const ref = request.params.ref;
    const label = ref.type === 'ref/prompt' ? `prompt:${ref.name}` : `resource:${ref.uri}`;
    return { completion: { values: [`${label}:${request.params.argument.value}`] } };
  });
  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: [{ uri: 'file:///a.txt', name: 'a', description: 'File a.' }],
  }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [{ uriTemplate: 'file:///{path}', name: 'files' }],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => ({
    contents: [{ uri: request.params.uri, text: `content of ${request.params.uri} in ${name}` }],
  }));
  server.setRequestHandler(SubscribeRequestSchema, (request) => {
    record.subscribed.push(request.params.uri);
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    record.unsubscribed.push(request.params.uri);
    return {};
  });
  server.setRequestHandler(SetLevelRequestSchema, (request) => {
    record.levels.push(request.params.level);
    return {};
  });
  server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
    record.rootsChanged++;
  });
  return { server, record };
}
