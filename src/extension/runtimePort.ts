/**
 * The part of the core's `WindowRuntime` the extension calls. Adapters depend on this
 * slice, not on the class, so unit tests hand them a small fake runtime.
 */
import type { WindowRuntime } from '../core/runtime';

export type RuntimePort = Pick<
  WindowRuntime,
  'update' | 'definitions' | 'ensureRunning' | 'instances' | 'brokenConfigs' | 'onDidChange' | 'start' | 'stop' | 'restart' | 'restartAll' | 'close' | 'signIn' | 'signOut' | 'labelOf'
>;
