// Which files a command reads, in real folders: --config or the nearest .mcplex.jsonc upward
// (never above the home folder, never another user's), the user's file under it unless
// turned off, and an error that names every place looked in.
import assert from 'node:assert/strict';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigFileError } from '../../../src/cli/configFile';
import { readConfigSources, type ConfigChoice } from '../../../src/cli/configSources';
import type { CliIo } from '../../../src/cli/io';
import { quietIo } from '../../helpers/quietIo';

const root = mkdtempSync(join(tmpdir(), 'mcplex-sources-'));
after(() => rmSync(root, { recursive: true, force: true }));

const home = join(root, 'home', 'u');
const xdg = join(root, 'xdg');
const userFile = join(xdg, 'mcplex', 'config.jsonc');
const project = join(home, 'code', 'app');
const nested = join(project, 'src', 'deep');
mkdirSync(nested, { recursive: true });
mkdirSync(join(xdg, 'mcplex'), { recursive: true });
writeFileSync(join(project, '.mcplex.jsonc'), '{ "servers": {} }');
// Above the home folder: never read by the search.
writeFileSync(join(root, 'home', '.mcplex.jsonc'), '{ "servers": {} }');

function io(cwd: string, env: Record<string, string> = {}): CliIo {
  return quietIo({ cwd, env: { HOME: home, XDG_CONFIG_HOME: xdg, MCPLEX_SECRETS_FILE: join(root, 'secrets.json'), ...env } });
}

async function sources(cwd: string, choice: ConfigChoice = {}, env: Record<string, string> = {}) {
  const read = await readConfigSources(choice, io(cwd, env));
  return { folder: read.folder, file: read.file?.path, user: read.userFile?.path, workspaceFolder: read.context.workspaceFolder };
}

describe('readConfigSources', () => {
  it('finds the nearest .mcplex.jsonc upward; its folder is the workspace folder', async () => {
    assert.deepEqual(await sources(nested), { folder: project, file: join(project, '.mcplex.jsonc'), user: undefined, workspaceFolder: project });
  });

  it('reads the user file under the folder\'s, unless --no-user-config or MCPLEX_NO_USER_CONFIG=1', async () => {
    writeFileSync(userFile, '{ "servers": {} }');
    try {
      assert.equal((await sources(nested)).user, userFile);
      assert.equal((await sources(nested, { noUserConfig: true })).user, undefined);
      assert.equal((await sources(nested, {}, { MCPLEX_NO_USER_CONFIG: '1' })).user, undefined);
      // --config names the folder's file; the user file is still merged under it.
      const given = await sources(root, { config: join(project, '.mcplex.jsonc') });
      assert.deepEqual(given, { folder: project, file: join(project, '.mcplex.jsonc'), user: userFile, workspaceFolder: project });
      // No folder file up to home: the user file alone, for the current folder.
      const outside = join(home, 'elsewhere');
      mkdirSync(outside, { recursive: true });
      assert.deepEqual(await sources(outside), { folder: outside, file: undefined, user: userFile, workspaceFolder: outside });
    } finally {
      rmSync(userFile);
    }
  });

  it('stops at the home folder, and says where it looked when nothing is found', async () => {
    const outside = join(home, 'elsewhere');
    mkdirSync(outside, { recursive: true });
    await assert.rejects(sources(outside), (error: unknown) => {
      assert.ok(error instanceof ConfigFileError);
      assert.equal(error.message, `no configuration found: no .mcplex.jsonc in ${outside} or its parents up to ${home}, and no user configuration ${userFile} (create ./.mcplex.jsonc, or pass --config FILE)`);
      return true;
    });
    await assert.rejects(sources(outside, { noUserConfig: true }), /the user configuration is turned off \(--no-user-config\)/);
  });

  it('names a --config file that is not there', async () => {
    await assert.rejects(sources(project, { config: 'missing.jsonc' }), new RegExp(`cannot read ${join(project, 'missing.jsonc')}: no such file`));
  });

  it('refuses a file the search found that another user owns, and takes it when named with --config', { skip: process.getuid?.() !== 0 && 'needs root to give a file to another user' }, async () => {
    const shared = join(root, 'shared');
    mkdirSync(join(shared, 'scratch'), { recursive: true });
    const foreign = join(shared, '.mcplex.jsonc');
    writeFileSync(foreign, '{ "servers": {} }');
    chownSync(foreign, 65534, 65534);
    await assert.rejects(sources(join(shared, 'scratch')), new RegExp(`${foreign} belongs to another user \\(uid 65534\\) and would run commands as you; pass --config ${foreign}`));
    assert.equal((await sources(join(shared, 'scratch'), { config: foreign })).file, foreign);
  });
});
