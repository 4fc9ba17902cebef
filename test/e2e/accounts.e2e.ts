// Issue 13 in a real VS Code (code-server 4.139.1, headless chromium): accounts never cross
// without the user being told. One session on one workspace:
//   notes: `work` and a copy-pasted `personal` (same command, args and env) → the Problems
//     panel warns `clone-instance` at the copy's line, and both instances keep running.
//   echo: one mcplex instance that starts what `.vscode/mcp.json`'s "echo" starts → the
//     Problems panel warns `duplicate-of-mcp-json`, the MCPlex view's row says "also in mcp.json".
//   memory: server-memory with `MEMORY_FILE_PATH` on the server and one instance → "Add
//     Account Instance" for a second account offers that key first, prefilled with the
//     inherited value, and the written instance has its own file.
// Run: npm run build && node --import tsx --test test/e2e/accounts.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { E2eRun } from './lib/e2eRun';
import { REPO_ROOT } from './lib/environment';
import { lineOf } from './lib/everythingWorkspace';
import { TREE_ROWS, waitForRow } from './lib/mcplexView';
import { runPaletteCommand, runPaletteCommandWhenReady } from './lib/palette';
import { VsCodeSession } from './lib/vsCodeSession';
import { problemRows, texts, waitForView } from './lib/workbenchViews';

const NOTES_SERVER = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const ECHO_SERVER = join(REPO_ROOT, 'test', 'fixtures', 'servers', 'echo.mjs');
const MEMORY_SERVER = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');

/** VS Code's own configuration: the echo server that the mcplex instance `echo/vault` duplicates. */
const MCP_JSON = `{
  // the echo server, as VS Code runs it itself
  "servers": {
    "echo": { "type": "stdio", "command": "node", "args": [${JSON.stringify(ECHO_SERVER)}] }
  }
}
`;

function configText(memoryFile: string): string {
  return `// Accounts that would cross. (accounts e2e)
{
  "servers": {
    "notes": {
      "label": "Notes",
      "command": "node",
      "args": [${JSON.stringify(NOTES_SERVER)}],
      "instances": {
        "work": { "label": "Work", "env": { "ACCOUNT": "work" } },
        // copy-pasted from work, the env left as it was
        "personal": { "label": "Personal", "env": { "ACCOUNT": "work" } },
      },
    },
    "echo": {
      "label": "Echo",
      "command": "node",
      "args": [${JSON.stringify(ECHO_SERVER)}],
      "instances": { "vault": { "label": "Vault" } },
    },
    "memory": {
      "label": "Memory",
      "command": "node",
      "args": [${JSON.stringify(MEMORY_SERVER)}],
      "env": { "MEMORY_FILE_PATH": ${JSON.stringify(memoryFile)} },
      "instances": { "home": { "label": "Home" } },
    },
  },
}
`;
}

const isRow = (label: string, ...parts: string[]) => (row: string): boolean => row.startsWith(label) && parts.every((part) => row.includes(part));

/** The value of the quick input's text box. */
async function inputValue(page: VsCodeSession['page']): Promise<string> {
  const values = await page.locator('.quick-input-widget .quick-input-box input').evaluateAll((elements) => elements.map((element) => (element as unknown as { value: string }).value));
  return values[0] ?? '';
}

/** Waits for the input box whose prompt (the text under it, or its validation message) includes `prompt`. */
async function waitForPrompt(session: VsCodeSession, prompt: string): Promise<void> {
  await waitForView(() => texts(session.page, '.quick-input-widget .quick-input-message'), (found) => found.some((text) => text.includes(prompt)), `no input box asking "${prompt}"`);
}

/** Types `filter` into the open quick pick and accepts the first row once it is the one wanted. */
async function pick(session: VsCodeSession, filter: string, matches: (row: string) => boolean): Promise<string[]> {
  const rows = await session.waitForQuickPickRow(matches);
  await session.page.keyboard.type(filter);
  await waitForView(() => session.quickPickRows(1_000), (found) => found[0] !== undefined && matches(found[0]), `the first row after typing "${filter}" is not the one wanted`);
  await session.page.keyboard.press('Enter');
  return rows;
}

