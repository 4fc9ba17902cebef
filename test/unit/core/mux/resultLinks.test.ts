import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Member } from '../../../../src/core/mux/member';
import { aggregateNamespace } from '../../../../src/core/mux/namespace';
import { mayHoldLinks, renameLinks } from '../../../../src/core/mux/resultLinks';

const member = { key: 'work' } as Member;
const ns = aggregateNamespace(new Map([['work', member]]));

test('renames resource_link and embedded resource URIs in a tool result, leaving other blocks as they are', () => {
  const text = { type: 'text', text: 'see demo://a' };
  const result = {
    content: [
      text,
      { type: 'resource_link', uri: 'demo://a', name: 'a' },
      { type: 'resource', resource: { uri: 'demo://b', text: 'b' } },
    ],
    structuredContent: { uri: 'demo://c' },
  };
  const renamed = renameLinks(ns, member, result);
  assert.deepEqual(renamed, {
    content: [
      text,
      { type: 'resource_link', uri: 'mcplex://work/demo://a', name: 'a' },
      { type: 'resource', resource: { uri: 'mcplex://work/demo://b', text: 'b' } },
    ],
    structuredContent: { uri: 'demo://c' },
  });
  assert.equal(result.content[1] && (result.content[1] as { uri: string }).uri, 'demo://a', 'the upstream result is not changed');
});

test('renames embedded resources in prompt messages', () => {
  const result = { messages: [{ role: 'user', content: { type: 'text', text: 'x' } }, { role: 'user', content: { type: 'resource', resource: { uri: 'demo://p', text: '' } } }] };
  const renamed = renameLinks(ns, member, result) as typeof result;
  assert.equal((renamed.messages[1]?.content as { resource: { uri: string } }).resource.uri, 'mcplex://work/demo://p');
  assert.equal(renamed.messages[0], result.messages[0]);
});

test('a result without links is returned as it is', () => {
  const result = { content: [{ type: 'text', text: 'plain' }] };
  assert.equal(renameLinks(ns, member, result), result);
});

test('mayHoldLinks: a uri key is spelled "uri" or with an escape', () => {
  assert.equal(mayHoldLinks('{"content":[{"type":"text","text":"plain"}]}'), false);
  assert.equal(mayHoldLinks('{"content":[{"type":"resource_link","uri":"demo://a"}]}'), true);
  assert.equal(mayHoldLinks('{"content":[{"type":"resource_link","\\u0075ri":"demo://a"}]}'), true);
});
