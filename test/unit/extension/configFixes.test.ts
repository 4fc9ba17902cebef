// The quick fixes of .mcplex.jsonc's own diagnostics, with the fake VS Code: a misspelt key
// is replaced by the key it was meant to be; an unstored ${secret:NAME} runs Set Secret for
// that name (which then asks for nothing but the value); an instance that needs a sign-in
// gets Sign In; a failed start gets a diagnostic at its `command` line that opens its log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { URI } from 'vscode-uri';
import type * as vscode from 'vscode';
import { parseConfig } from '../../../src/core/config';
import { ConfigCommands } from '../../../src/extension/commands/configCommands';
import { ConfigFiles } from '../../../src/extension/inputs/configFiles';
import { ConfigFixes, registerConfigFixes, type SecretArgument } from '../../../src/extension/configFixes';
import { ProblemDiagnostics } from '../../../src/extension/diagnostics';
import { NEEDS_SIGN_IN_CODE, START_FAILED_CODE, StateDiagnostics } from '../../../src/extension/stateDiagnostics';
import { createFakeVscode, FakeRange, type FakeDiagnostic, type FakeWorkspaceEdit } from '../../helpers/fakeVscode';
import { FakeRuntime } from '../../helpers/fakeRuntime';
import { instanceView } from '../../helpers/instanceView';

const FILE = '/ws/app/.mcplex.jsonc';
const TEXT = `{
  "servers": {
    "notes": {
      "comand": "notes-mcp",
      "env": { "KEY": "\${secret:notes-key}" },
      "instances": { "work": { "lable": "Work" } }
    }
  }
}
`;

function document(text: string) {
  const lines = text.split('\n');
  return {
    uri: URI.file(FILE) as unknown as vscode.Uri,
    getText: (range?: FakeRange) => {
      if (range === undefined) return text;
      return (lines[range.start.line] ?? '').slice(range.start.character, range.start.line === range.end.line ? range.end.character : undefined);
    },
  } as unknown as vscode.TextDocument;
}

function published(text: string) {
  const { api, state } = createFakeVscode();
  const diagnostics = new ProblemDiagnostics(api);
  diagnostics.publish(new Map([[FILE, parseConfig(text, FILE).problems]]), new Map([[FILE, text]]));
  const shown = state.diagnosticCollections[0]?.entries.get(FILE) ?? [];
  return { api, state, diagnostics, shown };
}

function actions(fixes: ConfigFixes, text: string, diagnostics: readonly FakeDiagnostic[]) {
  return fixes.provideCodeActions(document(text), new FakeRange(0, 0, 0, 0) as unknown as vscode.Range, { diagnostics: diagnostics as unknown as vscode.Diagnostic[] });
}

test('a misspelt key, in an instance or a server, is replaced by the key it was meant to be', () => {
  const { api, state, diagnostics, shown } = published(TEXT);
  const fixes = new ConfigFixes(api, { problemFor: (file, d) => diagnostics.problemFor(file, d), instanceFor: () => undefined });
  const unknown = shown.filter((diagnostic) => diagnostic.code === 'unknown-key');
  assert.equal(unknown.length, 2);
  const found = actions(fixes, TEXT, unknown);
  assert.deepEqual(found.map((action) => [action.title, action.isPreferred]), [['Change to "command"', true], ['Change to "label"', true]]);
  let fixed = TEXT;
  for (const action of [...found].reverse()) {
    const [replacement] = (action.edit as unknown as FakeWorkspaceEdit).replacements;
    assert.ok(replacement);
    const lines = fixed.split('\n');
    const line = lines[replacement.range.start.line] ?? '';
    lines[replacement.range.start.line] = line.slice(0, replacement.range.start.character) + replacement.text + line.slice(replacement.range.end.character);
    fixed = lines.join('\n');
  }
  assert.deepEqual(parseConfig(fixed, FILE).problems.filter((p) => p.severity === 'error'), []);

  const registration = registerConfigFixes(api, { problemFor: () => undefined, instanceFor: () => undefined });
  assert.equal(state.codeActionProviders.length, 1);
  registration.dispose();
  assert.equal(state.codeActionProviders.length, 0);
});

