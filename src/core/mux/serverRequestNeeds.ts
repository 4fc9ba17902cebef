/**
 * Which client can serve an upstream's request to its client, and how a client that cannot
 * answers it. A relay that finds no such session answers at once, the way the SDK's
 * `Client` without the capability does: MethodNotFound for a method it has no handler for
 * (sampling, elicitation, roots, tasks), InvalidParams for an elicitation mode it does not
 * support ("Client does not support URL-mode elicitation requests").
 */
import { ErrorCode, type ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { Params } from '../wire';

export interface Need {
  /** The capability named in the refusal, e.g. `elicitation`. */
  readonly capability: string;
  readonly supports: (capabilities: ClientCapabilities | undefined) => boolean;
  /**
   * How a client with the base capability but not this need refuses (an elicitation mode),
   * tried when no session supports the need; absent: such a client has no handler at all.
   */
  readonly partly?: { readonly supports: (capabilities: ClientCapabilities | undefined) => boolean; readonly code: number; readonly message: string };
}

/** `undefined`: any client can answer (ping, a method the relay knows nothing of). */
export function needOf(method: string, params: Params): Need | undefined {
  const task = params['task'] !== undefined;
  switch (method) {
    case 'sampling/createMessage':
      return task ? taskAugmented('sampling', (c) => c?.tasks?.requests?.sampling?.createMessage !== undefined) : base('sampling');
    case 'elicitation/create':
      return elicitation(params['mode'] === 'url' ? 'url' : 'form', task);
    case 'roots/list':
      return base('roots');
    case 'tasks/list':
      return { capability: 'tasks.list', supports: (c) => c?.tasks?.list !== undefined };
    case 'tasks/cancel':
      return { capability: 'tasks.cancel', supports: (c) => c?.tasks?.cancel !== undefined };
    case 'tasks/get':
    case 'tasks/result':
      return base('tasks');
    default:
      return undefined;
  }
}

function base(capability: 'sampling' | 'elicitation' | 'roots' | 'tasks'): Need {
  return { capability, supports: (c) => c?.[capability] !== undefined };
}

function taskAugmented(capability: string, supports: Need['supports']): Need {
  return { capability: `tasks for ${capability}`, supports };
}

/** An empty `elicitation: {}` is form mode (the spec's backwards compatibility, as the SDK reads it). */
function supportsMode(capabilities: ClientCapabilities | undefined, mode: 'form' | 'url'): boolean {
  const elicitation = capabilities?.elicitation;
  if (elicitation === undefined) return false;
  const declared = elicitation.form !== undefined || elicitation.url !== undefined;
  return mode === 'form' ? elicitation.form !== undefined || !declared : elicitation.url !== undefined;
}

function elicitation(mode: 'form' | 'url', task: boolean): Need {
  const supports: Need['supports'] = (c) => supportsMode(c, mode) && (!task || c?.tasks?.requests?.elicitation?.create !== undefined);
  return {
    capability: `elicitation (${mode} mode)`,
    supports,
    partly: {
      supports: (c) => c?.elicitation !== undefined,
      code: ErrorCode.InvalidParams,
      message: `Client does not support ${mode === 'url' ? 'URL' : 'form'}-mode elicitation requests`,
    },
  };
}
