/**
 * The name of a server entry in another client's configuration: `notes-work`, `mcplex-app`.
 * Claude Code refuses any character outside letters, digits, `-` and `_` ("Invalid name");
 * Cursor, Copilot CLI and VS Code put the name into the tool names the model sees, so the
 * same short, plain name suits them all. Lower case, as the clients' own examples are.
 */
const OUTSIDE = /[^a-z0-9_-]+/g;

export function entryName(...parts: readonly string[]): string {
  const name = parts
    .map((part) => part.toLowerCase().replace(OUTSIDE, '-').replace(/^-+|-+$/g, ''))
    .filter((part) => part !== '')
    .join('-');
  return name === '' ? 'mcplex' : name;
}
