/**
 * The engine: planned instances in, supervised upstreams and their relays out, for the
 * VS Code window and the CLI alike. What differs between them (the host, the credentials,
 * each folder's exposure) is passed in.
 */
export { Engine, type EngineFolder, type EngineInput, type EngineOptions } from './engine';
export { exposePlan, narrowPlan, type ExposedPlan } from './exposePlan';
export { accountsDefinitionId, aggregateDefinitionId, aggregateShapes, endpointOf, exposureOf, instancePath, sharesFolderEndpoint, type AggregateShape, type EndpointLayout, type Exposure } from './exposure';
export { buildRelay, type RelayHost, type RelayMember, type RelayNaming, type RelaySpec } from './relays';
export { connectOnlyCredentials, type CredentialFactory, type CredentialRequest, type InstanceCredentials } from './credentials';
export { InstanceRunner, type RunnableInstance } from './instanceRunner';
export type { FolderAggregate } from './folderAggregate';
export { isRunnable, selectRunnable, type Changes, type Runnable } from './reconcile';
export { INITIAL_STATE, next, eventAddsDetail, type InstanceEvent } from './instanceState';
export type { FolderOptions, InstanceState, ToolView } from './model';
