/**
 * What the relay answers to each client request, chosen by the capabilities it announced.
 * Requests are routed by exposed name (tools, prompts), namespaced URI (resources) or task
 * id; whatever the relay does not need to rename passes through untouched.
 */
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ErrorCode, RELATED_TASK_META_KEY, type Result, type ServerCapabilities, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { appendNote } from '../naming';
import { answeredBy, chooseAccount, type AccountCall } from './accountCall';
import { audited } from './callAudit';
import { RelayError } from './errors';
import { renameLinks } from './resultLinks';
import { listAll, type Member, type SessionLike } from './member';
import type { Located, Namespace } from './namespace';
import { routeTool, upstreamParams, type ToolRoutes } from './toolRoutes';
import type { MemberRoute, PromptCatalog } from './viewCache';
import type { Params } from '../wire';

export type ServerExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;
export type Handler = (params: Params, extra: ServerExtra, session: SessionLike) => Promise<Result>;

export interface HandlerContext extends ToolRoutes {
  readonly aggregate: boolean;
  readonly ns: Namespace;
  readonly taskOwners: Map<string, SessionLike>;
  /** The client's namespaced URIs in a request's params, back to the member's (the aggregate; see linksIn). */
  readonly linksIn: ((member: Member, params: Params) => Params) | undefined;
  promptView(): Promise<PromptCatalog>;
  listed(capability: keyof ServerCapabilities): Member[];
  tolerant<T>(list: Promise<readonly T[]>): Promise<readonly T[]>;
  forward(member: Member, session: SessionLike, extra: ServerExtra, method: string, params: Params): Promise<Result>;
  /** Asks the user about a call to a tool under tools.confirm: `undefined` to go ahead, else the declined result. */
  approve(route: MemberRoute, params: Params, session: SessionLike, extra: ServerExtra): Promise<Result | undefined>;
  subscribe(member: Member, session: SessionLike, extra: ServerExtra, params: Params, uri: string): Promise<Result>;
  unsubscribe(member: Member, session: SessionLike, extra: ServerExtra, params: Params, uri: string): Promise<Result>;
  setLogLevel(session: SessionLike, extra: ServerExtra, params: Params): Promise<Result>;
}

export function createHandlers(context: HandlerContext, capabilities: ServerCapabilities): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  if (capabilities.tools !== undefined) {
    handlers.set('tools/list', async () => ({ tools: (await context.toolView()).exposed }));
    handlers.set('tools/call', (params, extra, session) => callTool(context, params, extra, session));
  }
  if (capabilities.prompts !== undefined) {
    handlers.set('prompts/list', async () => ({ prompts: (await context.promptView()).exposed }));
    handlers.set('prompts/get', async (params, extra, session) => {
      const route = await promptRoute(context, params['name']);
      const inbound = context.linksIn?.(route.member, params) ?? params;
      const result = await context.forward(route.member, session, extra, 'prompts/get', { ...inbound, name: route.upstreamName });
      return context.aggregate ? renameLinks(context.ns, route.member, result) : result;
    });
  }
  if (capabilities.resources !== undefined) {
    handlers.set('resources/list', () => listResources(context, 'resources/list', 'resources', 'uri'));
    handlers.set('resources/templates/list', () => listResources(context, 'resources/templates/list', 'resourceTemplates', 'uriTemplate'));
    handlers.set('resources/read', async (params, extra, session) => {
      const { member, id } = locateUri(context, params['uri']);
      const result = await context.forward(member, session, extra, 'resources/read', { ...params, uri: id });
      return context.aggregate ? renameContents(context, member, result) : result;
    });
    if (capabilities.resources.subscribe === true) {
      handlers.set('resources/subscribe', (params, extra, session) => {
        const { member, id } = locateUri(context, params['uri']);
        return context.subscribe(member, session, extra, params, id);
      });
      handlers.set('resources/unsubscribe', (params, extra, session) => {
        const { member, id } = locateUri(context, params['uri']);
        return context.unsubscribe(member, session, extra, params, id);
      });
    }
  }
  if (capabilities.completions !== undefined) {
    handlers.set('completion/complete', (params, extra, session) => complete(context, params, extra, session));
  }
  if (capabilities.logging !== undefined) {
    handlers.set('logging/setLevel', (params, extra, session) => context.setLogLevel(session, extra, params));
  }
  if (capabilities.tasks !== undefined) {
    for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel']) {
      handlers.set(method, async (params, extra, session) => {
        const { member, id } = locateTask(context, params['taskId']);
        const result = await context.forward(member, session, extra, method, { ...params, taskId: id });
        // `tasks/result` is the tool's result: its links are renamed as a call's are.
        return context.aggregate ? renameTask(context, member, renameLinks(context.ns, member, result)) : result;
      });
    }
    handlers.set('tasks/list', (params, extra, session) => listTasks(context, params, extra, session));
  }
  return handlers;
}

