// The CLI's user configuration as a folder source: under the folder's file, over the setting,
// its problems under its own path with their positions, `${workspaceFolder}` the folder's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SETTINGS_LABEL, type FolderInput } from '../../../../src/core/runtime';
import { loadFolder } from '../../../../src/core/runtime/loadFolder';

const context = { env: {}, secrets: { get: async () => undefined }, userHome: '/home/u' };
const USER = '/home/u/.config/mcplex/config.jsonc';

function folder(sources: Pick<FolderInput, 'file' | 'userFile' | 'settingsServers'>): FolderInput {
  return { id: 'f', name: 'proj', path: '/w/proj', ...sources, options: { toolPrefix: true, exposure: 'aggregate' } };
}

describe('loadFolder with a user file', () => {
  it('merges setting < user file < folder file: the folder wins per instance, a server of the user file gets the folder\'s instances', async () => {
    const load = await loadFolder(
      folder({
        settingsServers: { notes: { command: 'from-setting', instances: { old: {} } } },
        userFile: {
          path: USER,
          text: `{
            // the user's accounts, in every project
            "separator": "--",
            "servers": {
              "notes": { "command": "node", "args": ["\${workspaceFolder}/notes.mjs"], "instances": { "personal": { "label": "Personal" }, "work": { "label": "User's work" } } }
            }
          }`,
        },
        file: { path: '/w/proj/.mcplex.jsonc', text: '{ "servers": { "notes": { "instances": { "work": { "label": "Work" }, "client": {} } } } }' },
      }),
      context,
    );
    const instances = load.instances.map((i) => [i.instanceId, i.instanceLabel, i.upstream.kind === 'stdio' ? `${i.upstream.command} ${i.upstream.args.join(' ')}` : '']);
    assert.deepEqual(instances, [
      ['old', 'old', 'node /w/proj/notes.mjs'],
      ['personal', 'Personal', 'node /w/proj/notes.mjs'],
      ['work', 'Work', 'node /w/proj/notes.mjs'],
      ['client', 'client', 'node /w/proj/notes.mjs'],
    ]);
    assert.equal(load.separator, '--', 'the user file\'s separator applies where the folder\'s file has none');
    assert.deepEqual([...load.problems.keys()].sort(), ['/w/proj/.mcplex.jsonc', USER, SETTINGS_LABEL].sort());
  });

  it('files the user file\'s problems under its path, with line and column, and marks its syntax error', async () => {
    const load = await loadFolder(folder({ userFile: { path: USER, text: '{\n  "servers": {\n    "notes": { "comand": "x", "instances": {} }\n  }\n}' } }), context);
    const [problem] = load.problems.get(USER) ?? [];
    assert.equal(problem?.file, USER);
    assert.equal(problem?.line, 3);
    assert.match(problem?.message ?? '', /comand/);
    assert.equal(load.hasErrors, true);
    const broken = await loadFolder(folder({ userFile: { path: USER, text: '{ "servers": {' }, file: { path: '/w/proj/.mcplex.jsonc', text: '{ "servers": {} }' } }), context);
    assert.equal(broken.syntaxError, true);
  });
});
