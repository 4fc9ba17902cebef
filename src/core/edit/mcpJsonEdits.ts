/**
 * Edits of `.vscode/mcp.json`: removing a server that mcplex now runs as an account
 * instance, so the model does not reach the same account twice (once without its note).
 * The same comment-keeping edit as `.mcplex.jsonc`'s (jsonEdit.ts).
 */
import { EditError } from './errors';
import { nodeAt, removeValue } from './jsonEdit';

/** Removes `servers.<name>` and the comment lines just above it; fails when it is gone. */
export function removeMcpJsonServer(text: string, name: string): string {
  if (nodeAt(text, ['servers', name]) === undefined) {
    throw new EditError('not-found', `"${name}" is not in .vscode/mcp.json any more; nothing to remove.`);
  }
  return removeValue(text, ['servers', name]);
}
