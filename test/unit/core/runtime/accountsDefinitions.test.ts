// Exposure `accounts` in the window: one definition per SERVER (its accounts behind one
// endpoint, the tools they share taking `account`), whether the folder or the server chose
// it; the other servers keep the folder's exposure; ids stable as accounts come and go.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountsDefinitionId, aggregateDefinitionId, type Exposure } from '../../../../src/core/engine';
import { planFolders, type FolderInput } from '../../../../src/core/runtime';
import { buildDefinitions } from '../../../../src/core/runtime/definitions';
import type { DefinitionSpec } from '../../../../src/core/runtime';

const context = { env: {}, secrets: { get: async () => undefined }, userHome: '/home/me' };
const FOLDER = 'file:///w';

function folder(config: object, exposure: Exposure, id = FOLDER, name = 'w'): FolderInput {
  return { id, name, path: `/${name}`, file: { path: `/${name}/.mcplex.jsonc`, text: JSON.stringify(config) }, options: { toolPrefix: false, exposure } };
}

const notes = (accounts: readonly string[], extra: object = {}): object => ({
  label: 'Notes',
  command: 'node',
  args: ['notes.js'],
  ...extra,
  instances: Object.fromEntries(accounts.map((account) => [account, { label: account, env: { ACCOUNT: account } }])),
});
const files = { label: 'Files', command: 'node', args: ['files.js'], instances: { a: { label: 'A', args: ['files.js', 'a'] }, b: { label: 'B', args: ['files.js', 'b'] } } };

async function definitions(folders: readonly FolderInput[]): Promise<{ defs: DefinitionSpec[]; problems: string[] }> {
  const planned = await planFolders(folders, context, new Map(), true);
  const defs = buildDefinitions(planned.plan, planned.exposed.shapes, { urlFor: (path) => `http://h${path}`, headers: {} });
  return { defs, problems: [...planned.problems.values()].flat().map((problem) => problem.message) };
}

describe('exposure accounts: one definition per server', () => {
  it('gives each server of a folder in `accounts` one definition with all its accounts, labelled as the server', async () => {
    const { defs, problems } = await definitions([folder({ servers: { notes: notes(['work', 'home', 'club']), files } }, 'accounts')]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      defs.map((def) => [def.id, def.label, def.instanceKeys]),
      [
        [accountsDefinitionId(FOLDER, 'notes'), 'Notes', ['work', 'home', 'club'].map((account) => `${FOLDER}#notes/${account}`)],
        [accountsDefinitionId(FOLDER, 'files'), 'Files', [`${FOLDER}#files/a`, `${FOLDER}#files/b`]],
      ],
    );
    const [first, second] = defs;
    assert.notEqual(first?.url, second?.url, 'an endpoint each');
    assert.match(first?.url ?? '', /^http:\/\/h\/s\/[0-9a-f]{12}$/);
    assert.match(first?.version ?? '', /-accounts$/);
  });

  it("lets a server's own `exposure: accounts` win over the folder's `aggregate`, the others sharing the folder's endpoint", async () => {
    const { defs } = await definitions([folder({ exposure: 'aggregate', servers: { files, notes: notes(['work', 'home'], { exposure: 'accounts' }) } }, 'instances')]);
    assert.deepEqual(
      defs.map((def) => [def.id, def.label, def.instanceKeys.length]),
      [
        [aggregateDefinitionId(FOLDER), 'MCPlex (w)', 2],
        [accountsDefinitionId(FOLDER, 'notes'), 'Notes', 2],
      ],
    );
  });

  it("lets a server's own `instances` or `aggregate` win over the folder's `accounts`", async () => {
    const { defs } = await definitions([folder({ exposure: 'accounts', servers: { notes: notes(['work', 'home'], { exposure: 'instances' }), files: { ...files, exposure: 'aggregate' }, mail: notes(['x', 'y']) } }, 'instances')]);
    assert.deepEqual(
      defs.map((def) => def.id),
      [`${FOLDER}#notes/work`, `${FOLDER}#notes/home`, aggregateDefinitionId(FOLDER), accountsDefinitionId(FOLDER, 'mail')],
    );
    assert.doesNotMatch(defs[2]?.version ?? '', /-accounts$/, "the folder's endpoint holds no collapsing server");
  });

  it('keeps the id and the url as an account is added, and changes the version', async () => {
    const before = (await definitions([folder({ servers: { notes: notes(['work', 'home']) } }, 'accounts')])).defs[0];
    const after = (await definitions([folder({ servers: { notes: notes(['work', 'home', 'club']) } }, 'accounts')])).defs[0];
    assert.equal(after?.id, before?.id);
    assert.equal(after?.url, before?.url);
    assert.notEqual(after?.version, before?.version);
  });

  it('adds the folder name where two folders have a server of one label, and their endpoints differ', async () => {
    const { defs } = await definitions([
      folder({ servers: { notes: notes(['work']) } }, 'accounts', 'file:///app', 'app'),
      folder({ servers: { notes: notes(['work']) } }, 'accounts', 'file:///lib', 'lib'),
    ]);
    assert.deepEqual(defs.map((def) => def.label), ['Notes (app)', 'Notes (lib)']);
    assert.equal(new Set(defs.map((def) => def.url)).size, 2);
  });

  it('serves a server waiting for a secret in its definition too, so starting it says which secret', async () => {
    const config = { servers: { notes: { ...notes(['work']), instances: { work: { env: { KEY: '${secret:k}' } }, home: {} } } } };
    const { defs } = await definitions([folder(config, 'accounts')]);
    assert.deepEqual(defs.map((def) => [...def.instanceKeys].sort()), [[`${FOLDER}#notes/home`, `${FOLDER}#notes/work`]]);
  });
});
