/** What the runtime is fed from VS Code: folders and their files, settings, trust, and the sync that turns their changes into updates. */
export { ConfigFiles } from './configFiles';
export { InputWatcher } from './inputWatcher';
export { RuntimeSync } from './runtimeSync';
export { registerSchemaDocument } from './schemaDocument';
export { readMaxMessageBytes, readStartup, SETTINGS_SECTION, type Startup } from './settings';
export { WorkspaceTrustGate, MANAGE_TRUST_COMMAND } from './trust';
export { type Timers, Debouncer, realTimers } from './debounce';
export { readWorkspaceInputs } from './workspaceInputs';
