// The CLI's user configuration and the upward search, as a user meets them: real `mcplex`
// processes in a nested project folder, a home and config home of the test's own, the
// notes server of the example as the upstream.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_PATH, REPO_ROOT, runMcplex } from '../../helpers/cli';

const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const root = mkdtempSync(join(tmpdir(), 'mcplex-userconfig-'));
after(() => rmSync(root, { recursive: true, force: true }));

const home = join(root, 'home');
const configHome = join(root, 'config');
const userFile = join(configHome, 'mcplex', 'config.jsonc');
const project = join(home, 'project');
const nested = join(project, 'src', 'lib');
mkdirSync(nested, { recursive: true });
mkdirSync(join(configHome, 'mcplex'), { recursive: true });
const ENV = { HOME: home, XDG_CONFIG_HOME: configHome, XDG_STATE_HOME: join(root, 'state'), MCPLEX_SECRETS_FILE: join(root, 'secrets.json') };

interface Listed {
  instance: string;
  name: string;
  description: string;
  hidden?: string;
}

/** The user's notes server, in every project: the command, and a personal account; a `work` account the project overrides. */
const USER_CONFIG = `{
  // The user's own accounts, for every project.
  "servers": {
    "notes": {
      "label": "Notes",
      "command": ${JSON.stringify(process.execPath)},
      "args": [${JSON.stringify(NOTES)}],
      "instances": {
        "personal": { "label": "Personal", "env": { "ACCOUNT": "personal" } },
        "work": { "label": "User's work", "env": { "ACCOUNT": "personal" } }
      }
    }
  }
}
`;

/** The project adds nothing but accounts: the server's command comes from the user's file. */
const PROJECT_CONFIG = '{ "servers": { "notes": { "instances": { "work": { "label": "Work", "env": { "ACCOUNT": "work" } } } } } }\n';

function write(file: string, text: string): void {
  writeFileSync(file, text);
}

describe('the user configuration and .mcplex.jsonc found upward', () => {
  it('mcplex list in a nested subfolder uses the parent\'s .mcplex.jsonc, and says which file it read', async () => {
    write(join(project, '.mcplex.jsonc'), `{ "servers": { "notes": { "command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(NOTES)}], "instances": { "work": { "env": { "ACCOUNT": "work" } } } } } }\n`);
    const result = await runMcplex(['list', '--json'], { cwd: nested, env: ENV });
    assert.equal(result.code, 0, result.stderr);
    const listed = JSON.parse(result.stdout) as Listed[];
    assert.deepEqual(listed.map((tool) => tool.name).sort(), ['work__add_note', 'work__list_notes', 'work__read_note', 'work__search_notes']);
    assert.match(result.stderr, new RegExp(`^mcplex: configuration: ${join(project, '.mcplex.jsonc')}$`, 'm'));
  });

  it('a server defined only in the user configuration gets an instance from the folder\'s file; the folder wins on a clash', async () => {
    write(userFile, USER_CONFIG);
    write(join(project, '.mcplex.jsonc'), PROJECT_CONFIG);
    try {
      const result = await runMcplex(['list', '--json'], { cwd: nested, env: ENV });
      assert.equal(result.code, 0, result.stderr);
      const listed = JSON.parse(result.stdout) as Listed[];
      assert.deepEqual([...new Set(listed.map((tool) => tool.instance))], ['notes/personal', 'notes/work']);
      // The folder's `work` replaced the user's as a whole: its label, its account.
      const work = listed.find((tool) => tool.name === 'work__list_notes');
      assert.match(work?.description ?? '', /labeled "Work"/);
      assert.match(result.stderr, new RegExp(`configuration: ${join(project, '.mcplex.jsonc')}, over the user configuration ${userFile}`));

      // Served over stdio from the nested folder, as a client started in it would: the folder's account answers.
      const client = new Client({ name: 'test', version: '0' });
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI_PATH, 'serve'], cwd: nested, env: { ...(process.env as Record<string, string>), ...ENV }, stderr: 'ignore' }));
      try {
        const notes = await client.callTool({ name: 'work__list_notes', arguments: {} });
        assert.match(JSON.stringify(notes.content), /Standup/, 'the folder\'s work account (ACCOUNT=work), not the user\'s');
        const personal = await client.callTool({ name: 'personal__list_notes', arguments: {} });
        assert.match(JSON.stringify(personal.content), /Groceries/);
      } finally {
        await client.close();
      }

      // --no-user-config: the folder's file alone, whose server has no command of its own.
      const alone = await runMcplex(['check', '--no-user-config'], { cwd: nested, env: ENV });
      assert.equal(alone.code, 1, alone.stderr);
      assert.match(alone.stdout, /\.mcplex\.jsonc:1:\d+: .*command/);
    } finally {
      rmSync(userFile, { force: true });
    }
  });

  it('a broken user configuration is an error naming that file, line and column', async () => {
    write(join(project, '.mcplex.jsonc'), PROJECT_CONFIG);
    write(userFile, '{\n  "servers": {\n    "notes": { "comand": "node", "instances": {} }\n  }\n}\n');
    try {
      const result = await runMcplex(['check'], { cwd: nested, env: ENV });
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, new RegExp(`^${userFile}:3:16: .*comand.*`, 'm'));
    } finally {
      rmSync(userFile, { force: true });
    }
  });

  it('without .mcplex.jsonc, the user configuration alone serves the current folder; without either, the places looked are named', async () => {
    const bare = join(home, 'bare');
    mkdirSync(bare, { recursive: true });
    const nothing = await runMcplex(['check'], { cwd: bare, env: ENV });
    assert.equal(nothing.code, 2);
    assert.equal(nothing.stderr, `mcplex: no configuration found: no .mcplex.jsonc in ${bare} or its parents up to ${home}, and no user configuration ${userFile} (create ./.mcplex.jsonc, or pass --config FILE)\n`);
    write(userFile, USER_CONFIG);
    try {
      const result = await runMcplex(['check'], { cwd: bare, env: ENV });
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stderr, new RegExp(`configuration: the user configuration ${userFile} alone, for the folder ${bare}`));
      assert.match(result.stderr, /ok: 2 instances/);
    } finally {
      rmSync(userFile, { force: true });
    }
  });
});
