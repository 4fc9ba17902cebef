// Issue 6's "every command works in the real-VS Code suite": one code-server session, the
// commands run as a user runs them (the palette, or a row's context menu in the MCPlex
// view), each asserted by its effect.
//   Create Configuration (no file yet) → the file with `$schema`; then the test writes a
//   commented config: the notes server as `work` and `personal` (spawn log by pid).
//   Stop / Start / Restart Instance, Restart All → the row's state, the upstream's pid.
//   Deny / Allow Tool → `.mcplex.jsonc` byte for byte as core/edit computes it; the row.
//   Copy Tool Name → the clipboard. Open Instance Configuration → the editor, `Ln X`.
//   Show Log → the Output panel on the "mcplex" channel; Show Instance Log → the instance's own
//   "MCPlex: <label>" channel, its lines and no other's.
//   Import Servers from mcp.json → the echo server with one instance, which needs a
//   secret; Set Secret → it runs; Clear Secret → it needs a secret again.
//   Remove Instance → the modal, the file, the tree and "MCP: List Servers".
// Run: node --import tsx --test test/e2e/commands.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addServer, allowTool, denyTool, importedServer, importGroups, newConfigText, parseMcpJson, removeInstance, SCHEMA_URL, secretNameForInput, toolFilterState } from '../../src/core/edit';
import { compileToolFilter } from '../../src/core/naming/toolFilter';
import { assignSlugs } from '../../src/core/naming';
import { E2eRun } from './lib/e2eRun';
import { REPO_ROOT } from './lib/environment';
import { lineOf } from './lib/everythingWorkspace';
import { expandRow, runRowAction, TREE_ROWS, waitForNoRow, waitForRow } from './lib/mcplexView';
import { runPaletteCommand, runPaletteCommandWhenReady } from './lib/palette';
import { processesOfRun } from './lib/processes';
import { RECORD_SPAWN_HOOK, SPAWN_LOG_VARIABLE, spawnsWith } from './lib/spawnLog';
import { VsCodeSession } from './lib/vsCodeSession';
import { activeTab, clickDialogButton, cursorPosition, dialogButtons, grantClipboard, outputView, readClipboard, waitForDialog, writeClipboard } from './lib/workbenchParts';
import { texts, waitForView } from './lib/workbenchViews';

const NOTES_SERVER = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const ECHO_SERVER = join(REPO_ROOT, 'test', 'fixtures', 'servers', 'echo.mjs');
const DENIED_TOOL = 'search_notes';
const COPIED_TOOL = 'add_note';
const IMPORT_PREFIX = 'vault';

/** VS Code's own configuration: one echo server whose key is an input (import turns it into a secret). */
const MCP_JSON = `{
  "inputs": [{ "type": "promptString", "id": "api-key", "description": "Echo API key", "password": true }],
  "servers": {
    "echo": { "type": "stdio", "command": "node", "args": [${JSON.stringify(ECHO_SERVER)}], "env": { "API_KEY": "\${input:api-key}" } }
  }
}
`;

/** Comments in every place an edit passes near: they must all survive, byte for byte. */
function configText(spawnLog: string): string {
  return `// Two notes accounts. (commands e2e)
{
  "$schema": "${SCHEMA_URL}",
  "servers": {
    /* the notes server, once per account */
    "notes": {
      "label": "Notes",
      "command": "node",
      "args": ${JSON.stringify(['--import', RECORD_SPAWN_HOOK, NOTES_SERVER])}, // the hook records each start
      "env": { "${SPAWN_LOG_VARIABLE}": ${JSON.stringify(spawnLog)} },
      "instances": {
        // the work account
        "work": { "label": "Work", "env": { "ACCOUNT": "work" } },
        // the personal account
        "personal": {
          "label": "Personal",
          "env": { "ACCOUNT": "personal" }, // its own notes
        },
      },
    },
  },
  // the end
}
`;
}

const COMMENTS_KEPT = ['// Two notes accounts. (commands e2e)', '    /* the notes server, once per account */', '// the hook records each start', '        // the work account', '  // the end'];

