// Issue 6 in a real VS Code (code-server 4.139.1, headless chromium): a new user with a server
// in .vscode/mcp.json adds a `work` and a `personal` instance of it through the command
// palette alone ("MCPlex: Add Account Instance", answered by typing), the file keeps its
// comments (asserted byte for byte against the pure edit functions), "MCP: List Servers"
// lists both, and the MCPlex view shows both running with their tools (screenshot in
// test-results/). The personal account's value goes through SecretStorage.
// Run: npm run build && node --import tsx --test test/e2e/ui.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { addInstance, addServer, importGroups, parseMcpJson, planInstance, SCHEMA_URL } from '../../src/core/edit';
import { importedFields } from '../../src/extension/addInstance/importStep';
import { assignSlugs } from '../../src/core/naming';
import { E2eRun } from './lib/e2eRun';
import { REPO_ROOT } from './lib/environment';
import { VsCodeSession } from './lib/vsCodeSession';
import { texts, waitForView } from './lib/workbenchViews';

const NOTES_SERVER = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const NOTES_TOOLS = ['add_note', 'list_notes', 'read_note', 'search_notes'];

const MCP_JSON = `{
  // VS Code's own MCP configuration: one notes server, its account asked as an input.
  "inputs": [{ "type": "promptString", "id": "account", "description": "Notes account" }],
  "servers": {
    "notes": {
      "type": "stdio",
      "command": "node",
      "args": [${JSON.stringify(NOTES_SERVER)}],
      "env": { "ACCOUNT": "\${input:account}" }
    }
  }
}
`;

/** The user's file before the flow: comments and a trailing comma that must survive. */
const CONFIG_BEFORE = `// My MCP accounts. Added with "MCPlex: Add Account Instance".
{
  "$schema": "${SCHEMA_URL}",
  "servers": {
    // one entry per MCP server; its accounts go under "instances"
  },
}
`;

const QUICK_INPUT = '.quick-input-widget';

interface Clickable {
  click(options?: { timeout?: number }): Promise<void>;
}

/** Runs a palette command, retrying while the workbench has not registered the extension's contributions yet. */
async function runCommandWhenReady(session: VsCodeSession, title: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await session.runCommand(title);
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await session.page.keyboard.press('Escape');
      await sleep(1_000);
    }
  }
}

/** The text under the quick input box (our prompt and its live hint, or the validation message). */
async function quickInputMessage(session: VsCodeSession): Promise<string> {
  const found = await texts(session.page, `${QUICK_INPUT} .quick-input-message`);
  return found.filter((text) => text !== '').join(' | ');
}

async function waitForInputBox(session: VsCodeSession, title: string): Promise<void> {
  await waitForView(() => texts(session.page, `${QUICK_INPUT} .quick-input-title`), (titles) => titles.some((text) => text.startsWith(title)), `no quick input titled "${title}"`);
}

/** Replaces the input box's value by typing, then waits for the hint to settle. */
async function typeInto(session: VsCodeSession, value: string): Promise<void> {
  await session.page.keyboard.press('Control+A');
  await session.page.keyboard.type(value);
  await sleep(300);
}

/** Types a filter into the open quick pick and accepts the first row once it matches. */
async function pickRow(session: VsCodeSession, filter: string, matches: (row: string) => boolean): Promise<string[]> {
  const rows = await session.waitForQuickPickRow(matches);
  await session.page.keyboard.type(filter);
  await session.waitForQuickPickRow(matches);
  const first = await session.quickPickRows();
  assert.ok(first[0] !== undefined && matches(first[0]), `the first row after typing "${filter}" is ${JSON.stringify(first[0])}`);
  await session.page.keyboard.press('Enter');
  await sleep(300);
  return rows;
}

interface Seen {
  serverRows: string[];
  prefixHint: string;
  prefixError: string;
  valueRows: string[];
  storageRows: string[];
}

