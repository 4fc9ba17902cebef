// The audit around real calls through a relay: the `hang` fixture under a supervisor, a
// short request timeout, and the calls' outcomes as the trail records them (timed-out is
// told from other errors by the relay's typed error, not by its wording).
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InstanceAudit, readTrail } from '../../../../src/core/audit';
import { createAggregateRelay, createInstanceRelay, RELAY_CLIENT_CAPABILITIES } from '../../../../src/core/mux';
import { createSupervisor } from '../../../../src/core/upstream/supervisor';
import { fixtureSpec } from '../../../fixtures/servers';
import { clientOf, eventually } from '../../../helpers/muxHarness';

const dir = mkdtempSync(join(tmpdir(), 'mcplex-call-audit-'));
const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
  rmSync(dir, { recursive: true, force: true });
});

for (const kind of ['instance', 'aggregate'] as const) {
  describe(`a ${kind} relay with an audit`, () => {
    it('records ok, timed-out and error calls with their upstream names', async () => {
      const records = join(dir, kind);
      const audit = new InstanceAudit({ instance: 'hang/work', dir: records, settings: { enabled: true, arguments: true, required: false } });
      const supervisor = createSupervisor([{ key: 'work', spec: fixtureSpec('hang'), label: 'Work' }], { clientCapabilities: RELAY_CLIENT_CAPABILITIES, graceMs: 300 });
      void supervisor.startAll();
      const source = supervisor.source('work');
      const requestTimeoutMs = 1500;
      const relay =
        kind === 'instance'
          ? createInstanceRelay({ source, slug: 'work', label: 'Work', prefixTools: true, requestTimeoutMs, audit })
          : createAggregateRelay({ members: [{ source, label: 'Work', audit }], requestTimeoutMs });
      closers.push(() => supervisor.close(), () => relay.close(), () => audit.close());
      const client = await clientOf(relay);
      await client.callTool({ name: 'work__echo', arguments: { text: 'hi' } });
      await assert.rejects(client.callTool({ name: 'work__hang', arguments: {} }, undefined, { timeout: 60_000 }), /did not answer tools\/call within 1500 ms/);
      // An argument the upstream refuses: its error (thrown or isError) is an error, not a timeout.
      await client.callTool({ name: 'work__echo', arguments: { text: 7 } }).catch(() => undefined);
      await eventually(() => audit.recent().length === 3, 30_000);
      await audit.flushed();
      const entries = await readTrail(records);
      assert.deepEqual(entries.map((entry) => [entry.tool, entry.outcome]), [
        ['echo', 'ok'],
        ['hang', 'timed-out'],
        ['echo', 'error'],
      ]);
      assert.deepEqual(entries[0]?.arguments, { text: 'hi' });
      assert.ok((entries[1]?.durationMs ?? 0) >= requestTimeoutMs, `timed out after ${entries[1]?.durationMs} ms`);
    });
  });
}
