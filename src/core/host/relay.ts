/**
 * What a host serves: the relay contract is the relay team's (`src/core/mux/relay.ts`);
 * the host imports it from here so its files name one local module.
 */
export type { Relay, RelaySession } from '../mux/relay';
