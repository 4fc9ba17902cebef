// The `mcplex` CLI as a user runs it: a real process, real configs, real MCP servers.
import { after, before, describe, it } from 'node:test';
import { rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runMcplex } from '../../helpers/cli';
import { EVERYTHING_ENTRY, startEverythingHttp, type RunningEverything } from '../../helpers/everything';

interface Listed {
  instance: string;
  server: string;
  name: string;
  upstreamName: string;
  description: string;
  hidden?: string;
}

const EXAMPLE = join(REPO_ROOT, 'examples', 'two-accounts', '.mcplex.jsonc');

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function writeConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-cli-'));
  tempDirs.push(dir);
  const file = join(dir, '.mcplex.jsonc');
  writeFileSync(file, text);
  return file;
}

describe('mcplex list', () => {
  it('lists the two accounts of the example under distinct names (the demo)', async () => {
    const result = await runMcplex(['list', '--config', EXAMPLE, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const listed = JSON.parse(result.stdout) as Listed[];
    const tools = listed.filter((tool) => tool.hidden === undefined);
    const personal = tools.filter((tool) => tool.instance === 'notes/personal').map((tool) => tool.name);
    const work = tools.filter((tool) => tool.instance === 'notes/work').map((tool) => tool.name);
    assert.deepEqual(personal.sort(), ['personal__add_note', 'personal__list_notes', 'personal__read_note', 'personal__search_notes']);
    // The example denies add_* for work: a denied tool is not exposed, it is listed as hidden.
    assert.deepEqual(work.sort(), ['work__list_notes', 'work__read_note', 'work__search_notes']);
    assert.deepEqual(listed.filter((tool) => tool.hidden !== undefined).map((tool) => [tool.instance, tool.upstreamName, tool.hidden]), [['notes/work', 'add_note', 'denied']]);
    const names = tools.map((tool) => tool.name);
    assert.equal(new Set(names).size, names.length, 'exposed names are unique');
    const workList = tools.find((tool) => tool.name === 'work__list_notes');
    assert.equal(workList?.upstreamName, 'list_notes');
    assert.match(workList?.description ?? '', /labeled "Work"/);
    assert.match(result.stderr, /notes\/personal: 4 tools/);
  });

  it('prints a readable table by default', async () => {
    const result = await runMcplex(['list'], { cwd: join(REPO_ROOT, 'examples', 'two-accounts') });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^notes\/personal\s+\(Notes \(Personal\)\)\s+4 tools$/m);
    assert.match(result.stdout, /^\s+work__search_notes\s+← search_notes$/m);
    assert.match(result.stdout, /^notes\/work\s+\(Notes \(Work\)\)\s+3 tools, 1 hidden$/m);
  });

  describe('with server-everything as two instances', () => {
    let http: RunningEverything;
    before(async () => {
      http = await startEverythingHttp();
    });
    after(async () => {
      await http.stop();
    });

    for (const transport of ['stdio', 'http'] as const) {
      it(`over ${transport === 'stdio' ? 'stdio' : 'Streamable HTTP'}`, async () => {
        const server =
          transport === 'stdio'
            ? `"command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(EVERYTHING_ENTRY)}, "stdio"]`
            : `"url": "${http.url}", "transport": "http"`;
        const config = writeConfig(`{ "servers": { "everything": { ${server}, "instances": { "alpha": {}, "beta": {} } } } }`);
        const result = await runMcplex(['list', '--config', config, '--json']);
        assert.equal(result.code, 0, result.stderr);
        const tools = JSON.parse(result.stdout) as Listed[];
        const alpha = tools.filter((tool) => tool.instance === 'everything/alpha');
        const beta = tools.filter((tool) => tool.instance === 'everything/beta');
        assert.ok(alpha.length >= 5, `server-everything exposes its tools (${alpha.length})`);
        assert.equal(alpha.length, beta.length);
        assert.ok(alpha.some((tool) => tool.upstreamName === 'echo' && tool.name === 'alpha__echo'));
        assert.ok(beta.some((tool) => tool.upstreamName === 'echo' && tool.name === 'beta__echo'));
        for (const tool of tools) assert.match(tool.name, /^[A-Za-z0-9_-]{1,46}$/);
      });
    }
  });

  it('reports an instance whose command does not exist and still lists the other', async () => {
    const notes = JSON.stringify(join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs'));
    const config = writeConfig(`{
  "servers": {
    "notes": { "command": ${JSON.stringify(process.execPath)}, "args": [${notes}], "instances": { "ok": { "env": { "ACCOUNT": "work" } } } },
    "broken": { "command": "mcplex-no-such-command", "instances": { "gone": {} } },
  },
}`);
    const result = await runMcplex(['list', '--config', config]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^broken\/gone .*FAILED$/m);
    assert.match(result.stdout, /mcplex-no-such-command/);
    assert.match(result.stdout, /ENOENT|not found/);
    assert.match(result.stdout, /^\s+ok__list_notes/m);
  });

  it('lists the valid instances of a config that has problems, and says so', async () => {
    const notes = JSON.stringify(join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs'));
    const config = writeConfig(`{
  "servers": {
    "notes": {
      "command": ${JSON.stringify(process.execPath)},
      "args": [${notes}],
      "instances": {
        "work": { "env": { "ACCOUNT": "work" } },
        "personal": { "env": { "ACCOUNT": "\${secret:personal-account}" } },
      },
    },
  },
}`);
    const result = await runMcplex(['list', '--config', config, '--json']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /\.mcplex\.jsonc:8:\d+: .*personal-account/);
    assert.match(result.stderr, /hint: notes\/personal .* set MCPLEX_SECRET_PERSONAL_ACCOUNT/);
    const tools = JSON.parse(result.stdout) as Listed[];
    assert.ok(tools.every((tool) => tool.instance === 'notes/work') && tools.length === 4);

    // The same secret from the environment resolves the instance.
    const withSecret = await runMcplex(['list', '--config', config, '--json'], { env: { MCPLEX_SECRET_PERSONAL_ACCOUNT: 'personal' } });
    assert.equal(withSecret.code, 0, withSecret.stderr);
    assert.ok((JSON.parse(withSecret.stdout) as Listed[]).some((tool) => tool.name === 'personal__add_note'));
  });
});

describe('mcplex check', () => {
  it('accepts the example', async () => {
    const result = await runMcplex(['check', '--config', EXAMPLE]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /ok: 2 instances/);
  });

  it('prints every one of three mistakes with its position', async () => {
    const config = writeConfig(`{
  // three mistakes
  "servers": {
    "google": {
      "comand": "npx",
      "instances": {
        "work": { "args": "not-a-list" },
        "bad prefix": {},
      },
    },
  },
}
`);
    const result = await runMcplex(['check', '--config', config], { cwd: join(config, '..') });
    assert.equal(result.code, 1);
    const lines = result.stdout.trim().split('\n');
    assert.ok(lines.length >= 3, result.stdout);
    assert.match(result.stdout, /^\.mcplex\.jsonc:5:7: .*`comand`.*Did you mean `command`/m);
    assert.match(result.stdout, /^\.mcplex\.jsonc:7:27: .*args/m);
    assert.match(result.stdout, /^\.mcplex\.jsonc:8:9: .*bad prefix/m);
  });

  it('reports a file nested 5,000 levels deep at its position, without a stack trace', async () => {
    const head = '{ "servers": { "s": { "command": "node", "env": ';
    const config = writeConfig(`${head}${'['.repeat(5000)}${']'.repeat(5000)} } } }\n`);
    const result = await runMcplex(['check', '--config', config], { cwd: join(config, '..') });
    assert.equal(result.code, 1, result.stderr);
    // The document's own three objects, then arrays up to the 129th level.
    assert.match(result.stdout, new RegExp(`^\\.mcplex\\.jsonc:1:${head.length + 126}: Syntax error: .*more than 128 levels deep`, 'm'));
    assert.doesNotMatch(result.stdout + result.stderr, /RangeError|at parse|unexpected error/);
  });

  it('warns, with its position, about a secret passed in args, and still exits 0', async () => {
    const config = writeConfig('{ "servers": { "s": { "command": "node", "args": ["--key=${secret:api-key}"], "instances": { "a": {} } } } }\n');
    const result = await runMcplex(['check', '--config', config], { cwd: join(config, '..'), env: { MCPLEX_SECRET_API_KEY: 'key-value-for-check' } });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const column = '{ "servers": { "s": { "command": "node", "args": ["--key='.length + 1;
    assert.match(result.stdout, new RegExp(`^\\.mcplex\\.jsonc:1:${column}: .*secret \`api-key\` on the command line.*\`env\``, 'm'));
    assert.doesNotMatch(result.stdout + result.stderr, /key-value-for-check/);
  });

  it('reads a file that starts with a UTF-8 byte order mark', async () => {
    const config = writeConfig('\uFEFF{ "servers": { "s": { "command": "node", "instances": { "a": {} } } } }\n');
    const result = await runMcplex(['check', '--config', config]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stderr, /ok: 1 instance/);
  });

  it('exits 2 on a usage error or a missing file, naming the problem', async () => {
    const unknown = await runMcplex(['check', '--frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--frobnicate/);
    const missing = await runMcplex(['check', '--config', '/nonexistent/.mcplex.jsonc']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read \/nonexistent\/\.mcplex\.jsonc: no such file/);
    const command = await runMcplex(['lsit']);
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command "lsit" \(did you mean "list"\?\)/);
  });
});
