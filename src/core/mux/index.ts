/** The relay: one upstream or many behind one MCP endpoint, the whole protocol through. */
export { hasClientSessions, type CatalogSource, type ClientSessions, type ClientSource, type Relay, type RelaySession } from './relay';
export { createInstanceRelay, DEFAULT_CLIENT_REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, type InstanceRelay, type InstanceRelayOptions } from './instanceRelay';
export { createAggregateRelay, type AggregateMemberOptions, type AggregateRelay, type AggregateRelayOptions } from './aggregateRelay';
export {
  connectedUpstream,
  withKey,
  type Disposable,
  type UpstreamConnection,
  type UpstreamSource,
  type UpstreamState,
} from './upstreamSource';
export { capabilitiesBeyond, coversCapabilities, forOneClient, forSession, initializeCapabilities, unionCapabilities, MCP_APP_MIME_TYPE, MCP_APPS_EXTENSION, RELAY_CLIENT_CAPABILITIES, relayClientCapabilities, VSCODE_CLIENT_CAPABILITIES } from './clientCapabilities';
export { RelayError, WireError, type RelayErrorCode } from './errors';
export { DECLINED_META_KEY, describeArguments, type ApprovalAnswer, type ApprovalRequest, type CallApproval } from './callApproval';
export { outcomeOf, type CallAudit } from './callAudit';
