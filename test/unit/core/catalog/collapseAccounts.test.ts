// Exposure `accounts`: a tool every account of a server publishes alike is shown once with
// an `account` parameter; tools that differ keep the per-instance form.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileToolFilter } from '../../../../src/core/naming';
import { buildCatalog, collapseAccounts, entriesOf, type AccountMember, type SchemaItem } from '../../../../src/core/catalog';

type Tool = SchemaItem & { readonly name: string };

const ID = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
// The same schema with its keys in another order: canonically equal.
const ID_REORDERED = { required: ['id'], properties: { id: { type: 'string' } }, type: 'object' };

function account(key: string, tools: readonly Tool[] | undefined, options: { group?: string; isDefault?: boolean; listed?: boolean } = {}): AccountMember<Tool, string> {
  return { owner: `owner-${key}`, key, note: `(${key})`, items: tools, listed: options.listed ?? true, group: options.group ?? 'notes', label: key === 'work' ? 'Work (alice@acme.com)' : key, isDefault: options.isDefault ?? false };
}

function collapse(members: readonly AccountMember<Tool, string>[]) {
  return collapseAccounts(buildCatalog(members, { separator: '__', prefixed: true }), members);
}

describe('collapseAccounts', () => {
  it('shows a tool the accounts publish alike once, with a required `account` enum described by the labels', () => {
    const read = { name: 'read', description: 'Reads.', inputSchema: ID };
    const catalog = collapse([account('work', [read, { name: 'only_work' }]), account('home', [{ ...read, inputSchema: ID_REORDERED }])]);
    assert.deepEqual(catalog.exposed.map((tool) => tool.name), ['read', 'work__only_work']);
    const tool = catalog.exposed[0];
    assert.equal(tool?.description, 'Reads.', 'the upstream description, without one instance note');
    assert.deepEqual(tool?.inputSchema, {
      type: 'object',
      properties: { id: { type: 'string' }, account: { type: 'string', enum: ['work', 'home'], description: 'Which account to use (work: Work (alice@acme.com); home).' } },
      required: ['id', 'account'],
    });
    const route = catalog.accounts?.get('read');
    assert.deepEqual([route?.upstreamName, [...(route?.choices.keys() ?? [])], route?.defaultAccount], ['read', ['work', 'home'], undefined]);
    assert.equal(catalog.routes.has('work__read'), false, 'the per-instance names are gone');
    assert.deepEqual(entriesOf(catalog, 'home')?.map((entry) => entry.exposedName), ['read']);
  });

  it('makes `account` optional with a default, and says which', () => {
    const catalog = collapse([account('work', [{ name: 'ls' }]), account('home', [{ name: 'ls' }], { isDefault: true })]);
    const schema = catalog.exposed[0]?.inputSchema as { required?: string[]; properties: { account: { description: string } } };
    assert.equal(schema.required, undefined);
    assert.match(schema.properties.account.description, /Default: home\.$/);
    assert.equal(catalog.accounts?.get('ls')?.defaultAccount, 'home');
  });

  it('keeps the per-instance form when schemas differ, a tool is missing, or the tool has its own `account`', () => {
    const catalog = collapse([
      account('work', [{ name: 'read', inputSchema: ID }, { name: 'ls' }, { name: 'send', inputSchema: { type: 'object', properties: { account: {} } } }]),
      account('home', [{ name: 'read', inputSchema: { type: 'object' } }, { name: 'send', inputSchema: { type: 'object', properties: { account: {} } } }]),
    ]);
    assert.deepEqual(catalog.exposed.map((tool) => tool.name), ['work__read', 'work__ls', 'work__send', 'home__read', 'home__send']);
    assert.equal(catalog.accounts, undefined);
  });

  it('collapses only within one server, and only over accounts whose list is known', () => {
    const catalog = collapse([account('work', [{ name: 'ls' }]), account('home', undefined), account('solo', [{ name: 'ls' }], { group: 'other' })]);
    assert.deepEqual(catalog.exposed.map((tool) => tool.name), ['ls', 'solo__ls']);
    assert.deepEqual([...(catalog.accounts?.get('ls')?.choices.keys() ?? [])], ['work']);
  });

  it('keeps a down account in the choices (its last list), and lists the tool while any account is up', () => {
    const down = collapse([account('work', [{ name: 'ls' }], { listed: false }), account('home', [{ name: 'ls' }])]);
    assert.deepEqual(down.exposed.map((tool) => tool.name), ['ls']);
    assert.deepEqual([...(down.accounts?.get('ls')?.choices.keys() ?? [])], ['work', 'home']);
    const allDown = collapse([account('work', [{ name: 'ls' }], { listed: false }), account('home', [{ name: 'ls' }], { listed: false })]);
    assert.deepEqual(allDown.exposed, []);
  });

  it('leaves a denied tool hidden and uncollapsed', () => {
    const members = [account('work', [{ name: 'ls' }, { name: 'rm' }]), { ...account('home', [{ name: 'ls' }, { name: 'rm' }]), filter: compileToolFilter({ deny: ['rm'] }) }];
    const catalog = collapse(members);
    assert.deepEqual(catalog.exposed.map((tool) => tool.name), ['ls', 'work__rm'], 'rm is not the same tool for both: home denies it');
    assert.deepEqual(catalog.hidden.map((item) => [item.key, item.exposedName, item.reason]), [['home', 'home__rm', 'denied']]);
  });
});
