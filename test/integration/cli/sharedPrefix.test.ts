// Two instances with one prefix: `mcplex serve` of a whole file puts every instance behind one
// endpoint whatever the file's `exposure` says (`instances` included: a VS Code layout), so
// check, serve and list all refuse the second with its position; one served alone
// (`serve --instance`) has no one to clash with, whatever the file's exposure.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runMcplex, stdioClient } from '../../helpers/cli';

const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((part) => part.text ?? '').join('\n');
}

describe('instances that share a prefix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-shared-prefix-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Two servers, each with an instance `work` (prefix "work"), under a top-level `exposure`; notes2's on line 5. */
  function configOf(exposure: string): { path: string; place: string } {
    const path = join(dir, `${exposure}.jsonc`);
    const server = (account: string): string => JSON.stringify({ command: process.execPath, args: [NOTES], instances: { work: { env: { ACCOUNT: account } } } });
    const line5 = `    "notes2": ${server('personal')}`;
    writeFileSync(path, `{\n  "exposure": "${exposure}",\n  "servers": {\n    "notes": ${server('work')},\n${line5}\n  }\n}\n`);
    return { path, place: `${path}:5:${line5.indexOf('"work"') + 1}` };
  }

  for (const exposure of ['instances', 'aggregate']) {
    it(`exposure "${exposure}": check, serve and list give one verdict, the second instance's place, and how to serve it`, async () => {
      const { path, place } = configOf(exposure);
      const check = await runMcplex(['check', '--config', path]);
      const serve = await runMcplex(['serve', '--config', path], { timeoutMs: 20_000 });
      const list = await runMcplex(['list', '--config', path, '--json'], { timeoutMs: 20_000 });
      for (const [command, result, output] of [['check', check, check.stdout], ['serve', serve, serve.stderr], ['list', list, list.stderr]] as const) {
        assert.equal(result.code, 1, `${command}: ${result.stderr}`);
        assert.ok(output.includes(`${place}: Instance "notes2/work" has the prefix "work" of "notes/work"`), `${command} names the place:\n${output}`);
        assert.match(output, /mcplex serve --instance ID/, `${command} says how to serve it alone`);
      }
      assert.match(serve.stderr, /not serving a configuration with errors/);
      // list shows what serve would serve: the first "work" alone, never two accounts under one prefix.
      assert.deepEqual([...new Set((JSON.parse(list.stdout) as { instance: string }[]).map((tool) => tool.instance))], ['notes/work']);
    });

    it(`exposure "${exposure}": each instance is served alone with --instance, its own account behind it`, async () => {
      const { path } = configOf(exposure);
      for (const [instance, note] of [['notes/work', /Standup/], ['notes2/work', /Groceries/]] as const) {
        const client = await stdioClient(['serve', '--config', path, '--instance', instance]);
        try {
          assert.match(textOf(await client.callTool({ name: 'work__list_notes', arguments: {} })), note, instance);
        } finally {
          await client.close();
        }
      }
    });
  }
});
