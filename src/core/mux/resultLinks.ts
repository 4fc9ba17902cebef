/**
 * Links inside results: a tool result's `resource_link` and embedded `resource` blocks (and
 * a prompt's, in its messages) name a resource by the upstream's URI. Where the namespace
 * renames URIs (the aggregate), a link left as the upstream made it points nowhere — the
 * endpoint reads only `mcplex://<prefix>/…` — so it is renamed as in `resources/list`.
 */
import type { Result } from '@modelcontextprotocol/sdk/types.js';
import type { Member } from './member';
import type { Namespace } from './namespace';

type Block = Record<string, unknown>;

/** `result` with the URIs of its links renamed by `ns.uriOut`; the same object when it has none. */
export function renameLinks(ns: Namespace, member: Member, result: Result): Result {
  const rename = (uri: string): string => ns.uriOut(member, uri);
  let renamed: Result = result;
  const content = renameBlocks(result['content'], rename);
  if (content !== result['content']) renamed = { ...renamed, content };
  const messages = result['messages'];
  if (Array.isArray(messages)) {
    const next = messages.map((message: unknown) => {
      if (!isObject(message)) return message;
      const inner = renameBlocks(message['content'], rename);
      return inner === message['content'] ? message : { ...message, content: inner };
    });
    if (next.some((message, index) => message !== messages[index])) renamed = { ...renamed, messages: next };
  }
  return renamed;
}

/**
 * Whether a serialized result may hold a link: a `uri` key is spelled `"uri"` or with a
 * `\u` escape, so text with neither holds none and is passed on unparsed.
 */
export function mayHoldLinks(text: string): boolean {
  return text.includes('"uri"') || text.includes('\\u');
}

/** One block or an array of them (prompt messages hold one, tool results an array). */
function renameBlocks(blocks: unknown, rename: (uri: string) => string): unknown {
  if (Array.isArray(blocks)) {
    const next = blocks.map((block: unknown) => renameBlock(block, rename));
    return next.some((block, index) => block !== blocks[index]) ? next : blocks;
  }
  return renameBlock(blocks, rename);
}

function renameBlock(block: unknown, rename: (uri: string) => string): unknown {
  if (!isObject(block)) return block;
  if (block['type'] === 'resource_link' && typeof block['uri'] === 'string') return { ...block, uri: rename(block['uri']) };
  const resource = block['resource'];
  if (block['type'] === 'resource' && isObject(resource) && typeof resource['uri'] === 'string') {
    return { ...block, resource: { ...resource, uri: rename(resource['uri']) } };
  }
  return block;
}

function isObject(value: unknown): value is Block {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
