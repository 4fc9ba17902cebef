import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configFromValue, parseConfig } from '../../../../src/core/config/index';
import { didYouMean, editDistance } from '../../../../src/core/config/didYouMean';
import { LineIndex } from '../../../../src/core/config/positions';
import { type Problem, hasErrors } from '../../../../src/core/problems';
import { fixture, fixtures, type ExpectedProblem } from '../../../fixtures/configs/fixtures';

function byPosition(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
}

function assertProblems(actual: readonly Problem[], expected: readonly ExpectedProblem[], label: string): void {
  const sorted = byPosition(actual);
  const summary = sorted.map((p) => `${p.line}:${p.column} ${p.severity} ${p.code} ${p.message}`).join('\n');
  assert.equal(sorted.length, expected.length, `${label}: got\n${summary}`);
  expected.forEach((want, index) => {
    const got = sorted[index]!;
    assert.deepEqual(
      { severity: got.severity, code: got.code, line: got.line, column: got.column },
      { severity: want.severity, code: want.code, line: want.line, column: want.column },
      `${label} problem ${index}: got\n${summary}`,
    );
    assert.ok(got.message.includes(want.message), `${label}: "${got.message}" should contain "${want.message}"`);
  });
}

describe('config fixtures', () => {
  for (const good of fixtures('good')) {
    it(`good/${good.name} has no errors`, () => {
      const { config, problems } = parseConfig(good.text, good.file);
      assert.ok(config);
      assertProblems(problems, good.expected ?? [], good.name);
      assert.ok(problems.every((problem) => problem.file === good.file));
    });
  }
  for (const group of ['bad', 'bad-semantic'] as const) {
    for (const bad of fixtures(group)) {
      it(`${group}/${bad.name} reports exactly the expected problems`, () => {
        assert.ok(bad.expected, `${bad.name} needs a .expected.json`);
        const { problems } = parseConfig(bad.text, bad.file);
        assert.ok(hasErrors(problems));
        assertProblems(problems, bad.expected, bad.name);
      });
    }
  }
});

