/** Pinned tool definitions (`tools.pin`): digests (pure) and the record on disk (`pins.json`). */
export { definitionOf, toolDigest, type PinnableTool, type ToolDefinition } from './digest';
export type { PinBook, PinDisposable, PinnedDefinition, PinsRecord } from './model';
export { PinStore, PinsFileError, PINS_FILE } from './pinStore';
