import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileToolFilter } from '../../../../src/core/naming/toolFilter';

test('no filter allows every tool', () => {
  const filter = compileToolFilter(undefined);
  assert.equal(filter.verdict('delete_event'), 'allowed');
});

test('deny globs hide matching tools and win over allow', () => {
  const filter = compileToolFilter({ allow: ['*_event'], deny: ['delete_*'] });
  assert.equal(filter.verdict('create_event'), 'allowed');
  assert.equal(filter.verdict('delete_event'), 'denied');
  assert.equal(filter.verdict('list_calendars'), 'not-allowed');
});

test('globs match names with slashes, dots and colons like any other character', () => {
  const filter = compileToolFilter({ deny: ['notion-*', 'a*'] });
  assert.equal(filter.verdict('notion-create/pages'), 'denied');
  assert.equal(filter.verdict('a.b:c'), 'denied');
  assert.equal(filter.verdict('.hidden'), 'allowed');
  assert.equal(compileToolFilter({ deny: ['*'] }).verdict('.hidden'), 'denied');
});

test('brace alternatives select a family of tools', () => {
  const filter = compileToolFilter({ allow: ['{get,list}_*'] });
  assert.equal(filter.allows('get_note'), true);
  assert.equal(filter.allows('list_notes'), true);
  assert.equal(filter.allows('add_note'), false);
});
