// A secret passed in `args` is readable by every local user in the process list: a
// `secret-in-args` warning at the reference itself, once per place it is written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../../../src/core/config/index';

describe('secret-in-args', () => {
  it('warns at the `${secret:…}` inside the arg, and not for env, command or a secret-free arg', () => {
    const text = [
      '{ "servers": { "gh": {',
      '  "command": "gh-mcp", "args": ["--verbose", "--token=${secret:gh-token}"],',
      '  "env": { "GH_TOKEN": "${secret:gh-token}" },',
      '  "instances": { "work": { "args": ["${secret:work-key}"] }, "home": {} }',
      '} } }',
    ].join('\n');
    const { problems, config } = parseConfig(text, '/ws/.mcplex.jsonc');
    const warnings = problems.filter((problem) => problem.code === 'secret-in-args');
    assert.equal(problems.length, warnings.length, JSON.stringify(problems));
    const line2 = text.split('\n')[1] ?? '';
    const line4 = text.split('\n')[3] ?? '';
    assert.deepEqual(
      warnings.map((problem) => [problem.severity, problem.line, problem.column, problem.length, problem.path.join('.')]),
      [
        ['warning', 2, line2.indexOf('${secret:gh-token}') + 1, '${secret:gh-token}'.length, 'servers.gh.args.1'],
        ['warning', 4, line4.indexOf('${secret:work-key}') + 1, '${secret:work-key}'.length, 'servers.gh.instances.work.args.0'],
      ],
    );
    assert.match(warnings[0]?.message ?? '', /`args\[1\]` of server `gh` passes the secret `gh-token` on the command line.*process list.*`env`/);
    assert.deepEqual(Object.keys(config?.servers['gh']?.instances ?? {}), ['work', 'home'], 'a warning, the instances still run');
  });
});