/** One run of "MCPlex: Add Account Instance", answered by typing. */
async function addAccount(session: VsCodeSession, prefix: string, label: string, account: string, secret: boolean): Promise<Seen> {
  await session.runCommand('MCPlex: Add Account Instance');
  // The folder has one server (mcp.json's, then the file's): not asked (issue 16); the box's title names it.
  const serverRows: string[] = [];

  await waitForInputBox(session, 'Add Account Instance: notes');
  // An invalid prefix first: the box says why as it is typed.
  await typeInto(session, 'my team');
  const prefixError = await quickInputMessage(session);
  await typeInto(session, prefix);
  const prefixHint = await quickInputMessage(session);
  await session.page.keyboard.press('Enter');
  await sleep(300);

  await typeInto(session, label);
  await session.page.keyboard.press('Enter');

  const valueRows = await pickRow(session, 'ACCOUNT', (row) => row.includes('ACCOUNT'));
  await waitForInputBox(session, 'Add Account Instance: notes');
  await typeInto(session, account);
  await session.page.keyboard.press('Enter');
  const storage = secret ? 'Keep it in SecretStorage' : 'Write it into .mcplex.jsonc';
  const storageRows = await pickRow(session, storage, (row) => row.startsWith(storage));
  await pickRow(session, 'Write the instance', (row) => row.includes('Write the instance'));
  // The first run imports from mcp.json: it offers to remove the entry there, and the default removes it.
  if (prefix === 'work') await pickRow(session, 'Remove', (row) => row.startsWith('Remove "notes" from .vscode/mcp.json'));
  return { serverRows, prefixHint, prefixError, valueRows, storageRows };
}

/** What the two runs must write, computed by the same pure functions the flow uses. */
function expectedConfig(): string {
  const [group] = importGroups(parseMcpJson(MCP_JSON));
  assert.ok(group);
  const work = planInstance({ serverId: 'notes', prefix: 'work', label: 'Work', values: [{ target: 'env', key: 'ACCOUNT', value: 'work', secret: false }] });
  const personal = planInstance({ serverId: 'notes', prefix: 'personal', label: 'Personal', values: [{ target: 'env', key: 'ACCOUNT', value: 'personal', secret: true }] });
  // The import writes the account's env values into the instance, not the server.
  const imported = addServer(CONFIG_BEFORE, 'notes', importedFields({ kind: 'mcpJson', serverId: 'notes', label: group.name, server: group.server, group }, 'work', work.fields));
  return addInstance(imported, 'notes', 'personal', personal.fields);
}

