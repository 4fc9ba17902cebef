// ConfigFiles with the fake VS Code: a `.mcplex.jsonc` saved with a UTF-8 byte order mark
// (as Windows editors write it) keeps the mark through an edit by a command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addInstance } from '../../../../src/core/edit';
import { ConfigFiles } from '../../../../src/extension/inputs/configFiles';
import { createFakeVscode } from '../../../helpers/fakeVscode';

test('an edit of a closed file keeps its byte order mark', async () => {
  const { api, state } = createFakeVscode();
  state.addFolder('/ws/app', 'app');
  const path = '/ws/app/.mcplex.jsonc';
  state.files.set(path, '\uFEFF{\n  "servers": { "s": { "command": "node", "instances": { "a": {} } } }\n}\n');
  const files = new ConfigFiles(api);
  const uri = api.Uri.file(path);
  await files.edit(uri, (text) => addInstance(text, 's', 'b', {}));
  const written = state.files.get(path) ?? '';
  assert.ok(written.startsWith('\uFEFF{\n'), JSON.stringify(written.slice(0, 8)));
  assert.match(written, /"b": \{\}/);
});
