/** Upstreams: connecting (stdio, Streamable HTTP, SSE), their processes, and the supervisor that keeps them running. */
export { Supervisor, describeSupervisorEvent, type SupervisorEvent, type SupervisorOptions } from './supervisor';
export { connectUpstream, type ConnectOptions, type UpstreamConnection, type RemoteAuth } from './connect';
