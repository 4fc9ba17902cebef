/**
 * Exposure `accounts`: a tool that every account of one server publishes alike (same name,
 * same input schema, compared canonically) is shown once, under its own name, with an
 * added `account` parameter whose choices are the accounts (instance ids, each described
 * by its label). Tools that differ between the accounts, or that only some have, keep the
 * per-instance form the catalog gave them. Pure: applied to a built catalog, so naming,
 * filters and hidden reasons stay `buildCatalog`'s.
 *
 * The choices are the accounts whose list is known: one that is down keeps its last list
 * and so its place (the tool list does not churn as an instance restarts; a call to it
 * gets the usual "instance is down" error); one that never came up joins once it does.
 */
import { canonicalJson } from '../wire';
import type { AccountChoice, AccountRoute, Catalog, CatalogEntry, CatalogItem, CatalogMember } from './model';

/** The parameter mcplex adds to a collapsed tool; an upstream tool that has one of its own is not collapsed. */
export const ACCOUNT_PARAM = 'account';

/** A tool as the collapse reads it: its schema is compared and extended. */
export interface SchemaItem extends CatalogItem {
  readonly inputSchema?: InputSchema;
}

interface InputSchema {
  readonly type?: string;
  readonly properties?: object | undefined;
  readonly required?: readonly string[] | undefined;
}

/** A member of an `accounts` endpoint: which server it is an account of, and how it is described. */
export interface AccountMember<T extends CatalogItem, O> extends CatalogMember<T, O> {
  /** The server (`serverId`): tools collapse among the accounts of one server only. */
  readonly group: string;
  /** Shown beside its id in the `account` parameter's description. */
  readonly label: string;
  /** `default: true`: used when a call leaves `account` out. */
  readonly isDefault: boolean;
}

// Names a collapsed tool can keep as they are (the upstream's own name, which every client accepts).
const PLAIN_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** `members` must be the ones `catalog` was built from, in the same order. */
export function collapseAccounts<T extends SchemaItem, O>(catalog: Catalog<T, O>, members: readonly AccountMember<T, O>[]): Catalog<T, O> {
  const collapsed = new Map<string, Collapsed<T, O>>();
  for (const group of groupsOf(members)) {
    for (const found of collapsibleTools(catalog, members, group)) {
      // The same name from another server, or a name some other tool already has, keeps the per-instance form.
      if (collapsed.has(found.name) || (catalog.routes.has(found.name) && !found.exposedNames.has(found.name))) continue;
      collapsed.set(found.name, found);
    }
  }
  if (collapsed.size === 0) return catalog;

  const byExposedName = new Map<string, Collapsed<T, O>>();
  for (const found of collapsed.values()) for (const name of found.exposedNames) byExposedName.set(name, found);
  const exposed: T[] = [];
  const emitted = new Set<string>();
  for (const item of catalog.exposed) {
    const found = byExposedName.get(item.name);
    if (found === undefined) exposed.push(item);
    else if (!emitted.has(found.name)) {
      emitted.add(found.name);
      exposed.push(found.tool);
    }
  }
  const routes = new Map([...catalog.routes].filter(([name]) => !byExposedName.has(name)));
  const accounts = new Map<string, AccountRoute<O>>(catalog.accounts);
  for (const found of collapsed.values()) accounts.set(found.name, found.route);
  const memberEntries = catalog.members.map((member) => ({
    key: member.key,
    entries: member.entries?.map((entry): CatalogEntry => {
      const found = entry.hidden === undefined ? byExposedName.get(entry.exposedName) : undefined;
      return found === undefined ? entry : { ...entry, exposedName: found.name };
    }),
  }));
  return { ...catalog, exposed, routes, accounts, members: memberEntries };
}

interface Collapsed<T, O> {
  readonly name: string;
  readonly tool: T;
  readonly route: AccountRoute<O>;
  /** The per-instance names it replaces. */
  readonly exposedNames: ReadonlySet<string>;
}

/** The indexes of each server's members, for servers with two accounts or more. */
function groupsOf(members: readonly AccountMember<CatalogItem, unknown>[]): number[][] {
  const groups = new Map<string, number[]>();
  members.forEach((member, index) => {
    const list = groups.get(member.group) ?? [];
    list.push(index);
    groups.set(member.group, list);
  });
  return [...groups.values()].filter((list) => list.length > 1);
}

function collapsibleTools<T extends SchemaItem, O>(catalog: Catalog<T, O>, members: readonly AccountMember<T, O>[], group: readonly number[]): Collapsed<T, O>[] {
  // Each known account's exposed tools: upstream name → [exposed name, the upstream's tool].
  const known = group.flatMap((index) => {
    const member = members[index];
    const entries = catalog.members[index]?.entries;
    if (member === undefined || member.items === undefined || entries === undefined) return [];
    const tools = new Map<string, { exposedName: string; item: T }>();
    entries.forEach((entry, at) => {
      const item = member.items?.[at];
      if (entry.hidden === undefined && item !== undefined && catalog.routes.has(entry.exposedName)) tools.set(item.name, { exposedName: entry.exposedName, item });
    });
    return [{ member, tools }];
  });
  const [first] = known;
  if (first === undefined) return [];
  const found: Collapsed<T, O>[] = [];
  for (const [name, { item }] of first.tools) {
    if (!PLAIN_NAME.test(name) || hasOwnAccount(item)) continue;
    const schema = canonicalJson(item.inputSchema ?? null);
    if (!known.every(({ tools }) => tools.has(name) && canonicalJson(tools.get(name)?.item.inputSchema ?? null) === schema)) continue;
    const choices = new Map<string, AccountChoice<O>>();
    const exposedNames = new Set<string>();
    for (const { member, tools } of known) {
      choices.set(member.key, { owner: member.owner, label: member.label });
      exposedNames.add(tools.get(name)?.exposedName ?? name);
    }
    const defaultAccount = known.find(({ member }) => member.isDefault)?.member.key;
    const route: AccountRoute<O> = { upstreamName: name, choices, ...(defaultAccount !== undefined && { defaultAccount }) };
    found.push({ name, tool: withAccountParam(item, name, route), route, exposedNames });
  }
  return found;
}

function hasOwnAccount(item: SchemaItem): boolean {
  const properties = item.inputSchema?.properties;
  return properties !== undefined && Object.hasOwn(properties, ACCOUNT_PARAM);
}

/** The upstream's tool under `name`, its schema with `account` (required unless there is a default). */
function withAccountParam<T extends SchemaItem>(item: T, name: string, route: AccountRoute<unknown>): T {
  const schema: InputSchema = item.inputSchema ?? { type: 'object' };
  const ids = [...route.choices.keys()];
  const described = [...route.choices].map(([id, choice]) => (choice.label === id ? id : `${id}: ${choice.label}`)).join('; ');
  const fallback = route.defaultAccount === undefined ? '' : ` Default: ${route.defaultAccount}.`;
  // A plain enum: every client and model reads it (oneOf with const/title is not as widely understood).
  const param = { type: 'string', enum: ids, description: `Which account to use (${described}).${fallback}` };
  const required = [...(schema.required ?? []), ...(route.defaultAccount === undefined ? [ACCOUNT_PARAM] : [])];
  const inputSchema = { ...schema, properties: { ...schema.properties, [ACCOUNT_PARAM]: param }, ...(required.length > 0 && { required }) };
  return { ...item, name, inputSchema };
}
