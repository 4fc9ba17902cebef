/**
 * The configuration schema, served by the extension itself under a scheme of its own
 * (`mcplex-schema:/mcplex.schema.json`): the `$schema` a created `.mcplex.jsonc` names
 * must load in VS Code without the network, and a made-up web address cannot. VS Code's
 * JSON language server asks the editor for any URI it cannot fetch itself, and the editor
 * asks this provider.
 */
import type * as vscode from 'vscode';
// The editor's variant: completion and hovers without the schema's own warnings (editorSchema.ts).
import schema from '../../../schemas/mcplex.editor.schema.json';
import { SCHEMA_SCHEME } from '../../core/edit';
import type { DisposableLike, VsCodeApi } from '../vscodeApi';

export { SCHEMA_SCHEME };

/** The schema's text, as bundled with the extension. */
export function schemaText(): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export function registerSchemaDocument(api: Pick<VsCodeApi, 'workspace'>): DisposableLike {
  const provider: vscode.TextDocumentContentProvider = { provideTextDocumentContent: () => schemaText() };
  return api.workspace.registerTextDocumentContentProvider(SCHEMA_SCHEME, provider);
}
