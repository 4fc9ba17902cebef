/**
 * The relay's catalogs of tools and prompts (see core/catalog), built from its members'
 * lists and dropped when a member's list or state changes. A build that started before a
 * change never lands in the cache (the generation check), so a client never gets a list
 * older than the change it heard of.
 *
 * The tool catalog is also rebuilt as soon as something changes (`refreshTools`), not only
 * when a client lists: the runtime's tree reads it (`latestTools`, `onToolsChange`) and must
 * see an instance's tools once it is up, whether or not a client has connected.
 */
import type { Prompt, Tool } from '@modelcontextprotocol/sdk/types.js';
import { buildCatalog, collapseAccounts, type AccountMember, type Catalog, type CatalogItem, type CatalogNaming, type Route } from '../catalog';
import type { NamingIssue } from '../naming';
import type { Member } from './member';
import type { Disposable } from './upstreamSource';

export type ToolCatalog = Catalog<Tool, Member>;
export type PromptCatalog = Catalog<Prompt, Member>;
export type MemberRoute = Route<Member>;

export interface ViewCacheOptions {
  readonly aggregate: boolean;
  readonly members: readonly Member[];
  readonly toolNaming: CatalogNaming;
  readonly promptNaming: CatalogNaming | undefined;
  readonly onIssue?: (issue: NamingIssue) => void;
  /** How a member's tool reads on this endpoint apart from its name (the aggregate's view URIs, see namespace). */
  readonly toolOut?: (member: Member, tool: Tool) => Tool;
  /** Exposure `accounts`: a tool every account of a server publishes alike is shown once (see collapseAccounts). */
  readonly accounts?: boolean;
}

/** In an aggregate one failing instance must not hide the others; an instance relay reports it. */
export function tolerant<T>(aggregate: boolean, list: Promise<readonly T[]>): Promise<readonly T[]> {
  return aggregate ? list.catch(() => []) : list;
}

export class ViewCache {
  private tools: ToolCatalog | undefined;
  private toolsPending: Promise<ToolCatalog> | undefined;
  /** The last tool catalog that landed; kept while the next one is built. */
  private latest: ToolCatalog | undefined;
  private prompts: Promise<PromptCatalog> | undefined;
  private generation = 0;
  private closed = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: ViewCacheOptions) {}

  /** The tool catalog if one is built and current, without waiting. */
  currentTools(): ToolCatalog | undefined {
    return this.tools;
  }

  /** The last tool catalog built, even if a change since is being listed. */
  latestTools(): ToolCatalog | undefined {
    return this.latest;
  }

  /** Called each time a tool catalog lands. */
  onToolsChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  toolView(): Promise<ToolCatalog> {
    if (this.toolsPending !== undefined) return this.toolsPending;
    const { aggregate, members, toolNaming, onIssue, toolOut } = this.options;
    const generation = this.generation;
    const toolsOf = async (member: Member): Promise<readonly Tool[] | undefined> => {
      const tools = await (aggregate ? member.tools().catch(() => undefined) : member.tools());
      return toolOut === undefined || tools === undefined ? tools : tools.map((tool) => toolOut(member, tool));
    };
    const pending = build(members, toolsOf, toolNaming, aggregate, true, this.options.accounts === true ? collapseAccounts : undefined, pinsOf);
    this.toolsPending = pending;
    pending.then(
      (catalog) => {
        if (generation !== this.generation || this.closed) return;
        this.tools = catalog;
        this.latest = catalog;
        for (const issue of catalog.issues) onIssue?.(issue);
        for (const listener of [...this.listeners]) listener();
      },
      () => {
        if (this.toolsPending === pending) this.toolsPending = undefined;
      },
    );
    return pending;
  }

  /** Builds the tool catalog now; a failure waits for the next client to list (and see it). */
  refreshTools(): void {
    if (this.closed) return;
    this.toolView().catch(() => undefined);
  }

  promptView(): Promise<PromptCatalog> {
    if (this.prompts !== undefined) return this.prompts;
    const { aggregate, members, promptNaming } = this.options;
    const pending = build(members, (member) => tolerant(aggregate, member.prompts()), promptNaming, aggregate, false);
    this.prompts = pending;
    pending.catch(() => {
      if (this.prompts === pending) this.prompts = undefined;
    });
    return pending;
  }

  invalidate(): void {
    this.invalidateTools();
    this.invalidatePrompts();
  }

  invalidateTools(): void {
    this.generation++;
    this.tools = undefined;
    this.toolsPending = undefined;
  }

  invalidatePrompts(): void {
    this.prompts = undefined;
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
  }
}

/**
 * `tools.pin`: the approved digests of a pinned member, recording its list on the way (the
 * first list is approved, later differences wait for an accept). A list not known yet has
 * nothing to check; a pin record that cannot be read fails the list (closed, never open).
 */
async function pinsOf(member: Member, tools: readonly Tool[] | undefined): Promise<ReadonlyMap<string, string> | undefined> {
  if (member.pins === undefined) return undefined;
  if (tools === undefined) return new Map();
  return member.pins.check(tools);
}

async function build<T extends CatalogItem>(
  members: readonly Member[],
  itemsOf: (member: Member) => Promise<readonly T[] | undefined>,
  naming: CatalogNaming | undefined,
  aggregate: boolean,
  /** `tools.allow` / `tools.deny` are about tools; prompts are not filtered. */
  filtered: boolean,
  /** Exposure `accounts`: applied to the catalog with the same members (tools only). */
  collapse?: (catalog: Catalog<T, Member>, members: readonly AccountMember<T, Member>[]) => Catalog<T, Member>,
  approvedOf?: (member: Member, items: readonly T[] | undefined) => Promise<ReadonlyMap<string, string> | undefined>,
): Promise<Catalog<T, Member>> {
  const lists = await Promise.all(members.map(itemsOf));
  const approved = approvedOf === undefined ? [] : await Promise.all(members.map((member, index) => approvedOf(member, lists[index])));
  const inputs = members.map((member, index) => ({
    owner: member,
    key: member.key,
    note: member.note,
    ...(filtered && { filter: member.filter, describe: member.describe }),
    ...(approved[index] !== undefined && { pins: approved[index] }),
    items: lists[index],
    // An aggregate leaves out instances that are down; an instance keeps listing its last tools.
    listed: !aggregate || member.isUp(),
    group: member.group,
    label: member.label,
    isDefault: member.isDefault,
  }));
  const catalog = buildCatalog(inputs, naming);
  return collapse === undefined ? catalog : collapse(catalog, inputs);
}

