/**
 * Parity: the same assertions (test/helpers/parityCases.ts) against
 * `@modelcontextprotocol/server-everything` directly and through mcplex in every host mode
 * (test/helpers/parityTargets.ts): the instance relay and the aggregate in process over
 * memory, loopback HTTP with a token, a unix socket and stdio streams; and the built CLI,
 * `mcplex wrap` over stdio and `mcplex serve --http` with two instances. Needs `npm run build`.
 *
 * Targets run side by side (each has its own upstream processes); the cases of one target
 * run in order, since they share its client and its upstream's toggles.
 */
import { after, before, describe, test } from 'node:test';
import { PARITY_CASES } from '../helpers/parityCases';
import type { ParityTarget } from '../helpers/parityTarget';
import { PARITY_TARGETS } from '../helpers/parityTargets';

describe('parity with server-everything', { concurrency: true }, () => {
  for (const [name, reach] of PARITY_TARGETS) {
    describe(name, { concurrency: 1, timeout: 60_000 }, () => {
      let target: ParityTarget | undefined;
      before(async () => {
        target = await reach();
      });
      after(async () => {
        await target?.close();
      });
      for (const parityCase of PARITY_CASES) {
        test(parityCase.name, async () => {
          if (target === undefined) throw new Error(`${name} did not start`);
          await parityCase.run(target);
        });
      }
    });
  }
});
