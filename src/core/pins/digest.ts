/**
 * What a pinned tool definition is: everything the model reads of a tool apart from its
 * name — description, input and output schemas, annotations — hashed over canonical JSON
 * (key order never matters), so a re-ordered schema is not "changed" but one changed word is.
 * Pure; the catalog compares digests, the store keeps them.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../plan';

/** A tool as an upstream lists it; only these fields are pinned. */
export interface PinnableTool {
  readonly name: string;
  readonly description?: unknown;
  readonly inputSchema?: unknown;
  readonly outputSchema?: unknown;
  readonly annotations?: unknown;
}

/** The pinned part of a tool, kept as text in pins.json so a change can be shown. */
export interface ToolDefinition {
  readonly description?: unknown;
  readonly inputSchema?: unknown;
  readonly outputSchema?: unknown;
  readonly annotations?: unknown;
}

export function definitionOf(tool: PinnableTool): ToolDefinition {
  const { description, inputSchema, outputSchema, annotations } = tool;
  return {
    ...(description !== undefined && { description }),
    ...(inputSchema !== undefined && { inputSchema }),
    ...(outputSchema !== undefined && { outputSchema }),
    ...(annotations !== undefined && { annotations }),
  };
}

/** 64 hex digits of sha256 over the definition's canonical JSON. */
export function toolDigest(tool: PinnableTool): string {
  return createHash('sha256').update(canonicalJson(definitionOf(tool))).digest('hex');
}
