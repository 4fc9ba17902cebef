// Every edit the extension makes to .mcplex.jsonc, byte for byte: test/fixtures/edits/<case>/
// holds before.jsonc (absent: no file yet), edit.json (the operations) and after.jsonc.
// MCPLEX_UPDATE_GOLDEN=1 rewrites the after.jsonc files (then read the diff before committing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { parse, visit } from 'jsonc-parser';
import { addInstance, addServer, allowTool, denyTool, removeInstance, removeMcpJsonServer, setStateSettings, type LaunchFields, type ServerFields } from '../../../../src/core/edit';
import type { StateSetting } from '../../../../src/core/clones';
import { parseConfig } from '../../../../src/core/config';

const ROOT = join(__dirname, '..', '..', '..', 'fixtures', 'edits');
const UPDATE = process.env['MCPLEX_UPDATE_GOLDEN'] === '1';

type Op =
  | { op: 'addServer'; server: string; fields: ServerFields }
  | { op: 'addInstance'; server: string; instance: string; fields: LaunchFields }
  | { op: 'removeInstance'; server: string; instance: string }
  | { op: 'denyTool' | 'allowTool'; server: string; instance: string; tool: string }
  | { op: 'setStateSettings'; server: string; instance: string; settings: StateSetting[] }
  /** An edit of .vscode/mcp.json (before.jsonc holds an mcp.json): its servers are not mcplex's. */
  | { op: 'removeMcpJsonServer'; server: string };

function comments(text: string): string[] {
  const found: string[] = [];
  visit(text, { onComment: (offset, length) => void found.push(text.slice(offset, offset + length)) }, { allowTrailingComma: true });
  return found;
}

function run(text: string | undefined, op: Op): string {
  switch (op.op) {
    case 'addServer':
      return addServer(text, op.server, op.fields);
    case 'addInstance':
      return addInstance(text, op.server, op.instance, op.fields);
    case 'removeInstance':
      return removeInstance(text ?? '', op.server, op.instance);
    case 'denyTool':
      return denyTool(text ?? '', op.server, op.instance, op.tool);
    case 'allowTool':
      return allowTool(text ?? '', op.server, op.instance, op.tool, (pattern) => picomatch(pattern, { bash: true, dot: true })(op.tool));
    case 'setStateSettings':
      return setStateSettings(text ?? '', op.server, op.instance, op.settings);
    case 'removeMcpJsonServer':
      return removeMcpJsonServer(text ?? '', op.server);
  }
}

const cases = readdirSync(ROOT, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);

test('there are golden cases', () => assert.ok(cases.length >= 10));

for (const name of cases) {
  test(`golden edit: ${name}`, () => {
    const dir = join(ROOT, name);
    const beforePath = join(dir, 'before.jsonc');
    const before = existsSync(beforePath) ? readFileSync(beforePath, 'utf8') : undefined;
    const { ops } = JSON.parse(readFileSync(join(dir, 'edit.json'), 'utf8')) as { ops: Op[] };
    let text = before;
    for (const op of ops) text = run(text, op);
    const afterPath = join(dir, 'after.jsonc');
    if (UPDATE) writeFileSync(afterPath, text ?? '');
    assert.equal(text, readFileSync(afterPath, 'utf8'));
    if (ops.every((op) => op.op === 'removeMcpJsonServer')) {
      const servers = (parse(text ?? '') as { servers: Record<string, unknown> }).servers;
      for (const op of ops) assert.ok(!(op.server in servers), `${op.server} is gone`);
      const removed = (parse(before ?? '') as { servers: Record<string, unknown> }).servers;
      assert.deepEqual(Object.keys(servers), Object.keys(removed).filter((name) => !ops.some((op) => op.server === name)));
      return;
    }
    // The result is still a valid configuration, and the edit changed the data as asked.
    const parsed = parseConfig(text ?? '', 'after.jsonc', { checkRunnable: false });
    assert.deepEqual(parsed.problems.filter((problem) => problem.severity === 'error'), []);
    const data = parse(text ?? '') as { servers: Record<string, { args?: string[]; instances: Record<string, { tools?: { deny?: string[] }; env?: Record<string, string>; args?: string[] }> }> };
    for (const op of ops) {
      const instances = data.servers[op.server]?.instances ?? {};
      if (op.op === 'addInstance') assert.ok(op.instance in instances);
      if (op.op === 'removeInstance') assert.ok(!(op.instance in instances));
      if (op.op === 'denyTool') assert.ok(instances[op.instance]?.tools?.deny?.includes(op.tool));
      if (op.op === 'allowTool') assert.ok(!instances[op.instance]?.tools?.deny?.includes(op.tool));
      if (op.op === 'setStateSettings') {
        const written = instances[op.instance];
        for (const setting of op.settings) {
          if (setting.kind === 'env') assert.equal(written?.env?.[setting.name], setting.value);
          else assert.ok(written?.args?.join(' ').includes(`${setting.flag} ${setting.value}`));
        }
      }
    }
    // Every comment of the original survives, except those of a removed instance.
    const removing = ops.some((op) => op.op === 'removeInstance' || op.op === 'allowTool');
    if (!removing) for (const comment of comments(before ?? '')) assert.ok(text?.includes(comment), `lost comment ${comment}`);
  });
}