test('Add Account Instance twice from .vscode/mcp.json: the file, MCP: List Servers and the MCPlex view', { timeout: 300_000 }, async () => {
  const run = await E2eRun.create('ui');
  const { root } = run;
  const workspace = join(root, 'workspace');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'mcp.json'), MCP_JSON);
  const configPath = join(workspace, '.mcplex.jsonc');
  writeFileSync(configPath, CONFIG_BEFORE);
  try {
    const session = await run.startMcplex({ workspace });
    const page = session.page;

    // The welcome view, while no instance exists: mcp.json has a server, so its door is the second account (issue 16).
    await runCommandWhenReady(session, 'View: Show MCPlex');
    const welcome = await waitForView(() => texts(page, '.part.sidebar .welcome-view-content'), (found) => found.some((text) => text.includes('Add a second account to a server from mcp.json')), 'no MCPlex welcome view');
    process.stderr.write(`welcome view: ${JSON.stringify(welcome)}\n`);

    const work = await addAccount(session, 'work', 'Work', 'work', false);
    await waitForView(async () => readFileSync(configPath, 'utf8'), (text) => text.includes('"work"'), 'the work instance was not written');
    // One place per account: the imported entry left mcp.json, its comment stayed.
    const mcpJsonAfter = await waitForView(async () => readFileSync(join(workspace, '.vscode', 'mcp.json'), 'utf8'), (text) => !text.includes('"notes"'), 'the imported entry is still in mcp.json');
    assert.ok(mcpJsonAfter.includes("// VS Code's own MCP configuration"), mcpJsonAfter);
    const personal = await addAccount(session, 'personal', 'Personal', 'personal', true);
    const written = await waitForView(async () => readFileSync(configPath, 'utf8'), (text) => text.includes('"personal"'), 'the personal instance was not written');
    process.stderr.write(`seen in the flow: ${JSON.stringify({ work, personal }, null, 2)}\n`);
    process.stderr.write(`.mcplex.jsonc after both runs:\n${written}\n`);

    assert.equal(written, expectedConfig());
    assert.ok(written.startsWith('// My MCP accounts.'), 'the leading comment survives');
    assert.ok(written.includes('// one entry per MCP server'), 'the inner comment survives');
    assert.ok(!written.includes('"personal" ,') && written.includes('${secret:notes-personal-account}'), 'the personal value is a secret reference');
    assert.ok(!written.includes('"ACCOUNT": "personal"'), 'the secret value is not in the file');
    assert.match(work.prefixError, /" " is not allowed/);
    assert.match(work.prefixHint, /mcp_notes-work_tool in VS Code, work__tool elsewhere/);
    assert.deepEqual([work.serverRows, personal.serverRows], [[], []], 'one server: the server is not asked');

    // VS Code's own list of MCP servers has both, without a reload.
    await session.runCommand('MCP: List Servers');
    const listed = await session.waitForQuickPickRow((row) => row.startsWith('notes (Personal)'), 30_000);
    process.stderr.write(`MCP: List Servers rows: ${JSON.stringify(listed)}\n`);
    assert.ok(listed.some((row) => row.startsWith('notes (Work)')), JSON.stringify(listed));
    await page.keyboard.press('Escape');

    // The MCPlex view: both instances running, with their tools once expanded.
    await session.runCommand('View: Show MCPlex');
    const rowSelector = '.part.sidebar .monaco-list-row';
    await waitForView(
      () => texts(page, rowSelector),
      (rows) => rows.some((row) => row.startsWith('Work') && row.includes('running')) && rows.some((row) => row.startsWith('Personal') && row.includes('running')),
      'the MCPlex view does not show both instances running',
      60_000,
    );
    for (const label of ['Work', 'Personal']) {
      const rows = await texts(page, rowSelector);
      const index = rows.findIndex((row) => row.startsWith(label) && row.includes('running'));
      assert.ok(index >= 0, `no ${label} row in ${JSON.stringify(rows)}`);
      await (page.locator(rowSelector).nth(index) as unknown as Clickable).click();
      await page.keyboard.press('ArrowRight');
      await sleep(300);
    }
    const slugs = assignSlugs(['work', 'personal'].map((instanceId) => ({ key: `notes/${instanceId}`, serverId: 'notes', instanceId })));
    // A tool row: the upstream name as label, the model's name as description.
    const toolRows = (instanceId: string) => NOTES_TOOLS.map((tool) => `${tool}mcp_${slugs.get(`notes/${instanceId}`) ?? ''}_${tool}`);
    const treeRows = await waitForView(
      () => texts(page, rowSelector),
      (rows) => [...toolRows('work'), ...toolRows('personal')].every((name) => rows.includes(name)),
      'the MCPlex view does not list both instances\' tools',
    );
    process.stderr.write(`MCPlex view rows: ${JSON.stringify(treeRows)}\n`);
    assert.ok(treeRows.some((row) => row.startsWith('notes')), 'a server row');
    assert.ok(treeRows.some((row) => row.startsWith('Work') && row.includes('work · running') && row.includes('4 tools')), JSON.stringify(treeRows));
    assert.ok(treeRows.some((row) => row.startsWith('Personal') && row.includes('personal · running') && row.includes('4 tools')), JSON.stringify(treeRows));
    await session.screenshot('e2e-ui-instances-tree');

    // IntelliSense from the schema: the file opens without a schema load error and a hover explains a field.
    await session.runCommand('Go to File...').catch(async () => page.keyboard.press('Control+P'));
    await page.keyboard.type('.mcplex.jsonc');
    await sleep(500);
    await page.keyboard.press('Enter');
    await sleep(3000);
    await session.screenshot('e2e-ui-config-editor');
  } finally {
    await run.close();
  }
});