test('an unstored ${secret:NAME} offers Set Secret NAME…, which asks only for the value', async () => {
  const text = TEXT.replace('"comand"', '"command"').replace('"lable"', '"label"');
  const { api, state } = createFakeVscode();
  const problems = parseConfig(text, FILE).problems;
  assert.deepEqual(problems, [], 'the text itself is fine; the secret is a problem of resolution');
  // The Problems panel's diagnostic of an unresolved secret sits on `${secret:…}` itself.
  const line = text.split('\n').findIndex((l) => l.includes('${secret:'));
  const start = (text.split('\n')[line] ?? '').indexOf('${secret:');
  const diagnostic = new api.Diagnostic(new api.Range(line, start, line, start + '${secret:notes-key}'.length), 'needs the secret', api.DiagnosticSeverity.Error);
  diagnostic.source = 'mcplex';
  diagnostic.code = 'unresolved-secret';
  const fixes = new ConfigFixes(api, { problemFor: () => undefined, instanceFor: () => undefined });
  const [action] = actions(fixes, text, [diagnostic as unknown as FakeDiagnostic]);
  assert.equal(action?.title, 'Set Secret notes-key…');
  assert.equal(action?.command?.command, 'mcplex.setSecret');
  const argument = action?.command?.arguments?.[0] as SecretArgument;
  assert.deepEqual(argument, { kind: 'secret', name: 'notes-key' });

  const stored = new Map<string, string>();
  const changes: string[] = [];
  const commands = new ConfigCommands({ api, files: new ConfigFiles(api), secrets: { get: async (key) => stored.get(key), store: async (key, value) => void stored.set(key, value), delete: async () => undefined }, instances: () => [], configChanged: (reason) => void changes.push(reason) });
  state.inputAnswers.push('v4lue');
  await commands.setSecret(argument);
  assert.equal(state.quickPicks.length, 0, 'no pick: the quick fix named the secret');
  assert.deepEqual([...stored], [['mcplex.secret.notes-key', 'v4lue']]);
  assert.deepEqual(changes, ['secret notes-key set']);
});

test('a failed start is shown at its command line with "Show the log"; a needed sign-in at the instance with "Sign In"', () => {
  const text = TEXT.replace('"comand"', '"command"').replace('"lable"', '"label"');
  const { api, state } = createFakeVscode();
  const runtime = new FakeRuntime();
  const location = (instanceId: string) => {
    const offset = text.indexOf(`"${instanceId}"`);
    const before = text.slice(0, offset);
    return { file: FILE, path: ['servers', 'notes', 'instances', instanceId], offset, length: instanceId.length + 2, line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
  };
  runtime.instanceList = [instanceView({ status: { kind: 'failed', message: 'spawn notes-mcp ENOENT', retrying: false }, location: location('work') })];
  const states = new StateDiagnostics(api, runtime, () => text);
  const collection = state.diagnosticCollections.find((c) => c.name === 'mcplex-state');
  const [failed] = collection?.entries.get(FILE) ?? [];
  assert.ok(failed);
  assert.equal(failed.code, START_FAILED_CODE);
  assert.match(failed.message, /ENOENT/);
  const commandLine = text.split('\n').findIndex((l) => l.includes('"command"'));
  assert.deepEqual([failed.range.start.line, failed.range.start.character], [commandLine, (text.split('\n')[commandLine] ?? '').indexOf('"notes-mcp"')], 'at the value of `command`');

  const fixes = new ConfigFixes(api, { problemFor: () => undefined, instanceFor: (file, d) => states.instanceFor(file, d) });
  const [log] = actions(fixes, text, [failed]);
  assert.equal(log?.title, 'Show the log of Notes · work');
  assert.equal(log?.command?.command, 'mcplex.showInstanceLog');
  assert.equal((log?.command?.arguments?.[0] as { instance: { runtimeId: string } }).instance.runtimeId, 'file:///ws/app#notes/work');

  runtime.instanceList = [instanceView({ status: { kind: 'needs-sign-in', message: 'sign in' }, location: location('work'), signsIn: true })];
  runtime.fireChange();
  const [signIn] = collection?.entries.get(FILE) ?? [];
  assert.equal(signIn?.code, NEEDS_SIGN_IN_CODE);
  assert.equal(signIn?.range.start.line, location('work').line - 1, 'at the instance');
  const [action] = actions(fixes, text, signIn === undefined ? [] : [signIn]);
  assert.equal(action?.title, 'Sign In to Notes · work');
  assert.equal(action?.command?.command, 'mcplex.signIn');

  runtime.instanceList = [instanceView({ location: location('work') })];
  runtime.fireChange();
  assert.equal(collection?.entries.has(FILE), false, 'running again: cleared');
  states.dispose();
  assert.equal(runtime.listenerCount, 0);
});
