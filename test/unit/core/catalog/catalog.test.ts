// The one computation of what the model sees: exposed and hidden tools with their reasons,
// collisions, shortened names, routes of members that are down, notes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalog, entriesOf, type CatalogItem, type CatalogMember } from '../../../../src/core/catalog';
import type { ToolFilter } from '../../../../src/core/config';
import { compileToolFilter } from '../../../../src/core/naming';

function member(key: string, names: readonly string[] | undefined, options: { filter?: ToolFilter; listed?: boolean; note?: string } = {}): CatalogMember<CatalogItem, string> {
  return {
    owner: `owner-${key}`,
    key,
    note: options.note ?? `Note ${key}.`,
    ...(options.filter !== undefined && { filter: compileToolFilter(options.filter) }),
    items: names?.map((name) => ({ name, description: `Does ${name}.` })),
    listed: options.listed ?? true,
  };
}

const PREFIXED = { separator: '__', prefixed: true };
const PLAIN = { separator: '__', prefixed: false };

describe('buildCatalog', () => {
  it('exposes allowed tools under their names, with the note, and routes them', () => {
    const catalog = buildCatalog([member('work', ['ls', 'x.y'])], PREFIXED);
    assert.deepEqual(catalog.exposed, [
      { name: 'work__ls', description: 'Does ls.\n\nNote work.' },
      { name: 'work__x_y', description: 'Does x.y.\n\nNote work.' },
    ]);
    assert.deepEqual(catalog.routes.get('work__x_y'), { member: 'owner-work', key: 'work', upstreamName: 'x.y' });
    assert.deepEqual(catalog.hidden, []);
    assert.deepEqual(entriesOf(catalog, 'work'), [
      { exposedName: 'work__ls', upstreamName: 'ls', description: 'Does ls.' },
      { exposedName: 'work__x_y', upstreamName: 'x.y', description: 'Does x.y.' },
    ]);
  });

  it('names like the relay: unprefixed, prefixed, and apart across members', () => {
    const plain = buildCatalog([member('a', ['ls', 'rm', 'x.y'], { filter: { deny: ['rm'] } }), member('b', undefined)], PLAIN);
    assert.deepEqual(entriesOf(plain, 'a')?.map((t) => [t.exposedName, t.hidden]), [['ls', undefined], ['rm', 'denied'], ['x_y', undefined]]);
    assert.equal(entriesOf(plain, 'b'), undefined, 'an unknown list has no entries');
    const prefixed = buildCatalog([member('a', ['ls']), member('b', ['ls'])], PREFIXED);
    assert.deepEqual([entriesOf(prefixed, 'a')?.[0]?.exposedName, entriesOf(prefixed, 'b')?.[0]?.exposedName], ['a__ls', 'b__ls']);
  });

  it('hides denied and filtered tools with the name they would have, and routes none of them', () => {
    const catalog = buildCatalog([member('work', ['read', 'delete_all', 'write'], { filter: { allow: ['read', 'delete_*'], deny: ['delete_*'] } })], PREFIXED);
    assert.deepEqual(catalog.exposed.map((tool) => tool.name), ['work__read']);
    assert.deepEqual(catalog.hidden, [
      { key: 'work', upstreamName: 'delete_all', exposedName: 'work__delete_all', reason: 'denied' },
      { key: 'work', upstreamName: 'write', exposedName: 'work__write', reason: 'filtered' },
    ]);
    assert.deepEqual([...catalog.routes.keys()], ['work__read']);
    assert.deepEqual(catalog.issues, []);
  });

  it('a hidden tool never changes an exposed name', () => {
    // Alone, "a.b" would be disambiguated against a readable "a_b"; denied, "a_b" is no rival.
    const catalog = buildCatalog([member('w', ['a.b', 'a_b'], { filter: { deny: ['a_b'] } })], PREFIXED);
    assert.deepEqual(catalog.exposed.map((tool) => tool.name), ['w__a_b']);
    assert.deepEqual(catalog.hidden.map((tool) => [tool.upstreamName, tool.exposedName, tool.reason]), [['a_b', 'w__a_b', 'denied']]);
  });

  it('a name listed twice is collided: the first keeps it', () => {
    const catalog = buildCatalog([member('w', ['ls', 'ls'])], PREFIXED);
    assert.deepEqual(catalog.exposed.map((tool) => tool.name), ['w__ls']);
    assert.deepEqual(entriesOf(catalog, 'w')?.map((t) => [t.exposedName, t.hidden]), [['w__ls', undefined], ['w__ls', 'collided']]);
    assert.deepEqual(catalog.issues.map((issue) => issue.code), ['duplicate-name']);
  });

  it('a member that reuses a key is collided, and reported', () => {
    const catalog = buildCatalog([member('w', ['ls']), member('w', ['ls', 'cat'])], PREFIXED);
    assert.deepEqual(catalog.exposed.map((tool) => tool.name), ['w__ls']);
    assert.deepEqual(catalog.members[1]?.entries?.map((t) => t.hidden), ['collided', 'collided']);
    assert.deepEqual(catalog.routes.get('w__ls')?.member, 'owner-w');
    assert.ok(catalog.issues.some((issue) => issue.code === 'duplicate-key'));
  });

  it('names that meet after sanitizing are told apart; an unresolved collision is hidden with the name it lost', () => {
    const sanitized = buildCatalog([member('w', ['a.b', 'a_b'])], PREFIXED);
    const names = sanitized.exposed.map((tool) => tool.name);
    assert.equal(names[1], 'w__a_b', 'the exact name keeps it');
    assert.match(names[0] ?? '', /^w__a_b_[0-9a-f]{6}$/);
    assert.deepEqual(sanitized.issues.map((issue) => issue.code), ['name-collision']);

    // An upstream name that looks like the hashed form of another: content decides, the loser is hidden.
    const hashed = names[0] ?? '';
    const clash = buildCatalog([member('w', ['a.b', 'a_b', hashed.slice('w__'.length)])], PREFIXED);
    const lost = clash.hidden.find((tool) => tool.reason === 'collided');
    assert.ok(lost !== undefined, 'one of the two is hidden');
    assert.equal(lost.exposedName, hashed);
    assert.equal(clash.routes.get(hashed)?.upstreamName !== lost.upstreamName, true);
    assert.ok(clash.issues.some((issue) => issue.code === 'unresolved-collision'));
  });

  it('shortens a name too long for the budget, the same way for every reader', () => {
    const long = `get_${'very_long_'.repeat(6)}name`;
    const catalog = buildCatalog([member('work', [long])], PREFIXED);
    const [tool] = catalog.exposed;
    assert.ok(tool !== undefined && tool.name.length === 46, tool?.name);
    assert.match(tool.name, /^work__get_very_long_.*_[0-9a-f]{6}$/);
    assert.equal(catalog.routes.get(tool.name)?.upstreamName, long);
    assert.equal(buildCatalog([member('work', [long])], PREFIXED).exposed[0]?.name, tool.name, 'deterministic');
  });

  it('a prefix that leaves no room: the tools are unnamed', () => {
    const catalog = buildCatalog([member('x'.repeat(45), ['ls'])], PREFIXED);
    assert.deepEqual(catalog.exposed, []);
    assert.deepEqual(catalog.hidden.map((tool) => [tool.exposedName, tool.reason]), [['ls', 'unnamed']]);
    assert.deepEqual(catalog.issues.map((issue) => issue.code), ['prefix-too-long']);
  });

  it('routes the tools of members that are not listed (down in an aggregate), without listing them', () => {
    const catalog = buildCatalog([member('work', ['ls'], { listed: false }), member('home', ['ls'])], PREFIXED);
    assert.deepEqual(catalog.exposed.map((tool) => tool.name), ['home__ls']);
    assert.deepEqual(catalog.routes.get('work__ls'), { member: 'owner-work', key: 'work', upstreamName: 'ls' });
    assert.deepEqual(entriesOf(catalog, 'work')?.map((t) => t.exposedName), ['work__ls'], 'the tree still shows them');
  });

  it('without naming (an instance relay’s prompts) names are the upstream’s own, notes still added', () => {
    const catalog = buildCatalog([member('work', ['greet', 'x.y'], { note: 'N.' })], undefined);
    assert.deepEqual(catalog.exposed, [
      { name: 'greet', description: 'Does greet.\n\nN.' },
      { name: 'x.y', description: 'Does x.y.\n\nN.' },
    ]);
    assert.deepEqual(catalog.issues, []);
  });

  it('keeps every other field of an item', () => {
    const item = { name: 'ls', description: 'Lists.', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } };
    const catalog = buildCatalog([{ owner: 1, key: 'w', note: 'N.', items: [item], listed: true }], PREFIXED);
    assert.deepEqual(catalog.exposed, [{ ...item, name: 'w__ls', description: 'Lists.\n\nN.' }]);
  });
});
