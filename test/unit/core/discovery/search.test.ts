// The discovery exposure's ranked search (BM25 over name, account and description), the
// names it suggests for an unknown one, and the one-line descriptions of its results.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closestNames, DISCOVERY_TOOLS, oneLine, SearchIndex, tokens, type SearchDocument } from '../../../../src/core/discovery';

function tool(name: string, description: string, accountLabel: string, accountKey = name.split('__')[0] ?? ''): SearchDocument {
  return { name, description, accountLabel, accountKey };
}

const CATALOG = [
  tool('work__read_note', 'Read one note by its id.', 'Work'),
  tool('work__search_notes', 'Find notes whose title or body contains the query.', 'Work'),
  tool('personal__read_note', 'Read one note by its id.', 'Personal'),
  tool('personal__search_notes', 'Find notes whose title or body contains the query.', 'Personal'),
  tool('gh__create_issue', 'Create a new issue in a GitHub repository.', 'GitHub Work', 'gh'),
  tool('gh__list_issues', 'List issues of a repository, newest first.', 'GitHub Work', 'gh'),
  tool('fs__read_file', 'Read the complete contents of a file from the file system.', 'Files'),
];

const names = (index: SearchIndex<SearchDocument>, query: string, limit = 10): string[] => index.search(query, limit).map((hit) => hit.document.name);

describe('tokens', () => {
  it('splits names at separators and camelCase, lower-cases and folds plurals', () => {
    assert.deepEqual(tokens('work__search_notes'), ['work', 'search', 'note']);
    assert.deepEqual(tokens('listIssues'), ['list', 'issue']);
    assert.deepEqual(tokens('Boxes, classes, status!'), ['box', 'class', 'status']);
  });
});

describe('SearchIndex', () => {
  const index = new SearchIndex(CATALOG);

  it('finds a tool from words of its description, best match first', () => {
    assert.deepEqual(names(index, 'title body contains').slice(0, 2).sort(), ['personal__search_notes', 'work__search_notes']);
    assert.equal(names(index, 'github repository new issue')[0], 'gh__create_issue');
  });

  it('a word of the account label picks that account\'s tool among identical ones', () => {
    assert.equal(names(index, 'read note personal')[0], 'personal__read_note');
    assert.equal(names(index, 'read note work')[0], 'work__read_note');
  });

  it('a word in the name weighs more than the same word in a description', () => {
    // "file": in fs__read_file's name; no other tool has it.  "read": in three names.
    assert.equal(names(index, 'read file')[0], 'fs__read_file');
  });

  it('a word that only starts a tool\'s word still finds it, below a whole-word match', () => {
    assert.deepEqual(names(index, 'repo').sort(), ['gh__create_issue', 'gh__list_issues']);
    const ranked = new SearchIndex([tool('a__calculate', 'Sums.', 'A'), tool('b__calc', 'Sums.', 'B')]);
    assert.deepEqual(names(ranked, 'calc'), ['b__calc', 'a__calculate']);
  });

  it('nothing that matches no word, limits, and ties broken by name', () => {
    assert.deepEqual(names(index, 'zebra'), []);
    assert.deepEqual(names(index, '  __  '), []);
    assert.equal(names(index, 'note', 1).length, 1);
    assert.deepEqual(names(index, 'id'), ['personal__read_note', 'work__read_note']);
  });

  it('is deterministic: the same catalog and words give the same order', () => {
    assert.deepEqual(names(new SearchIndex([...CATALOG].reverse()), 'note'), names(index, 'note'));
  });

  it('a query of any size is bounded', () => {
    assert.deepEqual(names(index, `${'x'.repeat(1_000_000)} note`), []);
  });
});

describe('closestNames', () => {
  const named = CATALOG.map((entry) => ({ name: entry.name, upstreamName: entry.name.split('__')[1] ?? '' }));

  it('offers the closest names, whole or after the prefix', () => {
    assert.deepEqual(closestNames('work__read_notes', named, 1), ['work__read_note']);
    assert.deepEqual(closestNames('read_note', named, 2), ['personal__read_note', 'work__read_note']);
    assert.deepEqual(closestNames('fs__read_fil', named, 1), ['fs__read_file']);
    assert.deepEqual(closestNames('anything', []), []);
  });
});

describe('discovery tools', () => {
  it('are three, each with an object input schema', () => {
    assert.deepEqual(DISCOVERY_TOOLS.map((entry) => entry.name), ['search_tools', 'describe_tool', 'call_tool']);
    for (const entry of DISCOVERY_TOOLS) assert.equal(entry.inputSchema.type, 'object');
  });

  it('oneLine keeps the first sentence or line, cut with an ellipsis', () => {
    assert.equal(oneLine('Read one note. Then more.'), 'Read one note.');
    assert.equal(oneLine('First line\nsecond'), 'First line');
    assert.equal(oneLine(undefined), '');
    assert.equal(oneLine('x'.repeat(200), 10), `${'x'.repeat(9)}…`);
  });
});
