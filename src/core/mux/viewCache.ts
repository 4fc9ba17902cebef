/**
 * The relay's cached tool and prompt views, built on demand and dropped when a member's
 * list or state changes. A build that started before a change never lands in the cache
 * (the generation check), so a client never gets a list older than the change it heard of.
 */
import type { Prompt, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { NamingIssue } from '../naming';
import { buildView, type View } from './catalog';
import type { Member } from './member';

export interface ViewCacheOptions {
  readonly aggregate: boolean;
  readonly members: readonly Member[];
  readonly toolNaming: { readonly separator: string; readonly prefixed: boolean };
  readonly promptNaming: { readonly separator: string; readonly prefixed: boolean } | undefined;
  readonly onIssue?: (issue: NamingIssue) => void;
}

/** In an aggregate one failing instance must not hide the others; an instance relay reports it. */
export function tolerant<T>(aggregate: boolean, list: Promise<readonly T[]>): Promise<readonly T[]> {
  return aggregate ? list.catch(() => []) : list;
}

export class ViewCache {
  private tools: View<Tool> | undefined;
  private toolsPending: Promise<View<Tool>> | undefined;
  private prompts: Promise<View<Prompt>> | undefined;
  private generation = 0;

  constructor(private readonly options: ViewCacheOptions) {}

  /** The tool view if one is built, without waiting. */
  currentTools(): View<Tool> | undefined {
    return this.tools;
  }

  toolView(): Promise<View<Tool>> {
    if (this.toolsPending !== undefined) return this.toolsPending;
    const { aggregate, members, toolNaming, onIssue } = this.options;
    const generation = this.generation;
    const pending = buildView(members, (member) => tolerant(aggregate, member.tools()), {
      naming: toolNaming,
      listDown: !aggregate,
    });
    this.toolsPending = pending;
    pending.then(
      (view) => {
        if (generation !== this.generation) return;
        this.tools = view;
        for (const issue of view.issues) onIssue?.(issue);
      },
      () => {
        if (this.toolsPending === pending) this.toolsPending = undefined;
      },
    );
    return pending;
  }

  promptView(): Promise<View<Prompt>> {
    if (this.prompts !== undefined) return this.prompts;
    const { aggregate, members, promptNaming } = this.options;
    const pending = buildView(members, (member) => tolerant(aggregate, member.prompts()), {
      naming: promptNaming,
      listDown: !aggregate,
    });
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
}
