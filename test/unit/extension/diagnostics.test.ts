// Config problems in the Problems panel: 1-based positions become 0-based ranges, the end
// follows the value across lines, and fixed files are cleared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Problem } from '../../../src/core/problems';
import { ProblemDiagnostics, problemRange } from '../../../src/extension/diagnostics';
import { createFakeVscode, FakeDiagnosticSeverity } from '../../helpers/fakeVscode';

const FILE = '/ws/app/.mcplex.jsonc';
const TEXT = '{\n  "servers": {\n    "notes": { "comand": "node" },\n    "x": {\n      "a": 1\n    }\n  }\n}\n';

function problem(overrides: Partial<Problem> & Pick<Problem, 'offset' | 'length' | 'line' | 'column'>): Problem {
  return { severity: 'error', code: 'unknown-key', message: 'Unknown key "comand": did you mean "command"?', file: FILE, path: [], ...overrides };
}

const COMAND = problem({ offset: TEXT.indexOf('"comand"'), length: '"comand"'.length, line: 3, column: 16 });
const X_VALUE = problem({
  severity: 'warning',
  code: 'odd',
  message: 'odd server',
  offset: TEXT.indexOf('{\n      "a"'),
  length: '{\n      "a": 1\n    }'.length,
  line: 4,
  column: 10,
});

test('problemRange makes the position 0-based and ends on the same line for a one-line value', () => {
  assert.deepEqual(problemRange(COMAND, TEXT), { startLine: 2, startCharacter: 15, endLine: 2, endCharacter: 23 });
  assert.equal(TEXT.split('\n')[2]?.slice(15, 23), '"comand"');
});

test('problemRange follows a value over several lines', () => {
  assert.deepEqual(problemRange(X_VALUE, TEXT), { startLine: 3, startCharacter: 9, endLine: 5, endCharacter: 5 });
});

test('problemRange without the text keeps the end on the start line', () => {
  assert.deepEqual(problemRange(X_VALUE), { startLine: 3, startCharacter: 9, endLine: 3, endCharacter: 9 + X_VALUE.length });
});

test('publish sets diagnostics with severity, source and code, and clears a file once fixed', () => {
  const { api, state } = createFakeVscode();
  const diagnostics = new ProblemDiagnostics(api);
  const collection = state.diagnosticCollections[0];
  assert.ok(collection);
  assert.equal(collection.name, 'mcplex');

  const unplaced = diagnostics.publish(new Map([[FILE, [COMAND, X_VALUE]]]), new Map([[FILE, TEXT]]));
  assert.deepEqual(unplaced, []);
  const shown = collection.entries.get(FILE);
  assert.equal(shown?.length, 2);
  const [first, second] = shown ?? [];
  assert.equal(first?.message, COMAND.message);
  assert.equal(first?.severity, FakeDiagnosticSeverity.Error);
  assert.equal(first?.source, 'mcplex');
  assert.equal(first?.code, 'unknown-key');
  assert.deepEqual([first?.range.start.line, first?.range.start.character, first?.range.end.line, first?.range.end.character], [2, 15, 2, 23]);
  assert.equal(second?.severity, FakeDiagnosticSeverity.Warning);
  assert.equal(second?.range.end.line, 5);

  // Fixed: the runtime reports the file with no problems (or not at all).
  diagnostics.publish(new Map([[FILE, []]]), new Map([[FILE, TEXT]]));
  assert.equal(collection.entries.has(FILE), false);
  diagnostics.publish(new Map([[FILE, [COMAND]]]), new Map());
  diagnostics.publish(new Map(), new Map());
  assert.equal(collection.entries.size, 0);
});

test('problems with no file to sit in are returned, not shown', () => {
  const { api, state } = createFakeVscode();
  const diagnostics = new ProblemDiagnostics(api);
  const inSettings = problem({ file: 'settings.json (mcplex.servers)', offset: 0, length: 0, line: 1, column: 1 });
  assert.deepEqual(diagnostics.publish(new Map([[inSettings.file, [inSettings]]]), new Map()), [inSettings]);
  assert.equal(state.diagnosticCollections[0]?.entries.size, 0);
  diagnostics.dispose();
  assert.equal(state.diagnosticCollections[0]?.disposed, true);
});
