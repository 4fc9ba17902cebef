// Configurations at the edges (issue 15, item 6): nesting deeper than jsonc-parser's
// recursion survives, a huge unknown key costs bounded work, a UTF-8 byte order mark is
// no syntax error — in the loader and in the editors of the file alike.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_NESTING, parseConfig } from '../../../../src/core/config/index';
import { didYouMean, MAX_GUESSED_LENGTH } from '../../../../src/core/config/didYouMean';
import { addInstance, denyTool, EditError, parseMcpJson, secretReferences } from '../../../../src/core/edit';

const BOM = '\uFEFF';

/** `{"servers": {"s": {"command": "x", "env": [[[…]]]}}}`, `levels` brackets deep inside. */
function nested(levels: number): { text: string; firstTooDeep: number } {
  const head = '{"servers": {"s": {"command": "x", "env": ';
  // The document's own braces are three levels; the array that opens level MAX_NESTING + 1 is the one named.
  return { text: `${head}${'['.repeat(levels)}${']'.repeat(levels)}}}}`, firstTooDeep: head.length + (MAX_NESTING - 3) };
}

describe('nesting deeper than the parser recurses', () => {
  it('is one positioned syntax problem, not a thrown RangeError', () => {
    const { text, firstTooDeep } = nested(5000);
    const { config, problems } = parseConfig(text, '/ws/.mcplex.jsonc');
    assert.equal(config, undefined);
    assert.equal(problems.length, 1);
    const [problem] = problems;
    assert.equal(problem?.code, 'syntax');
    assert.equal(problem?.severity, 'error');
    assert.deepEqual([problem?.line, problem?.column, problem?.offset], [1, firstTooDeep + 1, firstTooDeep]);
    assert.match(problem?.message ?? '', /more than 128 levels deep/);
  });

  it('leaves ordinary depth alone', () => {
    const { text } = nested(MAX_NESTING - 3);
    const { problems } = parseConfig(text, '/ws/.mcplex.jsonc');
    assert.ok(!problems.some((problem) => problem.code === 'syntax'), JSON.stringify(problems));
  });

  it('is refused by the editors of the file with a reason, not a stack overflow', () => {
    const { text } = nested(5000);
    assert.throws(() => addInstance(text, 's', 'work', {}), (error: unknown) => error instanceof EditError && /levels deep/.test(error.message));
    assert.throws(() => parseMcpJson(`{"servers": ${'['.repeat(5000)}}`), EditError);
    assert.deepEqual(secretReferences(text), []);
  });
});

describe('a huge unknown key', () => {
  it('gets no guess and costs no distance at all past the guessed length', () => {
    let cells = 0;
    const counting = (a: string, b: string): number => ((cells += (a.length + 1) * (b.length + 1)), a === b ? 0 : Math.max(a.length, b.length));
    assert.equal(didYouMean('x'.repeat(1024 * 1024), ['command', 'args', 'env'], counting), undefined);
    assert.equal(cells, 0);
  });

  it('compares only candidates whose length is within reach of a typo', () => {
    const compared: string[] = [];
    const counting = (a: string, b: string): number => (compared.push(b), a === b ? 0 : 9);
    didYouMean('comand', ['command', 'instances', 'env', 'cwd'], counting);
    assert.deepEqual(compared, ['command']);
    // The work of one guess is bounded whatever the word: (64 + 1) × (64 + 3 + 1) cells per candidate at most.
    let cells = 0;
    const measuring = (a: string, b: string): number => ((cells += (a.length + 1) * (b.length + 1)), 9);
    didYouMean('y'.repeat(MAX_GUESSED_LENGTH), ['y'.repeat(MAX_GUESSED_LENGTH + 3), 'y'.repeat(10_000)], measuring);
    assert.equal(cells, (MAX_GUESSED_LENGTH + 1) * (MAX_GUESSED_LENGTH + 4));
  });

  it('still guesses a misspelt key, and shows a huge one by its start and length', () => {
    assert.equal(didYouMean('comand', ['command', 'args']), 'command');
    const key = 'k'.repeat(1024 * 1024);
    const { problems } = parseConfig(`{"servers": {"s": {"command": "x", "${key}": 1, "instances": {"a": {}}}}}`, '/ws/.mcplex.jsonc');
    const unknown = problems.find((problem) => problem.code === 'unknown-key');
    assert.ok(unknown);
    assert.ok(unknown.message.length < 1000, `message of ${unknown.message.length} characters`);
    assert.match(unknown.message, /1048576 characters/);
  });
});

describe('a UTF-8 byte order mark', () => {
  const text = `${BOM}{\n  "servers": { "s": { "command": "node", "instances": { "a": {} } } }\n}\n`;

  it('is read past, and columns on line 1 do not count it', () => {
    const { config, problems } = parseConfig(text, '/ws/.mcplex.jsonc');
    assert.deepEqual(Object.keys(config?.servers ?? {}), ['s']);
    assert.deepEqual(problems, []);
    const misspelt = text.replace('"instances"', '"bogus": 1, "instances"');
    const [problem] = parseConfig(misspelt, '/ws/.mcplex.jsonc').problems;
    const line2 = misspelt.split('\n')[1] ?? '';
    assert.deepEqual([problem?.code, problem?.line, problem?.column], ['unknown-key', 2, line2.indexOf('"bogus"') + 1]);
    const first = parseConfig(`${BOM}{ "servers": { "s": { "command": "node", "bogus": 1 } } }`, 'f').problems.find((p) => p.code === 'unknown-key');
    assert.equal(first?.column, '{ "servers": { "s": { "command": "node", '.length + 1);
  });

  it('stays at the start of the file through an edit', () => {
    const edited = denyTool(addInstance(text, 's', 'b', {}), 's', 'b', 'delete_*');
    assert.ok(edited.startsWith(`${BOM}{\n`), JSON.stringify(edited.slice(0, 10)));
    assert.equal(edited.split(BOM).length, 2, 'one mark, not copied into the new lines');
    const { config, problems } = parseConfig(edited, '/ws/.mcplex.jsonc');
    assert.deepEqual(Object.keys(config?.servers['s']?.instances ?? {}), ['a', 'b']);
    assert.deepEqual(problems, []);
    assert.deepEqual(secretReferences(`${BOM}{"servers": {"s": {"command": "\${secret:token}"}}}`), ['token']);
    assert.equal(parseMcpJson(`${BOM}{"servers": {"gh": {"command": "gh"}}}`).length, 1);
  });
});
