/**
 * Every page of a paginated list: servers may split `tools/list` (and prompts, resources)
 * over several pages linked by `nextCursor`. A cursor that repeats would loop forever, so a
 * repeated cursor is an error that names it.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

export async function collectPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ readonly items: readonly T[]; readonly nextCursor?: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (cursor !== undefined) {
      if (seen.has(cursor)) throw new Error(`the server repeated the pagination cursor "${cursor}"`);
      seen.add(cursor);
    }
  } while (cursor !== undefined);
  return items;
}

export function listAllTools(client: Client): Promise<Tool[]> {
  return collectPages(async (cursor) => {
    const result = await client.listTools(cursor === undefined ? {} : { cursor });
    return { items: result.tools, nextCursor: result.nextCursor };
  });
}
