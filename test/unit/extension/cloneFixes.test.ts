// The clone warning's quick fix: a known server gets its state setting written into the
// second instance (comments kept); an unknown one only gets "Open the instance".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { URI } from 'vscode-uri';
import type * as vscode from 'vscode';
import type { Problem } from '../../../src/core/problems';
import { findClones } from '../../../src/core/clones';
import { parseConfig } from '../../../src/core/config';
import { CloneFixes, registerCloneFixes } from '../../../src/extension/cloneFixes';
import { ProblemDiagnostics } from '../../../src/extension/diagnostics';
import { createFakeVscode, FakeCodeAction, FakePosition, FakeWorkspaceEdit, type FakeDiagnostic } from '../../helpers/fakeVscode';

const FILE = '/ws/app/.mcplex.jsonc';

function document(text: string) {
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((match) => (match.index ?? 0) + 1)];
  return {
    uri: URI.file(FILE) as unknown as vscode.Uri,
    getText: () => text,
    offsetAt: (position: vscode.Position) => (lineStarts[position.line] ?? 0) + position.character,
    positionAt: (offset: number) => {
      let line = 0;
      while (line + 1 < lineStarts.length && (lineStarts[line + 1] ?? 0) <= offset) line += 1;
      return new FakePosition(line, offset - (lineStarts[line] ?? 0)) as unknown as vscode.Position;
    },
  };
}

/** The warnings planning would give this text, as the Problems panel shows them. */
function cloneDiagnostics(text: string): FakeDiagnostic[] {
  const { api, state } = createFakeVscode();
  const { config } = parseConfig(text, FILE);
  const candidates = Object.entries(config?.servers ?? {}).flatMap(([serverId, server]) =>
    Object.entries(server.instances).map(([instanceId, instance]) => ({
      key: `${serverId}/${instanceId}`,
      serverId,
      location: instance.location,
      launch: { kind: 'stdio' as const, command: server.command ?? '', args: instance.args ?? server.args ?? [], env: { ...server.env, ...instance.env } },
    })),
  );
  const problems: Problem[] = findClones(candidates);
  new ProblemDiagnostics(api).publish(new Map([[FILE, problems]]), new Map([[FILE, text]]));
  return [...(state.diagnosticCollections[0]?.entries.values() ?? [])].flat() as FakeDiagnostic[];
}

function apply(text: string, edit: FakeWorkspaceEdit): string {
  const doc = document(text);
  let result = text;
  for (const { range, text: inserted } of [...edit.replacements].reverse()) {
    result = result.slice(0, doc.offsetAt(range.start as unknown as vscode.Position)) + inserted + result.slice(doc.offsetAt(range.end as unknown as vscode.Position));
  }
  return result;
}

function actions(text: string): FakeCodeAction[] {
  const { api } = createFakeVscode();
  const diagnostics = cloneDiagnostics(text);
  assert.equal(diagnostics.length, 1, 'one clone warning');
  const range = diagnostics[0]?.range as unknown as vscode.Range;
  return new CloneFixes(api).provideCodeActions(document(text), range, { diagnostics: diagnostics as unknown as vscode.Diagnostic[] }) as unknown as FakeCodeAction[];
}

const MEMORY = `{
  "servers": {
    "memory": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-memory"],
      "instances": {
        "work": {}, // the first account
        // pasted
        "personal": { "label": "Personal" }
      }
    }
  }
}
`;

test('a known server: the preferred fix writes its ${instanceDir} setting into the second instance, comments kept', () => {
  const [write, open] = actions(MEMORY);
  assert.equal(write?.title, 'Give memory/personal its own server-memory state: set MEMORY_FILE_PATH to "${instanceDir}/memory.jsonl"');
  assert.equal(write?.isPreferred, true);
  assert.ok(write?.edit instanceof FakeWorkspaceEdit);
  const after = apply(MEMORY, write.edit);
  assert.equal(after, MEMORY.replace('"personal": { "label": "Personal" }', '"personal": { "label": "Personal", "env": { "MEMORY_FILE_PATH": "${instanceDir}/memory.jsonl" } }'));
  assert.equal(open?.title, 'Open the instance memory/personal');
});

test('an unknown server: only "Open the instance", no guessed setting', () => {
  const text = MEMORY.replace('["-y", "@modelcontextprotocol/server-memory"]', '["notes.mjs"]');
  const found = actions(text);
  assert.deepEqual(found.map((action) => action.title), ['Open the instance memory/personal']);
  assert.equal(found[0]?.edit, undefined);
  assert.equal(found[0]?.command?.command, 'vscode.open');
  assert.equal((found[0]?.command?.arguments?.[0] as URI | undefined)?.fsPath, FILE);
});

test('other diagnostics get no clone fix', () => {
  const { api } = createFakeVscode();
  const diagnostics = cloneDiagnostics(MEMORY).map((diagnostic) => Object.assign(diagnostic, { code: 'duplicate-prefix' }));
  const range = diagnostics[0]?.range as unknown as vscode.Range;
  assert.deepEqual(new CloneFixes(api).provideCodeActions(document(MEMORY), range, { diagnostics: diagnostics as unknown as vscode.Diagnostic[] }), []);
});

test('registered on .mcplex.jsonc as quick fixes, and disposed', () => {
  const { api, state } = createFakeVscode();
  const registration = registerCloneFixes(api);
  assert.equal(state.codeActionProviders.length, 1);
  assert.deepEqual(state.codeActionProviders[0]?.selector, { pattern: '**/.mcplex.jsonc' });
  assert.deepEqual(state.codeActionProviders[0]?.metadata, { providedCodeActionKinds: ['quickfix'] });
  registration.dispose();
  assert.equal(state.codeActionProviders.length, 0);
});
