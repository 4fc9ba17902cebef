/**
 * Keeps the tool views of one endpoint (an instance relay or a folder's aggregate) up to
 * date. The relay owns its upstream clients' notification handlers, so the tracker
 * hears `tools/list_changed` the way any client does: through a session of its own on
 * the relay, in memory. The lists themselves come from the upstreams, unfiltered, so
 * the tools the filter hides can be shown too.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ResultSchema, ToolListChangedNotificationSchema, type ClientRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ToolFilter } from '../config';
import type { Disposable, Relay, RelaySession, UpstreamSource } from '../mux';
import { compileToolFilter, type CompiledToolFilter } from '../naming';
import { collectPages } from '../wire';
import type { ToolView } from './model';
import { endpointToolViews, type EndpointNaming, type UpstreamTool } from './toolViews';

export interface TrackedMember {
  /** The runtime's instance id. */
  readonly id: string;
  readonly prefix: string;
  readonly source: UpstreamSource;
  readonly tools: ToolFilter;
}

interface MemberState {
  readonly member: TrackedMember;
  readonly filter: CompiledToolFilter;
  tools: readonly UpstreamTool[] | undefined;
  /** Bumped on each fetch, so a slow older answer never overwrites a newer one. */
  fetch: number;
}

export class ToolTracker {
  private readonly members: MemberState[];
  private readonly subscriptions: Disposable[] = [];
  private views = new Map<string, readonly ToolView[]>();
  private observer: { client: Client; session: Promise<RelaySession> } | undefined;
  private closed = false;

  constructor(
    private readonly relay: Relay,
    members: readonly TrackedMember[],
    private readonly naming: EndpointNaming,
    private readonly onChange: () => void,
  ) {
    this.members = members.map((member) => ({ member, filter: compileToolFilter(member.tools), tools: undefined, fetch: 0 }));
    for (const state of this.members) {
      this.subscriptions.push(state.member.source.onStateChange((upstream) => (upstream.kind === 'up' ? this.upstreamUp(state) : undefined)));
      if (state.member.source.state().kind === 'up') this.upstreamUp(state);
    }
  }

  /** The tools of instance `id` as the model sees them; undefined until first listed. */
  toolsOf(id: string): readonly ToolView[] | undefined {
    return this.views.get(id);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const subscription of this.subscriptions) subscription.dispose();
    const observer = this.observer;
    this.observer = undefined;
    if (observer !== undefined) {
      await observer.client.close().catch(() => undefined);
      await observer.session.then((session) => session.close()).catch(() => undefined);
    }
  }

  private upstreamUp(state: MemberState): void {
    this.observe();
    void this.refresh([state]);
  }

  /** A session on the relay, opened once an upstream is up (an instance relay refuses before). */
  private observe(): void {
    if (this.observer !== undefined || this.closed) return;
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'mcplex-runtime', version: '0' }, { capabilities: {} });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void this.refresh(this.members));
    const session = this.relay.connect(serverSide);
    const observer = { client, session };
    this.observer = observer;
    session.then(() => (this.closed ? undefined : client.connect(clientSide))).catch(() => {
      // The relay could not serve yet (its upstream went down again): try at the next `up`.
      if (this.observer === observer) this.observer = undefined;
    });
  }

  private async refresh(states: readonly MemberState[]): Promise<void> {
    await Promise.all(states.map((state) => this.fetch(state)));
    if (this.closed) return;
    const byPrefix = endpointToolViews(this.members.map((state) => ({ prefix: state.member.prefix, tools: state.tools, filter: state.filter })), this.naming);
    const views = new Map<string, readonly ToolView[]>();
    for (const state of this.members) {
      const list = byPrefix.get(state.member.prefix);
      if (list !== undefined) views.set(state.member.id, list);
    }
    if (sameViews(this.views, views)) return;
    this.views = views;
    this.onChange();
  }

  private async fetch(state: MemberState): Promise<void> {
    const upstream = state.member.source.state();
    if (upstream.kind !== 'up') return;
    const fetch = ++state.fetch;
    if (upstream.connection.serverCapabilities.tools === undefined) {
      state.tools = [];
      return;
    }
    const { client } = upstream.connection;
    try {
      const tools = await collectPages(async (cursor) => {
        const result = await client.request({ method: 'tools/list', params: cursor === undefined ? {} : { cursor } } as ClientRequest, ResultSchema);
        const items = Array.isArray(result['tools']) ? (result['tools'] as unknown[]) : [];
        const nextCursor = typeof result['nextCursor'] === 'string' ? result['nextCursor'] : undefined;
        return { items: items.flatMap(toUpstreamTool), nextCursor };
      });
      if (fetch === state.fetch) state.tools = tools;
    } catch {
      // The upstream went away mid-list; its next `up` lists again.
    }
  }
}

function toUpstreamTool(item: unknown): UpstreamTool[] {
  if (typeof item !== 'object' || item === null) return [];
  const { name, description } = item as Record<string, unknown>;
  if (typeof name !== 'string') return [];
  return [{ name, ...(typeof description === 'string' && { description }) }];
}

function sameViews(a: ReadonlyMap<string, readonly ToolView[]>, b: ReadonlyMap<string, readonly ToolView[]>): boolean {
  return JSON.stringify([...a]) === JSON.stringify([...b]);
}