describe('parseConfig', () => {
  it('reports all three mistakes of one file, with positions, and keeps nothing of the broken server', () => {
    const { text, file } = fixture('bad', 'three-mistakes.jsonc');
    const { config, problems } = parseConfig(text, file);
    assert.deepEqual(
      byPosition(problems).map((p) => [p.code, p.line, p.column, p.path.join('/')]),
      [
        ['unknown-key', 5, 7, 'servers/google/comand'],
        ['invalid-type', 6, 15, 'servers/google/args'],
        ['invalid-name', 8, 9, 'servers/google/instances/my work'],
      ],
    );
    const unknownKey = problems.find((p) => p.code === 'unknown-key')!;
    assert.equal(unknownKey.length, '"comand"'.length);
    assert.equal(text.slice(unknownKey.offset, unknownKey.offset + unknownKey.length), '"comand"');
    assert.deepEqual(config?.servers, {});
  });

  it('reads the design example into servers, instances and field values', () => {
    const { text, file } = fixture('good', 'two-accounts.jsonc');
    const { config } = parseConfig(text, file);
    const google = config?.servers['google'];
    assert.ok(google);
    assert.equal(google.label, 'Google');
    assert.deepEqual(google.args, ['-y', '@example/google-workspace-mcp']);
    assert.deepEqual(Object.keys(google.instances), ['personal', 'work']);
    const work = google.instances['work']!;
    assert.deepEqual(work.env, { GOOGLE_ACCOUNT: 'work', API_KEY: '${secret:google-work-key}' });
    assert.deepEqual(work.tools, { deny: ['delete_*'] });
    assert.deepEqual([work.location.line, work.location.column], [11, 9]);
    assert.deepEqual(work.location.path, ['servers', 'google', 'instances', 'work']);
    assert.equal(config?.servers['notion']?.url, 'https://mcp.notion.com/mcp');
  });

  it('keeps the other instances and servers when one instance is broken', () => {
    const text = `{ "servers": {
      "a": { "command": "x", "instances": { "good": {}, "bad": { "args": [1] } } },
      "b": { "url": "https://example.com/mcp", "instances": { "one": {} } }
    } }`;
    const { config, problems } = parseConfig(text, 'f');
    assert.deepEqual(Object.keys(config!.servers['a']!.instances), ['good']);
    assert.deepEqual(Object.keys(config!.servers['b']!.instances), ['one']);
    assert.deepEqual(problems.map((p) => [p.code, p.path.join('/')]), [['invalid-type', 'servers/a/instances/bad/args/0']]);
  });

  it('leaves out a server or instance that holds a syntax error, and only that', () => {
    const { text, file } = fixture('bad', 'syntax.jsonc');
    const { config, problems } = parseConfig(text, file);
    assert.deepEqual(Object.keys(config!.servers), ['a']);
    assert.ok(problems.every((p) => p.code === 'syntax'));
    const inInstance = parseConfig('{"servers":{"a":{"command":"x","instances":{"one":{"args":["a" "b"]},"two":{}}}}}', 'f');
    assert.deepEqual(Object.keys(inInstance.config!.servers['a']!.instances), ['two']);
  });

  it('counts lines and columns across CRLF line ends', () => {
    const text = '{\r\n  "servers": {\r\n    "s": { "command": 5, "instances": { "a": {} } }\r\n  }\r\n}\r\n';
    const [problem] = parseConfig(text, 'f').problems;
    assert.deepEqual([problem?.line, problem?.column, problem?.code], [3, 23, 'invalid-type']);
  });

  it('gives no config for an empty or non-object document', () => {
    for (const text of ['', '   // only a comment\n', '"servers"', '[]']) {
      const { config, problems } = parseConfig(text, 'f');
      assert.equal(config, undefined, JSON.stringify(text));
      assert.ok(hasErrors(problems), JSON.stringify(text));
    }
  });

  it('accepts the optional top-level fields', () => {
    const { config, problems } = parseConfig('{"$schema":"x","separator":"-","note":"On {label}.","servers":{}}', 'f');
    assert.deepEqual(problems, []);
    assert.deepEqual(config, { file: 'f', servers: {}, separator: '-', note: 'On {label}.' });
  });

  it('reads toolPrefix as a boolean with its position, and refuses any other type there', () => {
    const text = '{\n  "toolPrefix": false,\n  "servers": {}\n}';
    const { config, problems } = parseConfig(text, 'f');
    assert.deepEqual(problems, []);
    assert.equal(config?.toolPrefix?.prefixed, false);
    assert.deepEqual([config?.toolPrefix?.location.line, config?.toolPrefix?.location.column, config?.toolPrefix?.location.path], [2, 17, ['toolPrefix']]);
    assert.equal(parseConfig('{"toolPrefix":true,"servers":{}}', 'f').config?.toolPrefix?.prefixed, true);
    const wrong = parseConfig('{"toolPrefix":"none","servers":{}}', 'f');
    assert.deepEqual(wrong.problems.map((p) => [p.code, p.column, p.path]), [['invalid-type', 15, ['toolPrefix']]]);
    assert.match(wrong.problems[0]?.message ?? '', /`toolPrefix` must be true .* or false/);
    assert.equal(wrong.config?.toolPrefix, undefined);
  });

  it('checks the separator length and characters', () => {
    const codes = (separator: string) =>
      parseConfig(JSON.stringify({ separator, servers: {} }), 'f').problems.map((p) => `${p.severity}:${p.code}`);
    assert.deepEqual(codes('__'), []);
    assert.deepEqual(codes('a-b'), []);
    assert.deepEqual(codes(''), ['error:invalid-value']);
    assert.deepEqual(codes('____'), ['error:invalid-value']);
    assert.deepEqual(codes(' '), ['error:invalid-value']);
    assert.deepEqual(codes('::'), ['warning:discouraged-value']);
  });

  it('offers a suggestion only for close misspellings', () => {
    const message = (key: string) =>
      parseConfig(`{"servers":{"s":{"command":"x","${key}":1,"instances":{"a":{}}}}}`, 'f').problems[0]?.message ?? '';
    assert.match(message('Command2'), /Did you mean `command`\?/);
    assert.match(message('enviroment'), /Allowed keys: `label`, `command`/);
    assert.match(message('header'), /Did you mean `headers`\?/);
    assert.match(message('credentials'), /Unknown key `credentials`.*Allowed keys/);
  });
});

describe('configFromValue', () => {
  it('validates a settings object like a file, naming the settings label', () => {
    const { config, problems } = configFromValue(
      { servers: { s: { command: 'x', instances: { a: {}, 'b c': {} } } } },
      'User settings',
    );
    assert.deepEqual(Object.keys(config!.servers['s']!.instances), ['a']);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.file, 'User settings');
    assert.deepEqual(problems[0]?.path, ['servers', 's', 'instances', 'b c']);
  });

  it('treats an unset setting as no servers and a non-JSON value as a problem', () => {
    assert.deepEqual(configFromValue(undefined, 'S'), { config: { file: 'S', servers: {} }, problems: [] });
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const { config, problems } = configFromValue(cyclic, 'S');
    assert.equal(config, undefined);
    assert.equal(problems[0]?.code, 'invalid-type');
  });
});

describe('positions and suggestions', () => {
  it('maps offsets to 1-based lines and columns', () => {
    const index = new LineIndex('ab\ncd\r\nef\rg');
    assert.deepEqual(index.position(0), { line: 1, column: 1 });
    assert.deepEqual(index.position(2), { line: 1, column: 3 });
    assert.deepEqual(index.position(3), { line: 2, column: 1 });
    assert.deepEqual(index.position(7), { line: 3, column: 1 });
    assert.deepEqual(index.position(10), { line: 4, column: 1 });
  });

  it('measures edit distance with swaps as one edit', () => {
    assert.equal(editDistance('command', 'command'), 0);
    assert.equal(editDistance('comand', 'command'), 1);
    assert.equal(editDistance('cmomand', 'command'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(didYouMean('trasnport', ['transport', 'tools']), 'transport');
    assert.equal(didYouMean('xyz', ['transport', 'tools']), undefined);
  });
});
