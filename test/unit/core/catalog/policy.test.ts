// Issue 17 in the catalog: a read-only account hides what the upstream does not mark
// read-only (exceptions only by exact name), describe replaces a description before the
// note, and pins hide a tool whose definition changed or that appeared after approval.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalog, entriesOf, type CatalogItem, type CatalogMember } from '../../../../src/core/catalog';
import type { ToolFilter } from '../../../../src/core/config';
import { compileToolFilter } from '../../../../src/core/naming';
import { toolDigest } from '../../../../src/core/pins';

const READ: CatalogItem = { name: 'read_entries', description: 'Lists entries.', annotations: { readOnlyHint: true } };
const ADD: CatalogItem = { name: 'add_entry', description: 'Adds an entry.', inputSchema: { type: 'object' }, annotations: { readOnlyHint: false } };
const BARE: CatalogItem = { name: 'count_entries', description: 'Counts entries.' };

function member(items: readonly CatalogItem[], tools: ToolFilter, extra: Partial<CatalogMember<CatalogItem, string>> = {}): CatalogMember<CatalogItem, string> {
  return { owner: 'w', key: 'work', note: 'Work account.', filter: compileToolFilter(tools), describe: tools.describe, items, listed: true, ...extra };
}

const PREFIXED = { separator: '__', prefixed: true };

describe('catalog policy (issue 17)', () => {
  it('readOnly exposes only tools annotated readOnlyHint: true; the rest are hidden as not-read-only and get no route', () => {
    const catalog = buildCatalog([member([READ, ADD, BARE], { readOnly: true })], PREFIXED);
    assert.deepEqual(catalog.exposed.map((tool) => tool.name), ['work__read_entries']);
    assert.deepEqual(entriesOf(catalog, 'work')?.map((entry) => [entry.upstreamName, entry.hidden]), [
      ['read_entries', undefined],
      ['add_entry', 'not-read-only'],
      ['count_entries', 'not-read-only'],
    ]);
    assert.deepEqual([...catalog.routes.keys()], ['work__read_entries']);
  });

  it('an upstream without annotations exposes nothing under readOnly', () => {
    const catalog = buildCatalog([member([BARE, { name: 'x' }], { readOnly: true })], PREFIXED);
    assert.deepEqual(catalog.exposed, []);
    assert.deepEqual(catalog.hidden.map((item) => item.reason), ['not-read-only', 'not-read-only']);
  });

  it('allow lifts readOnly only for a tool it names exactly, never through a glob; deny still wins', () => {
    const exact = buildCatalog([member([READ, ADD], { readOnly: true, allow: ['read_*', 'add_entry'] })], PREFIXED);
    assert.deepEqual(exact.exposed.map((tool) => tool.name), ['work__read_entries', 'work__add_entry']);
    const glob = buildCatalog([member([READ, ADD], { readOnly: true, allow: ['*'] })], PREFIXED);
    assert.deepEqual(glob.hidden.map((item) => [item.upstreamName, item.reason]), [['add_entry', 'not-read-only']]);
    const denied = buildCatalog([member([READ, ADD], { readOnly: true, allow: ['read_entries', 'add_entry'], deny: ['add_entry'] })], PREFIXED);
    assert.deepEqual(denied.hidden.map((item) => [item.upstreamName, item.reason]), [['add_entry', 'denied']]);
  });

  it('describe replaces the description before the note, in the list and in the entries', () => {
    const catalog = buildCatalog([member([READ, ADD], { describe: { read_entries: 'Reads the WORK ledger.', nothing_here: 'unused' } })], PREFIXED);
    assert.deepEqual(catalog.exposed.map((tool) => tool.description), ['Reads the WORK ledger.\n\nWork account.', 'Adds an entry.\n\nWork account.']);
    assert.equal(entriesOf(catalog, 'work')?.[0]?.description, 'Reads the WORK ledger.');
    const inherited = buildCatalog([member([{ name: 'toString', description: 'own' }], { describe: {} })], PREFIXED);
    assert.equal(inherited.exposed[0]?.description, 'own\n\nWork account.', 'only the map’s own names apply');
  });

  it('pins: an approved definition is exposed, a changed one is hidden as changed, a new one as unapproved', () => {
    const pins = new Map([
      [READ.name, toolDigest(READ)],
      [ADD.name, toolDigest({ ...ADD, description: 'Adds an entry (old text).' })],
    ]);
    const catalog = buildCatalog([member([READ, ADD, BARE], {}, { pins })], PREFIXED);
    assert.deepEqual(catalog.exposed.map((tool) => tool.name), ['work__read_entries']);
    assert.deepEqual(catalog.hidden.map((item) => [item.upstreamName, item.reason]), [['add_entry', 'changed'], ['count_entries', 'unapproved']]);
    assert.equal(catalog.routes.has('work__add_entry'), false, 'a changed tool cannot be called');
  });

  it('pins compare the upstream’s definition, not the describe override; key order does not matter', () => {
    const reordered: CatalogItem = { annotations: { readOnlyHint: true }, description: 'Lists entries.', name: 'read_entries' };
    const pins = new Map([[READ.name, toolDigest(reordered)]]);
    const catalog = buildCatalog([member([READ], { describe: { read_entries: 'Mine.' } }, { pins })], PREFIXED);
    assert.deepEqual(catalog.exposed.map((tool) => tool.description), ['Mine.\n\nWork account.']);
  });

  it('a schema or annotation change alone is a change', () => {
    for (const changed of [{ ...ADD, inputSchema: { type: 'object', properties: { x: {} } } }, { ...ADD, annotations: { readOnlyHint: true } }, { ...ADD, outputSchema: { type: 'object' } }]) {
      assert.notEqual(toolDigest(changed), toolDigest(ADD));
    }
  });
});
