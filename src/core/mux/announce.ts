/**
 * What a relay announces to a client at initialize: capabilities (the upstream's, or in
 * an aggregate the union of its instances', no more) and instructions.
 */
import { mergeCapabilities } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ErrorCode, type ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { RelayError } from './errors';
import type { Member } from './member';

export function announcedCapabilities(members: readonly Member[], aggregate: boolean): ServerCapabilities {
  if (!aggregate) {
    const member = members[0];
    const capabilities = member?.capabilities();
    if (member === undefined || capabilities === undefined) {
      throw new RelayError('instance-down', `Instance "${member?.key}" cannot serve: ${member?.whyDown()}.`, ErrorCode.InternalError, member?.key);
    }
    return capabilities;
  }
  let merged: ServerCapabilities = {};
  for (const member of members) merged = mergeCapabilities(merged, member.capabilities() ?? {});
  // Instances come and go under one endpoint: the tool list changes with them.
  return mergeCapabilities(merged, { tools: { listChanged: true } });
}

/** An instance relay passes its upstream's on; an aggregate names each instance's, and the ones down. */
export function announcedInstructions(members: readonly Member[], aggregate: boolean): string | undefined {
  if (!aggregate) return members[0]?.instructions();
  const lines: string[] = [];
  for (const member of members) {
    const text = member.instructions();
    if (member.isUp() && text !== undefined && text.trim() !== '') lines.push(`Instance "${member.key}" (${member.label}): ${text.trim()}`);
    if (!member.isUp()) lines.push(`Instance "${member.key}" (${member.label}) is unavailable: ${member.whyDown()}.`);
  }
  return lines.length === 0 ? undefined : lines.join('\n\n');
}