/** Replaces the input box's text, waits until the box shows it, then accepts it. */
async function answer(session: VsCodeSession, value: string): Promise<void> {
  await session.page.keyboard.press('Control+A');
  await session.page.keyboard.type(value);
  await waitForView(() => inputValue(session.page), (typed) => typed === value, `the input box does not hold "${value}"`);
  await session.page.keyboard.press('Enter');
}

test('a copy-pasted account and an mcp.json duplicate are warned about; the wizard\'s second account gets its own value', { timeout: 300_000 }, async () => {
  const run = await E2eRun.create('accounts');
  const { root } = run;
  const workspace = join(root, 'workspace');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'mcp.json'), MCP_JSON);
  const configPath = join(workspace, '.mcplex.jsonc');
  const workMemory = join(root, 'memory-home.json');
  const config = configText(workMemory);
  writeFileSync(configPath, config);
  try {
    const session = await run.startMcplex({ workspace });
    const s = session;
    const page = s.page;

    // Both notes instances run (a clone is a warning, not an error), and so does the echo instance.
    await runPaletteCommandWhenReady(s, 'View: Show MCPlex');
    const running = await waitForView(
      () => texts(page, TREE_ROWS),
      (rows) => ['Work', 'Personal', 'Vault', 'Home'].every((label) => rows.some(isRow(label, 'running'))),
      'the MCPlex view does not show every instance running',
      90_000,
    );
    process.stderr.write(`MCPlex view rows: ${JSON.stringify(running)}\n`);

    // One place per account: the echo instance's row says mcp.json runs it too.
    await waitForRow(page, isRow('Vault', 'also in mcp.json'), 'the Vault row does not say "also in mcp.json"');
    const vaultRow = (await texts(page, TREE_ROWS)).find(isRow('Vault'));
    assert.ok(vaultRow !== undefined && vaultRow.includes('running'), `the Vault row: ${JSON.stringify(vaultRow)}`);
    assert.ok(!(await texts(page, TREE_ROWS)).some(isRow('Work', 'also in mcp.json')), 'the notes rows are not mcp.json duplicates');
    await s.screenshot('e2e-accounts-tree');

    // The Problems panel: the clone at the copy's place, the duplicate at the echo instance's.
    const personalLine = lineOf(config, '"personal": {');
    const personalColumn = (config.split('\n')[personalLine - 1] ?? '').indexOf('"personal"') + 1;
    const vaultLine = lineOf(config, '"vault"');
    const vaultColumn = (config.split('\n')[vaultLine - 1] ?? '').indexOf('"vault"') + 1;
    await runPaletteCommand(s, 'Problems: Focus on Problems View');
    const problems = await waitForView(
      () => problemRows(page),
      (rows) => rows.some((row) => row.includes('clone-instance')) && rows.some((row) => row.includes('duplicate-of-mcp-json')),
      'the Problems panel does not show both warnings',
      30_000,
    );
    process.stderr.write(`Problems rows: ${JSON.stringify(problems, null, 2)}\n`);
    await s.screenshot('e2e-accounts-problems');
    const clone = problems.filter((row) => row.includes('clone-instance'));
    assert.equal(clone.length, 1, `one clone warning, on the copy: ${JSON.stringify(clone)}`);
    assert.ok(clone[0]?.startsWith('notes/personal would start exactly like notes/work'), JSON.stringify(clone));
    assert.ok(clone[0]?.includes(`[Ln ${personalLine}, Col ${personalColumn}]`), `the clone warning is not at the copy's place (Ln ${personalLine}, Col ${personalColumn}): ${JSON.stringify(clone)}`);
    const duplicate = problems.filter((row) => row.includes('duplicate-of-mcp-json'));
    assert.equal(duplicate.length, 1, JSON.stringify(duplicate));
    assert.ok(duplicate[0]?.startsWith('"Echo (Vault)" starts the same server as "echo" in .vscode/mcp.json'), JSON.stringify(duplicate));
    assert.ok(duplicate[0]?.includes(`[Ln ${vaultLine}, Col ${vaultColumn}]`), `the duplicate warning is not at the echo instance (Ln ${vaultLine}, Col ${vaultColumn}): ${JSON.stringify(duplicate)}`);
    // The warnings stop nothing: both notes instances still run.
    const after = await texts(page, TREE_ROWS);
    assert.ok(after.some(isRow('Work', 'running')) && after.some(isRow('Personal', 'running')), JSON.stringify(after));

    // The wizard's second account: MEMORY_FILE_PATH comes first, prefilled with Home's file.
    await runPaletteCommand(s, 'MCPlex: Add Account Instance');
    await pick(s, 'Memory', (row) => row.startsWith('Memory'));
    await waitForPrompt(s, 'The prefix names the account');
    await answer(s, 'office');
    await waitForPrompt(s, 'The label VS Code shows');
    await answer(s, 'Office');
    const valueRows = await s.waitForQuickPickRow((row) => row.includes('Write the instance'));
    process.stderr.write(`values offered to the second account: ${JSON.stringify(valueRows)}\n`);
    assert.ok(valueRows[0]?.includes('MEMORY_FILE_PATH'), `the first row is not MEMORY_FILE_PATH: ${JSON.stringify(valueRows)}`);
    assert.ok(valueRows[0]?.includes(`inherits ${workMemory}`), `the first row does not say what it inherits: ${JSON.stringify(valueRows)}`);
    assert.ok(valueRows[1]?.includes('Write the instance') && valueRows[1].includes('would start exactly like "home"'), JSON.stringify(valueRows));
    // Enter on what is preselected edits the value; it does not write a copy of Home.
    await s.page.keyboard.press('Enter');
    // The box starts with Home's file and says so: Enter on it would make the same account.
    await waitForPrompt(s, 'That is the value "home" uses: type this account\'s own.');
    const prefilled = await waitForView(() => inputValue(page), (value) => value !== '', 'the value box is empty');
    assert.equal(prefilled, workMemory, 'the value box starts with the inherited value');
    const officeMemory = join(root, 'memory-office.json');
    await answer(s, officeMemory);
    // A path: written into the file without asking where to keep it (issue 16).
    const afterValue = await s.waitForQuickPickRow((row) => row.includes('MEMORY_FILE_PATH') && row.includes('set for this account'));
    process.stderr.write(`values after typing one: ${JSON.stringify(afterValue)}\n`);
    assert.ok(afterValue[0]?.includes('Write the instance') && !afterValue[0].includes('would start exactly like'), JSON.stringify(afterValue));
    await s.page.keyboard.press('Enter');

    const written = await waitForView(async () => readFileSync(configPath, 'utf8'), (text) => text.includes('"office"'), 'the office instance was not written', 30_000);
    const data = parse(written) as { servers: { memory: { env: Record<string, string>; instances: Record<string, unknown> } } };
    assert.deepEqual(data.servers.memory.instances['office'], { label: 'Office', env: { MEMORY_FILE_PATH: officeMemory } });
    assert.deepEqual(data.servers.memory.env, { MEMORY_FILE_PATH: workMemory }, 'the server keeps Home\'s value');
    await runPaletteCommand(s, 'View: Show MCPlex');
    await waitForRow(page, isRow('Office', 'running'), 'the Office instance does not run', 60_000);
    const finalRows = await texts(page, TREE_ROWS);
    assert.ok(!finalRows.some(isRow('Office', 'same account')), `Office is not the same account as Home: ${JSON.stringify(finalRows)}`);
    await s.screenshot('e2e-accounts-wizard');
  } finally {
    await run.close();
  }
});
