// A copy-pasted second account is one account under two prefixes: `mcplex check` and
// `mcplex list` say so, on the second instance's line, and still run it (a warning).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMcplex } from '../../helpers/cli';
import { fixturePath } from '../../fixtures/servers';

const dir = mkdtempSync(join(tmpdir(), 'mcplex-clone-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const file = join(dir, `${name}.jsonc`);
  writeFileSync(file, text);
  return file;
}

const server = `"command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(fixturePath('echo'))}]`;
const PASTED = writeConfig(
  'pasted',
  `{
  "servers": {
    "notes": {
      ${server},
      "instances": {
        "work": { "env": { "ACCOUNT": "work" } },
        "personal": { "env": { "ACCOUNT": "work" } }
      }
    }
  }
}
`,
);
const WARNING = /^pasted\.jsonc:7:9: warning: notes\/personal would start exactly like notes\/work: the two would be the same account\. Give it its own value \(an env var, an argument, a \$\{instanceDir\} path\)\.$/m;

describe('a clone of an account', () => {
  it('mcplex check prints the warning at the second instance and exits 0', async () => {
    const result = await runMcplex(['check', '--config', PASTED], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, WARNING);
    assert.match(result.stderr, /^ok: 2 instances, 1 warning$/m);
  });

  it('mcplex list prints it to stderr and lists both', async () => {
    const result = await runMcplex(['list', '--config', PASTED, '--json'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, WARNING);
    assert.doesNotMatch(result.stdout, /would start exactly like/);
    const instances = new Set((JSON.parse(result.stdout) as { instance: string }[]).map((tool) => tool.instance));
    assert.deepEqual([...instances].sort(), ['notes/personal', 'notes/work']);
  });

  it('names the setting of a known server', async () => {
    const memory = writeConfig('memory', `{ "servers": { "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"], "instances": { "work": {}, "personal": {} } } } }`);
    const result = await runMcplex(['check', '--config', memory], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /memory\/personal would start exactly like memory\/work: the two would be the same account\. server-memory keeps its data at one path: set MEMORY_FILE_PATH to "\$\{instanceDir\}\/memory\.jsonl" in memory\/personal\./);
  });

  it('two accounts that differ only by a ${secret:…} value are not clones, and a shared value is never printed', async () => {
    const secrets = writeConfig(
      'secrets',
      `{ "servers": { "notes": { ${server}, "instances": { "work": { "env": { "TOKEN": "\${secret:work-token}" } }, "personal": { "env": { "TOKEN": "\${secret:personal-token}" } } } } } }`,
    );
    const env = { MCPLEX_SECRETS_FILE: join(dir, 'secrets.json'), MCPLEX_SECRET_WORK_TOKEN: 'tok-work-1', MCPLEX_SECRET_PERSONAL_TOKEN: 'tok-personal-2' };
    const distinct = await runMcplex(['check', '--config', secrets], { cwd: dir, env });
    assert.equal(distinct.code, 0, distinct.stderr);
    assert.doesNotMatch(distinct.stdout, /would start exactly like/);

    const same = await runMcplex(['check', '--config', secrets], { cwd: dir, env: { ...env, MCPLEX_SECRET_PERSONAL_TOKEN: 'tok-work-1' } });
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /notes\/personal would start exactly like notes\/work/);
    assert.ok(!`${same.stdout}${same.stderr}`.includes('tok-work-1'));
  });
});
