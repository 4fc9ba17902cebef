import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UpstreamSpec } from '../../../../src/core/config';
import { CLONE_PROBLEM_CODE, SAME_ACCOUNT_FIELDS, findClones, type CloneCandidate } from '../../../../src/core/clones';
import { planFolders, type FolderInput } from '../../../../src/core/runtime';

const FILE = '/ws/.mcplex.jsonc';

function candidate(serverId: string, instanceId: string, upstream: UpstreamSpec, line = 1): CloneCandidate {
  return {
    key: `${serverId}/${instanceId}`,
    serverId,
    launch: upstream,
    location: { file: FILE, path: ['servers', serverId, 'instances', instanceId], offset: line * 10, length: 2, line, column: 7 },
  };
}

const notes = (env: Record<string, string> = {}): Extract<UpstreamSpec, { kind: 'stdio' }> => ({ kind: 'stdio', command: 'node', args: ['notes.mjs'], env });

describe('findClones', () => {
  it('warns on the second of two instances that start identically, at its position, naming both', () => {
    const problems = findClones([candidate('notes', 'work', notes(), 3), candidate('notes', 'personal', notes(), 8)]);
    assert.equal(problems.length, 1);
    const [problem] = problems;
    assert.equal(problem?.severity, 'warning');
    assert.equal(problem?.code, CLONE_PROBLEM_CODE);
    assert.equal(problem?.line, 8);
    assert.equal(problem?.column, 7);
    assert.deepEqual(problem?.path, ['servers', 'notes', 'instances', 'personal']);
    assert.equal(
      problem?.message,
      'notes/personal would start exactly like notes/work: the two would be the same account. Give it its own value (an env var, an argument, a ${instanceDir} path).',
    );
  });

  it('says nothing when one env var differs, or the args, cwd, url, headers or auth', () => {
    assert.deepEqual(findClones([candidate('notes', 'work', notes({ ACCOUNT: 'work' })), candidate('notes', 'personal', notes({ ACCOUNT: 'personal' }))]), []);
    assert.deepEqual(findClones([candidate('notes', 'work', notes()), candidate('notes', 'personal', { ...notes(), args: ['notes.mjs', '--personal'] })]), []);
    assert.deepEqual(findClones([candidate('notes', 'work', notes()), candidate('notes', 'personal', { ...notes(), cwd: '/home/me/personal' })]), []);
    const remote = (extra: Partial<Extract<UpstreamSpec, { kind: 'remote' }>>): UpstreamSpec => ({ kind: 'remote', url: 'https://mcp.example/mcp', transport: 'auto', headers: {}, ...extra });
    assert.deepEqual(findClones([candidate('api', 'a', remote({})), candidate('api', 'b', remote({ url: 'https://mcp.example/mcp?b' }))]), []);
    assert.deepEqual(findClones([candidate('api', 'a', remote({ headers: { 'X-Tenant': 'a' } })), candidate('api', 'b', remote({ headers: { 'X-Tenant': 'b' } }))]), []);
    assert.deepEqual(findClones([candidate('api', 'a', remote({ auth: { type: 'bearer', token: 'one' } })), candidate('api', 'b', remote({ auth: { type: 'bearer', token: 'two' } }))]), []);
    assert.equal(findClones([candidate('api', 'a', remote({})), candidate('api', 'b', remote({}))]).length, 1);
  });

  it('compares only instances of one server, and flags every later copy against the first', () => {
    assert.deepEqual(findClones([candidate('notes', 'work', notes()), candidate('other', 'work', notes())]), []);
    const problems = findClones([candidate('notes', 'a', notes()), candidate('notes', 'b', notes()), candidate('notes', 'c', notes())]);
    assert.deepEqual(
      problems.map((problem) => problem.message.split(':')[0]),
      ['notes/b would start exactly like notes/a', 'notes/c would start exactly like notes/a'],
    );
  });

  it('ignores the order keys were written in', () => {
    assert.equal(findClones([candidate('notes', 'work', notes({ A: '1', B: '2' })), candidate('notes', 'personal', notes({ B: '2', A: '1' }))]).length, 1);
  });

  it('compares secret values but never prints them', () => {
    const secret = 'sk-live-very-secret-value';
    const withToken = (token: string): UpstreamSpec => ({ kind: 'remote', url: 'https://mcp.example/mcp', transport: 'auto', headers: {}, auth: { type: 'bearer', token } });
    const problems = findClones([candidate('api', 'work', withToken(secret)), candidate('api', 'personal', withToken(secret))]);
    assert.equal(problems.length, 1);
    assert.ok(!JSON.stringify(problems).includes(secret));
  });

  it('names the known setting of a known server', () => {
    const memory: UpstreamSpec = { kind: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: {} };
    const [problem] = findClones([candidate('notes', 'work', memory), candidate('notes', 'personal', memory)]);
    assert.equal(
      problem?.message,
      'notes/personal would start exactly like notes/work: the two would be the same account. server-memory keeps its data at one path: set MEMORY_FILE_PATH to "${instanceDir}/memory.jsonl" in notes/personal.',
    );
    const playwright: UpstreamSpec = { kind: 'stdio', command: 'npx', args: ['@playwright/mcp@latest'], env: {} };
    const [browser] = findClones([candidate('web', 'work', playwright), candidate('web', 'personal', playwright)]);
    assert.match(browser?.message ?? '', /Playwright keeps its browser profile at one path .*: pass --user-data-dir "\$\{instanceDir\}\/profile" in web\/personal\.$/);
  });

  it('compares over one list of fields: the launch as the upstream says it', () => {
    assert.deepEqual(SAME_ACCOUNT_FIELDS, ['command', 'args', 'env', 'cwd', 'url', 'transport', 'headers', 'auth', 'roots', 'isolate', 'stateDir']);
  });
});

