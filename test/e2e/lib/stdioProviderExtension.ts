// Writes a tiny test-only extension that registers an MCP server definition provider with
// fixed stdio definitions: the smallest thing VS Code accepts, to prove the harness.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StdioDefinition {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly version: string;
}

export interface StdioProviderExtension {
  /** Extension name, also the provider id's first part. */
  readonly name: string;
  readonly definitions: readonly StdioDefinition[];
}

/** Writes package.json and extension.js into `dir`; package it with packageVsix(dir, …). */
export function writeStdioProviderExtension(dir: string, extension: StdioProviderExtension): void {
  mkdirSync(dir, { recursive: true });
  const providerId = `${extension.name}.provider`;
  const manifest = {
    name: extension.name,
    publisher: 'mcplex-test',
    version: '0.0.1',
    private: true,
    license: 'MIT',
    // The provider API appeared in VS Code 1.101.
    engines: { vscode: '^1.101.0' },
    main: './extension.js',
    // VS Code activates a provider's extension on its own (onMcpCollection:<id>).
    activationEvents: [],
    files: ['extension.js'],
    contributes: { mcpServerDefinitionProviders: [{ id: providerId, label: extension.name }] },
  };
  const source = `'use strict';
const vscode = require('vscode');
const definitions = ${JSON.stringify(extension.definitions, null, 2)};
exports.activate = (context) => {
  context.subscriptions.push(vscode.lm.registerMcpServerDefinitionProvider(${JSON.stringify(providerId)}, {
    provideMcpServerDefinitions: () => definitions.map((d) =>
      new vscode.McpStdioServerDefinition(d.label, d.command, d.args, d.env, d.version)),
  }));
};
exports.deactivate = () => {};
`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'extension.js'), source);
}
