// tools.readOnly, tools.describe and tools.pin (issue 17): validated with positions and a
// "did you mean", merged so the instance's choice wins (one account read-only, the other not).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeInstance, parseConfig } from '../../../../src/core/config/index';

function problemsOf(tools: unknown): { code: string; line: number; column: number; message: string }[] {
  const text = JSON.stringify({ servers: { ledger: { command: 'node', instances: { work: { tools } } } } }, null, 2);
  return parseConfig(text, 'f').problems.map(({ code, line, column, message }) => ({ code, line, column, message }));
}

describe('tools policy fields', () => {
  it('accepts readOnly, describe and pin', () => {
    const text = JSON.stringify({ servers: { s: { command: 'x', instances: { work: { tools: { readOnly: true, pin: true, describe: { search: 'Searches ${work}.' } } } } } } });
    const { config, problems } = parseConfig(text, 'f');
    assert.deepEqual(problems, []);
    assert.deepEqual(config?.servers['s']?.instances['work']?.tools, { readOnly: true, pin: true, describe: { search: 'Searches ${work}.' } });
  });

  it('reports wrong types and empty descriptions at their position', () => {
    const [readOnly] = problemsOf({ readOnly: 'yes' });
    assert.equal(readOnly?.code, 'invalid-type');
    assert.match(readOnly?.message ?? '', /`tools\.readOnly` of instance `work` of server `ledger` must be `true` or `false`, not a string/);
    assert.deepEqual([readOnly?.line, readOnly?.column], [8, 25]);
    assert.match(problemsOf({ pin: 1 })[0]?.message ?? '', /`tools\.pin`.*must be `true` or `false`/);
    assert.match(problemsOf({ describe: ['a'] })[0]?.message ?? '', /`tools\.describe`.*must be an object/);
    const [notText] = problemsOf({ describe: { search: 5 } });
    assert.equal(notText?.code, 'invalid-type');
    assert.match(notText?.message ?? '', /`tools\.describe\.search`/);
    assert.equal(problemsOf({ describe: { search: '  ' } })[0]?.code, 'invalid-value');
  });

  it('suggests the key meant', () => {
    const [problem] = problemsOf({ readonly: true });
    assert.equal(problem?.code, 'unknown-key');
    assert.match(problem?.message ?? '', /Did you mean `readOnly`\?/);
    assert.match(problemsOf({ pinned: true })[0]?.message ?? '', /Allowed keys: .*`readOnly`, `describe`, `pin`/);
  });

  it("merges: the instance's readOnly and pin win (false included), describe merges name by name", () => {
    const text = JSON.stringify({
      servers: {
        s: {
          command: 'x',
          tools: { readOnly: true, pin: true, describe: { a: 'server a', b: 'server b' } },
          instances: { work: {}, personal: { tools: { readOnly: false, pin: false, describe: { b: 'mine' } } } },
        },
      },
    });
    const server = parseConfig(text, 'f').config!.servers['s']!;
    const work = mergeInstance('s', server, 'work', server.instances['work']!).tools;
    const personal = mergeInstance('s', server, 'personal', server.instances['personal']!).tools;
    assert.deepEqual(work, { readOnly: true, pin: true, describe: { a: 'server a', b: 'server b' } });
    assert.deepEqual(personal, { readOnly: false, pin: false, describe: { a: 'server a', b: 'mine' } });
  });
});