describe('clones in planning', () => {
  const secrets = (values: Record<string, string>) => ({ get: async (name: string) => values[name] });
  const folder = (text: string): FolderInput => ({ id: 'file:///ws', name: 'ws', path: '/ws', file: { path: FILE, text }, options: { toolPrefix: false, exposure: 'instances' } });
  const accounts = `{
  "servers": {
    "notes": {
      "command": "node",
      "args": ["notes.mjs"],
      "instances": {
        "work": { "env": { "TOKEN": "\${secret:WORK_TOKEN}" } },
        "personal": { "env": { "TOKEN": "\${secret:PERSONAL_TOKEN}" } }
      }
    }
  }
}`;

  async function clones(text: string, values: Record<string, string>) {
    const planned = await planFolders([folder(text)], { env: {}, secrets: secrets(values), userHome: '/home/me' }, new Map(), true);
    return (planned.problems.get(FILE) ?? []).filter((problem) => problem.code === CLONE_PROBLEM_CODE);
  }

  it('two accounts that differ only by a ${secret:…} value are not clones', async () => {
    assert.deepEqual(await clones(accounts, { WORK_TOKEN: 'tok-work', PERSONAL_TOKEN: 'tok-personal' }), []);
  });

  it('two secrets with one value are one account, and the warning keeps the value out', async () => {
    const found = await clones(accounts, { WORK_TOKEN: 'tok-same-1234', PERSONAL_TOKEN: 'tok-same-1234' });
    assert.equal(found.length, 1);
    assert.equal(found[0]?.line, 8);
    assert.ok(!JSON.stringify(found).includes('tok-same-1234'));
  });

  it('skips an instance that waits for its secret, unless it is written exactly like another', async () => {
    assert.deepEqual(await clones(accounts, { WORK_TOKEN: 'tok-work' }), []);
    assert.deepEqual(await clones(accounts, {}), []);
    const pasted = accounts.replace('${secret:PERSONAL_TOKEN}', '${secret:WORK_TOKEN}');
    const found = await clones(pasted, {});
    assert.equal(found.length, 1);
    assert.equal(found[0]?.line, 8);
    assert.match(found[0]?.message ?? '', /^notes\/personal would start exactly like notes\/work/);
  });

  it('an instance with a folder of its own (${instanceDir}, isolate) or roots of its own is not a clone, resolved or waiting', async () => {
    const pasted = accounts.replace('${secret:PERSONAL_TOKEN}', '${secret:WORK_TOKEN}');
    const own = (fields: string) => pasted.replace('"args": ["notes.mjs"],', `"args": ["notes.mjs"], ${fields}`);
    for (const values of [{ WORK_TOKEN: 'tok-work' }, {}]) {
      assert.deepEqual(await clones(own('"isolate": "xdg",'), values), [], 'isolate');
      assert.deepEqual(await clones(own('"cwd": "\${instanceDir}",'), values), [], '${instanceDir}');
    }
    const rooted = pasted.replace('"env": { "TOKEN": "\${secret:WORK_TOKEN}" } },', '"env": { "TOKEN": "\${secret:WORK_TOKEN}" }, "roots": ["/data/work"] },');
    assert.notEqual(rooted, pasted);
    assert.deepEqual(await clones(rooted, { WORK_TOKEN: 'tok-work' }), [], 'roots');
  });

  it('flags a copy-pasted second account', async () => {
    const pasted = accounts.replace('${secret:PERSONAL_TOKEN}', '${secret:WORK_TOKEN}');
    const found = await clones(pasted, { WORK_TOKEN: 'tok-work' });
    assert.equal(found.length, 1);
    assert.match(found[0]?.message ?? '', /^notes\/personal would start exactly like notes\/work/);
  });
});
