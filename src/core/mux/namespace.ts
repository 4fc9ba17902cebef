/**
 * How resource URIs and task ids look to the client. An instance relay shows them as the
 * upstream made them; an aggregate, where instances meet, carries the instance in them
 * reversibly (`mcplex://work/<uri>`, `work:<taskId>`).
 */
import { namespaceUri, parseNamespacedUri } from '../naming';
import type { Member } from './member';

export interface Located {
  readonly member: Member;
  /** The upstream's own URI or task id. */
  readonly id: string;
}

export interface Namespace {
  uriOut(member: Member, uri: string): string;
  uriIn(uri: string): Located | undefined;
  taskIdOut(member: Member, taskId: string): string;
  taskIdIn(taskId: string): Located | undefined;
}

export function identityNamespace(member: Member): Namespace {
  return {
    uriOut: (_member, uri) => uri,
    uriIn: (uri) => ({ member, id: uri }),
    taskIdOut: (_member, taskId) => taskId,
    taskIdIn: (taskId) => ({ member, id: taskId }),
  };
}

// Instance keys match PREFIX_PATTERN, which has no ':', so the first ':' ends the key.
const TASK_SEPARATOR = ':';

export function aggregateNamespace(members: ReadonlyMap<string, Member>): Namespace {
  return {
    uriOut: (member, uri) => namespaceUri(member.key, uri),
    uriIn(uri) {
      const parsed = parseNamespacedUri(uri);
      const member = parsed === undefined ? undefined : members.get(parsed.prefix);
      return member === undefined || parsed === undefined ? undefined : { member, id: parsed.uri };
    },
    taskIdOut: (member, taskId) => `${member.key}${TASK_SEPARATOR}${taskId}`,
    taskIdIn(taskId) {
      const at = taskId.indexOf(TASK_SEPARATOR);
      const member = at < 0 ? undefined : members.get(taskId.slice(0, at));
      return member === undefined ? undefined : { member, id: taskId.slice(at + 1) };
    },
  };
}