const isRow = (label: string, ...parts: string[]) => (row: string): boolean => row.startsWith(label) && parts.every((part) => row.includes(part));

/** The value of the quick input's text box. */
async function inputValue(page: VsCodeSession['page']): Promise<string> {
  const values = await page.locator('.quick-input-widget .quick-input-box input').evaluateAll((elements) => elements.map((element) => (element as unknown as { value: string }).value));
  return values[0] ?? '';
}

/** Types `filter` into the open quick pick and accepts the first row once it is the one wanted. */
async function pick(session: VsCodeSession, filter: string, matches: (row: string) => boolean): Promise<string[]> {
  const rows = await session.waitForQuickPickRow(matches);
  await session.page.keyboard.type(filter);
  await waitForView(() => session.quickPickRows(1_000), (found) => found[0] !== undefined && matches(found[0]), `the first row after typing "${filter}" is not the one wanted`);
  await session.page.keyboard.press('Enter');
  return rows;
}

test('every MCPlex command, from the palette and the MCPlex view\'s context menu, does what it says', { timeout: 900_000 }, async () => {
  const began = Date.now();
  const run = await E2eRun.create('commands');
  const { root } = run;
  const workspace = join(root, 'workspace');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'mcp.json'), MCP_JSON);
  const configPath = join(workspace, '.mcplex.jsonc');
  const spawnLog = join(root, 'spawns.jsonl');
  const steps: Record<string, number> = {};
  let mark = Date.now();
  const step = (name: string): void => {
    steps[name] = Date.now() - mark;
    mark = Date.now();
  };
  try {
    const session = await run.startMcplex({ workspace });
    const s = session;
    const page = s.page;
    await grantClipboard(page, s.url);
    step('session');
    const readConfig = (): string => readFileSync(configPath, 'utf8');
    // VS Code writes the file in two steps (truncate, then the text): an empty read is a write under way.
    const waitForConfig = (accept: (text: string) => boolean, what: string): Promise<string> => waitForView(async () => readConfig(), (text) => text !== '' && accept(text), what);
    /** The pid of the newest live upstream of `account` (the spawn log's latest that /proc still has). */
    const livePid = (account: string): number | undefined => {
      const live = new Set(processesOfRun(s.runId).map((info) => info.pid));
      return spawnsWith(spawnLog, 'ACCOUNT', account).map((spawn) => spawn.pid).filter((pid) => live.has(pid)).at(-1);
    };
    const isLive = (pid: number): boolean => processesOfRun(s.runId).some((info) => info.pid === pid);
    const waitForNewPid = (account: string, old: number, what: string): Promise<number | undefined> =>
      waitForView(async () => livePid(account), (pid) => pid !== undefined && pid !== old && !isLive(old), what, 30_000);

    // Create Configuration, while the folder has none: the file with `$schema`, opened.
    // The first command waits for the extension host, slow to come up on a loaded machine.
    await runPaletteCommandWhenReady(s, 'MCPlex: Create Configuration', 180_000);
    const created = await s.waitForFile(configPath, 120_000);
    assert.equal(created, newConfigText());
    assert.ok(created.includes(`"$schema": "mcplex-schema:/mcplex.schema.json"`), created);
    await waitForView(() => activeTab(page), (tab) => tab.startsWith('.mcplex.jsonc'), 'Create Configuration did not open the file');
    await runPaletteCommand(s, 'View: Close All Editors');
    step('createConfiguration');

    // The user writes two accounts; both start.
    const original = configText(spawnLog);
    writeFileSync(configPath, original);
    await runPaletteCommand(s, 'View: Show MCPlex');
    await waitForRow(page, isRow('Work', 'work · running', '4 tools'), 'work does not run', 60_000);
    await waitForRow(page, isRow('Personal', 'personal · running', '4 tools'), 'personal does not run', 60_000);
    const workPid = livePid('work');
    const personalPid = livePid('personal');
    assert.ok(workPid !== undefined && personalPid !== undefined, `spawns: ${readFileSync(spawnLog, 'utf8')}`);
    step('configWritten');

    // Stop Instance (context menu): the row says stopped and the process is gone.
    const runningMenu = await runRowAction(page, isRow('Work', 'running'), 'Stop Instance');
    process.stderr.write(`context menu of a running instance: ${JSON.stringify(runningMenu)}\n`);
    assert.ok(!runningMenu.includes('Set Secret'), `Set Secret offered on an instance that uses no secret: ${JSON.stringify(runningMenu)}`);
    await waitForRow(page, isRow('Work', 'work · stopped'), 'Stop Instance: the row does not say stopped');
    await waitForView(async () => isLive(workPid), (live) => !live, 'Stop Instance: the work process still runs');
    assert.equal(livePid('work'), undefined);
    assert.equal(livePid('personal'), personalPid, 'personal kept running');
    step('stop');

    // Start Instance (palette, picking the instance): running again with a new process.
    await runPaletteCommand(s, 'MCPlex: Start Instance');
    const startRows = await pick(s, 'Work', (row) => row.includes('Notes (Work)'));
    process.stderr.write(`Start Instance offers: ${JSON.stringify(startRows)}\n`);
    assert.ok(startRows.some((row) => row.includes('Notes (Work), stopped')), JSON.stringify(startRows));
    await waitForRow(page, isRow('Work', 'work · running'), 'Start Instance: the row does not say running');
    const startedPid = await waitForNewPid('work', workPid, 'Start Instance: no new work process');
    step('start');

    // Restart Instance (context menu): a new pid, the old one ends.
    const stoppedSpawns = spawnsWith(spawnLog, 'ACCOUNT', 'work').length;
    await runRowAction(page, isRow('Work', 'running'), 'Restart Instance');
    const restartedPid = await waitForNewPid('work', startedPid ?? -1, 'Restart Instance: the work process was not replaced');
    assert.equal(spawnsWith(spawnLog, 'ACCOUNT', 'work').length, stoppedSpawns + 1, 'one spawn per restart');
    await waitForRow(page, isRow('Work', 'work · running', '4 tools'), 'Restart Instance: work does not run again');
    assert.equal(livePid('personal'), personalPid, 'personal kept running');
    step('restart');

    // Restart All Instances (palette): both get new processes.
    await runPaletteCommand(s, 'MCPlex: Restart All Instances');
    await waitForNewPid('work', restartedPid ?? -1, 'Restart All: work was not restarted');
    await waitForNewPid('personal', personalPid, 'Restart All: personal was not restarted');
    await waitForRow(page, isRow('Work', 'work · running', '4 tools'), 'Restart All: work does not run again');
    await waitForRow(page, isRow('Personal', 'personal · running', '4 tools'), 'Restart All: personal does not run again');
    step('restartAll');

    // Deny Tool on a tool row: tools.deny in the file (nothing else changes), the row says denied.
    const slugs = assignSlugs(['work', 'personal'].map((instanceId) => ({ key: `notes/${instanceId}`, serverId: 'notes', instanceId })));
    const workTool = (tool: string): string => `mcp_${slugs.get('notes/work') ?? ''}_${tool}`;
    // A tool row reads its upstream name, then the model's name (label, description).
    const toolRow = (tool: string): string => `${tool}${workTool(tool)}`;
    await expandRow(page, isRow('Work', 'running'), 'the work row');
    await waitForRow(page, (row) => row === toolRow(DENIED_TOOL), 'the work instance lists no tools');
    const toolMenu = await runRowAction(page, (row) => row === toolRow(DENIED_TOOL), 'Deny Tool');
    process.stderr.write(`context menu of an allowed tool: ${JSON.stringify(toolMenu)}\n`);
    const denied = await waitForConfig((text) => text !== original, 'Deny Tool did not edit the file');
    assert.equal(denied, denyTool(original, 'notes', 'work', DENIED_TOOL));
    assert.deepEqual(toolFilterState(denied, 'notes', 'work').instanceDeny, [DENIED_TOOL]);
    for (const comment of COMMENTS_KEPT) assert.ok(denied.includes(comment), `Deny Tool lost "${comment}"`);
    await waitForRow(page, isRow(DENIED_TOOL, 'denied'), 'the tool row does not say denied');
    await waitForRow(page, isRow('Work', 'work · running', '3 tools'), 'the work row does not count 3 tools');
    await s.screenshot('e2e-commands-tool-denied');
    const deniedMenu = await runRowAction(page, isRow(DENIED_TOOL, 'denied'), 'Allow Tool');
    process.stderr.write(`context menu of a denied tool: ${JSON.stringify(deniedMenu)}\n`);
    const allowed = await waitForConfig((text) => text !== denied, 'Allow Tool did not edit the file');
    const matches = (pattern: string): boolean => compileToolFilter({ deny: [pattern] }).verdict(DENIED_TOOL) === 'denied';
    assert.equal(allowed, allowTool(denied, 'notes', 'work', DENIED_TOOL, matches));
    assert.deepEqual(toolFilterState(allowed, 'notes', 'work').instanceDeny, []);
    for (const comment of COMMENTS_KEPT) assert.ok(allowed.includes(comment), `Allow Tool lost "${comment}"`);
    await waitForRow(page, isRow('Work', 'work · running', '4 tools'), 'Allow Tool: the work row does not count 4 tools');
    await waitForRow(page, (row) => row === toolRow(DENIED_TOOL), 'Allow Tool: the tool row still says denied');
    process.stderr.write(`.mcplex.jsonc after Deny and Allow:\n${allowed}\n`);
    step('denyAllow');

    // Copy Tool Name: the model's name on the clipboard.
    await writeClipboard(page, 'before the copy');
    await runRowAction(page, (row) => row === toolRow(COPIED_TOOL), 'Copy Tool Name');
    await waitForView(() => readClipboard(page), (text) => text === workTool(COPIED_TOOL), 'Copy Tool Name did not put the name on the clipboard');
    step('copyToolName');

    // Open Instance Configuration: the file in the editor, the cursor on the instance's line.
    await runRowAction(page, isRow('Personal', 'running'), 'Open Instance Configuration');
    await waitForView(() => activeTab(page), (tab) => tab.startsWith('.mcplex.jsonc'), 'the editor does not show .mcplex.jsonc');
    const personalLine = lineOf(allowed, '"personal": {');
    const position = await waitForView(() => cursorPosition(page), (found) => found?.line === personalLine, `the cursor is not on line ${personalLine}`);
    process.stderr.write(`Open Instance Configuration: cursor at ${JSON.stringify(position)} (the instance is at line ${personalLine})\n`);
    assert.equal(position?.column, (allowed.split('\n')[personalLine - 1]?.indexOf('"personal"') ?? -2) + 1, 'the cursor is at the instance\'s key');
    await s.screenshot('e2e-commands-open-config');
    await runPaletteCommand(s, 'View: Close All Editors');
    step('openInstanceConfig');

    // Show Log (palette): the Output panel on "mcplex"; Show Instance Log (context menu): the instance's own channel.
    await runPaletteCommand(s, 'MCPlex: Show Log');
    // The Output view wraps long lines: its text is read with the drawn lines joined.
    const outputText = async (): Promise<{ channel: string; text: string }> => {
      const view = await outputView(page);
      return { channel: view.channel, text: view.lines.join('') };
    };
    // Any line of notes/work will do: which of its lines are still drawn depends on how many
    // came after (each state change is a line of its own now).
    const log = await waitForView(outputText, (view) => view.channel === 'mcplex' && view.text.includes('[notes/work] '), 'Show Log: the Output panel does not show the mcplex channel');
    process.stderr.write(`Show Log: ${JSON.stringify(log)}\n`);
    await runPaletteCommand(s, 'View: Show MCPlex');
    await runRowAction(page, isRow('Personal', 'running'), 'Show Instance Log');
    // Its own channel: that instance's lines (without a prefix to filter by) and no other's.
    const own = await waitForView(
      outputText,
      (view) => view.channel === 'MCPlex: Notes (Personal)' && view.text.includes('instance "notes/personal": up') && !view.text.includes('[notes/') && !view.text.includes('notes/work'),
      'Show Instance Log: the Output panel does not show the "MCPlex: Notes (Personal)" channel alone',
    );
    process.stderr.write(`Show Instance Log: ${JSON.stringify(own)}\n`);
    step('showLog');

    // Import Servers from mcp.json: the echo server, with one instance (prefix typed).
    await runPaletteCommand(s, 'MCPlex: Import Servers from mcp.json');
    await session.waitForQuickPickRow((row) => row.startsWith('echo'));
    await page.keyboard.press('Enter');
    // The pick and the prefix box share their title: wait for the box's prompt and suggestion.
    await waitForView(() => texts(page, '.quick-input-widget .quick-input-message'), (found) => found.some((text) => text.startsWith('Prefix of the account')), 'no prefix box');
    await waitForView(() => inputValue(page), (value) => value === 'work', 'the prefix box does not suggest "work"');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(IMPORT_PREFIX);
    await waitForView(() => inputValue(page), (value) => value === IMPORT_PREFIX, `the prefix box does not hold "${IMPORT_PREFIX}"`);
    await page.keyboard.press('Enter');
    const imported = await waitForConfig((text) => text.includes('"echo"'), 'Import did not write the echo server');
    const [echo] = importGroups(parseMcpJson(MCP_JSON));
    assert.ok(echo);
    // The account's env values (the API key's secret) go into its instance, not the server.
    const { server: echoServer, firstInstance } = importedServer('echo', echo);
    assert.equal(imported, addServer(allowed, 'echo', { ...echoServer, instances: { [IMPORT_PREFIX]: firstInstance } }));
    const secretName = secretNameForInput('echo', 'api-key');
    assert.ok(imported.includes(`\${secret:${secretName}}`), imported);
    for (const comment of COMMENTS_KEPT) assert.ok(imported.includes(comment), `Import lost "${comment}"`);
    await runPaletteCommand(s, 'View: Show MCPlex');
    await waitForRow(page, isRow(IMPORT_PREFIX, 'needs a secret'), 'the imported instance does not say "needs a secret"');
    step('import');

    // Set Secret, then Clear Secret: running, then back to "needs a secret".
    await runPaletteCommand(s, 'MCPlex: Set Secret');
    await pick(s, secretName, (row) => row.startsWith(secretName) && row.includes('not set'));
    await waitForView(async () => page.locator('.quick-input-widget .quick-input-box input').getAttribute('type', { timeout: 1_000 }), (type) => type === 'password', 'no password box');
    await page.keyboard.type('e2e-commands-key');
    await page.keyboard.press('Enter');
    await waitForRow(page, isRow(IMPORT_PREFIX, 'running'), 'Set Secret: the imported instance does not run', 45_000);
    // Set Secret from the running instance's context menu: offered there (beside its other
    // actions), and it asks for the one secret the instance uses.
    const secretMenu = await runRowAction(page, isRow(IMPORT_PREFIX, 'running'), 'Set Secret');
    process.stderr.write(`context menu of an instance that uses a secret: ${JSON.stringify(secretMenu)}\n`);
    assert.ok(secretMenu.includes('Stop Instance') && secretMenu.includes('Restart Instance'), `the instance's other actions are gone: ${JSON.stringify(secretMenu)}`);
    await waitForView(async () => page.locator('.quick-input-widget .quick-input-box input').getAttribute('type', { timeout: 1_000 }), (type) => type === 'password', 'Set Secret from the row: no password box');
    // The box appears a moment before it takes the focus from the tree (which would take the keys).
    await waitForView(
      () => page.locator('.quick-input-widget .quick-input-box input').evaluateAll((elements) => elements.some((element) => (element as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === element)),
      (focused) => focused,
      'Set Secret from the row: the password box never takes the focus',
    );
    await page.keyboard.type('e2e-commands-key-2');
    await page.keyboard.press('Enter');
    await waitForRow(page, isRow(IMPORT_PREFIX, 'running'), 'Set Secret from the row: the imported instance does not run', 45_000);
    await runPaletteCommand(s, 'MCPlex: Clear Secret');
    await pick(s, secretName, (row) => row.startsWith(secretName) && row.includes('set') && !row.includes('not set'));
    // It asks first, naming the running instance it would stop; nothing is cleared before the answer.
    const clearQuestion = await waitForDialog(page, 60_000);
    process.stderr.write(`Clear Secret asks: ${JSON.stringify(clearQuestion)} ${JSON.stringify(await dialogButtons(page))}\n`);
    assert.ok(clearQuestion.startsWith(`Clear the secret "${secretName}"?`) && clearQuestion.includes('uses it and stops'), clearQuestion);
    await waitForRow(page, isRow(IMPORT_PREFIX, 'running'), 'Clear Secret: the instance stopped before the answer');
    await clickDialogButton(page, 'Clear and Stop');
    await waitForRow(page, isRow(IMPORT_PREFIX, 'needs a secret'), 'Clear Secret: the instance does not need its secret again');
    step('secrets');

    // Remove Instance: asks first (modal), then the file, the tree and VS Code's list lose it.
    await runPaletteCommand(s, 'MCP: List Servers');
    const serversBefore = await s.waitForQuickPickRow((row) => row.startsWith('Notes (Personal)'), 30_000);
    await page.keyboard.press('Escape');
    await runPaletteCommand(s, 'View: Show MCPlex');
    await runRowAction(page, isRow('Personal', 'running'), 'Remove Instance');
    const question = await waitForDialog(page);
    const buttons = await dialogButtons(page);
    process.stderr.write(`Remove Instance asks: ${JSON.stringify(question)} ${JSON.stringify(buttons)}\n`);
    assert.match(question, /Remove the instance "Notes \(Personal\)" from \.mcplex\.jsonc\?/);
    assert.equal(readConfig(), imported, 'nothing is removed before the answer');
    await clickDialogButton(page, 'Remove');
    const removed = await waitForConfig((text) => text !== imported, 'Remove Instance did not edit the file');
    assert.equal(removed, removeInstance(imported, 'notes', 'personal'));
    assert.ok(!removed.includes('"personal"'), removed);
    for (const comment of COMMENTS_KEPT) assert.ok(removed.includes(comment), `Remove Instance lost "${comment}"`);
    const treeAfter = await waitForNoRow(page, (row) => row.startsWith('Personal'), 'the tree still shows Personal');
    await waitForView(async () => livePid('personal') === undefined, (gone) => gone, 'the personal process still runs');
    await runPaletteCommand(s, 'MCP: List Servers');
    const servers = await waitForView(
      () => s.quickPickRows(1_000),
      (rows) => rows.some((row) => row.startsWith('Notes (Work)')) && !rows.some((row) => row.startsWith('Notes (Personal)')),
      '"MCP: List Servers" still lists Notes (Personal)',
      30_000,
    );
    process.stderr.write(`MCP: List Servers before the removal: ${JSON.stringify(serversBefore)}; after: ${JSON.stringify(servers)}\n`);
    await page.keyboard.press('Escape');
    process.stderr.write(`.mcplex.jsonc at the end:\n${removed}\nMCPlex view at the end: ${JSON.stringify(treeAfter)}\n`);
    step('remove');

    await runPaletteCommand(s, 'View: Show MCPlex');
    await waitForRow(page, isRow('Work', 'running'), 'work runs at the end');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 });
    await s.screenshot('e2e-commands-tree');
    assert.ok((await texts(page, TREE_ROWS)).length > 0);
  } catch (error) {
    await run.session?.screenshot('e2e-commands-failure').catch(() => undefined);
    throw error;
  } finally {
    await run.close();
    process.stderr.write(`commands e2e timings (ms): ${JSON.stringify({ total: Date.now() - began, steps, session: run.session?.timings })}\n`);
  }
});
