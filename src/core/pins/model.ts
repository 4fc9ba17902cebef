/**
 * Pinned tool definitions (issue 17, `tools.pin`): what was approved of an instance's tools
 * and what it lists now that was not. A tool's description is an injection path: a
 * definition that changes after it was approved is the attack, so it stays hidden until
 * the user accepts it.
 */
import type { PinnableTool, ToolDefinition } from './digest';

export interface PinnedDefinition {
  readonly digest: string;
  readonly definition: ToolDefinition;
}

/** The content of `pins.json`. */
export interface PinsRecord {
  readonly version: 1;
  /** Tool name → the definition the user approved (the first list, or an accepted one). */
  readonly approved: Readonly<Record<string, PinnedDefinition>>;
  /**
   * Tool name → the definition the upstream lists now that is not the approved one: a
   * changed tool, or a tool that was not in the first list. What `accept` approves.
   */
  readonly pending: Readonly<Record<string, PinnedDefinition>>;
}

export interface PinDisposable {
  dispose(): void;
}

/** What a relay needs of an instance's pins; `PinStore` is the one implementation. */
export interface PinBook {
  /**
   * The approved digests, given the upstream's current list: the first list ever seen is
   * approved whole; later definitions that differ are recorded as pending (never approved).
   */
  check(tools: readonly PinnableTool[]): Promise<ReadonlyMap<string, string>>;
  /** Called when the record changes outside the relay (an accept from the CLI or the tree). */
  onChange(listener: () => void): PinDisposable;
  dispose(): void;
}