/** The long way of the hot path (see fastPath): the same route lookup, the same call through `forward`. */
export async function callTool(context: HandlerContext, params: Params, extra: ServerExtra, session: SessionLike): Promise<Result> {
  const chosen = await accountCall(context, params);
  const route = chosen?.route ?? (await routeTool(context, params['name']));
  const request = chosen?.params ?? params;
  const inbound = context.linksIn?.(route.member, request) ?? request;
  const upstream = upstreamParams(inbound, route);
  const { member } = route;
  // Recorded outermost, so a call the user declines (tools.confirm) is in the trail too.
  const forwarded = await audited(member.audit, member.key, route.upstreamName, upstream['arguments'], async () => {
    // tools.confirm: a declined call is answered here and never reaches the upstream.
    const declined = member.needsApproval(route.upstreamName) ? await context.approve(route, request, session, extra) : undefined;
    return declined ?? context.forward(member, session, extra, 'tools/call', upstream);
  });
  const renamed = context.aggregate ? renameLinks(context.ns, route.member, forwarded) : forwarded;
  const result = chosen === undefined ? renamed : answeredBy(renamed, chosen.account);
  // A task-augmented call answers with the task it created: remember whose it is.
  const task = result['task'] as { taskId?: unknown } | undefined;
  if (task === undefined || typeof task.taskId !== 'string') return result;
  const taskId = context.ns.taskIdOut(route.member, task.taskId);
  context.taskOwners.set(taskId, session);
  return taskId === task.taskId ? result : { ...result, task: { ...task, taskId } };
}

/** A call of a tool shown once for several accounts (exposure `accounts`), or `undefined` for any other. */
async function accountCall(context: HandlerContext, params: Params): Promise<AccountCall | undefined> {
  const name = params['name'];
  if (typeof name !== 'string') return undefined;
  const accounts = (context.currentTools() ?? (await context.toolView())).accounts;
  const route = accounts?.get(name);
  return route === undefined ? undefined : chooseAccount(name, route, params);
}

async function promptRoute(context: HandlerContext, name: unknown): Promise<MemberRoute> {
  const route = typeof name === 'string' ? (await context.promptView()).routes.get(name) : undefined;
  if (route === undefined) throw new RelayError('unknown-prompt', `Unknown prompt "${String(name)}": list the prompts again.`, ErrorCode.InvalidParams);
  return route;
}

function locateUri(context: HandlerContext, uri: unknown): Located {
  const located = typeof uri === 'string' ? context.ns.uriIn(uri) : undefined;
  if (located === undefined) {
    throw new RelayError('unknown-resource', `Unknown resource "${String(uri)}": use a URI from resources/list or a resource template of this endpoint.`, ErrorCode.InvalidParams);
  }
  return located;
}

function locateTask(context: HandlerContext, taskId: unknown): Located {
  const located = typeof taskId === 'string' ? context.ns.taskIdIn(taskId) : undefined;
  if (located === undefined) throw new RelayError('unknown-task', `Unknown task "${String(taskId)}": use a task id this endpoint returned.`, ErrorCode.InvalidParams);
  return located;
}

async function listResources(context: HandlerContext, method: string, field: string, uriField: string): Promise<Result> {
  const lists = await Promise.all(
    context.listed('resources').map(async (member) => {
      const items = await context.tolerant(listAll(member.client(method), method, field));
      return items.map((item) => {
        const resource = item as Record<string, unknown> & { description?: string };
        const uri = resource[uriField];
        return {
          ...resource,
          ...(typeof uri === 'string' && { [uriField]: context.ns.uriOut(member, uri) }),
          description: appendNote(resource.description, member.note),
        };
      });
    }),
  );
  return { [field]: lists.flat() };
}

function renameContents(context: HandlerContext, member: Member, result: Result): Result {
  const contents = result['contents'];
  if (!Array.isArray(contents)) return result;
  return {
    ...result,
    contents: contents.map((content: Record<string, unknown>) =>
      typeof content['uri'] === 'string' ? { ...content, uri: context.ns.uriOut(member, content['uri']) } : content,
    ),
  };
}

async function complete(context: HandlerContext, params: Params, extra: ServerExtra, session: SessionLike): Promise<Result> {
  const ref = (params['ref'] ?? {}) as Record<string, unknown>;
  if (ref['type'] === 'ref/prompt') {
    const route = await promptRoute(context, ref['name']);
    return context.forward(route.member, session, extra, 'completion/complete', { ...params, ref: { ...ref, name: route.upstreamName } });
  }
  const { member, id } = locateUri(context, ref['uri']);
  return context.forward(member, session, extra, 'completion/complete', { ...params, ref: { ...ref, uri: id } });
}

/** A task result carries its task id in `taskId` (get, cancel) and in related-task `_meta` (result). */
function renameTask(context: HandlerContext, member: Member, result: Result): Result {
  let renamed: Result = result;
  if (typeof result['taskId'] === 'string') renamed = { ...renamed, taskId: context.ns.taskIdOut(member, result['taskId']) };
  const related = result._meta?.[RELATED_TASK_META_KEY] as { taskId?: unknown } | undefined;
  if (related !== undefined && typeof related.taskId === 'string') {
    renamed = { ...renamed, _meta: { ...result._meta, [RELATED_TASK_META_KEY]: { ...related, taskId: context.ns.taskIdOut(member, related.taskId) } } };
  }
  return renamed;
}

async function listTasks(context: HandlerContext, params: Params, extra: ServerExtra, session: SessionLike): Promise<Result> {
  const members = context.listed('tasks').filter((member) => member.capabilities()?.tasks?.list !== undefined);
  if (!context.aggregate) {
    const member = members[0];
    if (member === undefined) throw new RelayError('method-not-found', 'This instance does not list tasks.', ErrorCode.MethodNotFound);
    return context.forward(member, session, extra, 'tasks/list', params);
  }
  const lists = await Promise.all(
    members.map(async (member) => {
      const tasks = await context.tolerant(listAll(member.client('tasks/list'), 'tasks/list', 'tasks'));
      return tasks.map((task) => {
        const entry = task as Record<string, unknown>;
        return typeof entry['taskId'] === 'string' ? { ...entry, taskId: context.ns.taskIdOut(member, entry['taskId']) } : entry;
      });
    }),
  );
  return { tasks: lists.flat() };
}
