// Issue 16's onboarding in a real VS Code (code-server 4.139.1, headless chromium): a
// workspace whose `.vscode/mcp.json` runs server-memory for one account and has no
// `.mcplex.jsonc`. The MCPlex view's welcome leads with "Add a Second Account", and so does
// the walkthrough; that one command ends with the server in `.mcplex.jsonc` with two
// instances (the account mcp.json ran, and the new one with its own file), the mcp.json
// entry retired, and both instances running in the view. Screenshots of the welcome, the
// walkthrough and the tree go to test-results/.
// Run: npm run build && node --import tsx --test test/e2e/onboarding.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'jsonc-parser';
import { provision, REPO_ROOT } from './lib/environment';
import { packageExtension } from './lib/mcplexVsix';
import { TREE_ROWS, waitForRow } from './lib/mcplexView';
import { runPaletteCommand, runPaletteCommandWhenReady } from './lib/palette';
import { VsCodeSession } from './lib/vsCodeSession';
import { texts, waitForView } from './lib/workbenchViews';

const MEMORY_SERVER = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');

function mcpJson(memoryFile: string): string {
  return `{
  // VS Code's own MCP configuration: one memory server, one account
  "servers": {
    "memory": { "type": "stdio", "command": "node", "args": [${JSON.stringify(MEMORY_SERVER)}], "env": { "MEMORY_FILE_PATH": ${JSON.stringify(memoryFile)} } }
  }
}
`;
}

const isRow = (label: string, ...parts: string[]) => (row: string): boolean => row.startsWith(label) && parts.every((part) => row.includes(part));

async function inputValue(page: VsCodeSession['page']): Promise<string> {
  const values = await page.locator('.quick-input-widget .quick-input-box input').evaluateAll((elements) => elements.map((element) => (element as unknown as { value: string }).value));
  return values[0] ?? '';
}

async function waitForPrompt(session: VsCodeSession, prompt: string): Promise<void> {
  await waitForView(() => texts(session.page, '.quick-input-widget .quick-input-message'), (found) => found.some((text) => text.includes(prompt)), `no input box asking "${prompt}"`, 30_000);
}

async function answer(session: VsCodeSession, value: string): Promise<void> {
  await session.page.keyboard.press('Control+A');
  await session.page.keyboard.type(value);
  await waitForView(() => inputValue(session.page), (typed) => typed === value, `the input box does not hold "${value}"`);
  await session.page.keyboard.press('Enter');
}

test('mcp.json runs one server: the welcome view and the walkthrough lead with "Add a Second Account", which ends with two instances', { timeout: 420_000 }, async () => {
  const environment = await provision();
  const root = mkdtempSync(join(tmpdir(), 'mcplex-onboarding-e2e-'));
  const workspace = join(root, 'workspace');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const workMemory = join(root, 'memory-work.json');
  const personalMemory = join(root, 'memory-personal.json');
  const mcpJsonPath = join(workspace, '.vscode', 'mcp.json');
  writeFileSync(mcpJsonPath, mcpJson(workMemory));
  const configPath = join(workspace, '.mcplex.jsonc');
  let session: VsCodeSession | undefined;
  try {
    const vsix = await packageExtension(root);
    session = await VsCodeSession.start({ workspace, vsixFiles: [vsix], environment });
    const s = session;
    const page = s.page;

    // The welcome view: one door, the second account.
    await runPaletteCommandWhenReady(s, 'View: Show MCPlex');
    const welcome = await waitForView(() => texts(page, '.part.sidebar .welcome-view-content'), (found) => found.some((text) => text.includes('Add a Second Account')), 'the welcome view does not lead with the second account', 60_000);
    process.stderr.write(`welcome view: ${JSON.stringify(welcome)}\n`);
    assert.ok(!welcome.some((text) => text.includes('Import Servers from mcp.json')), 'no overlapping doors');
    await s.screenshot('e2e-onboarding-welcome');

    // The walkthrough leads with the same step, with its picture.
    await runPaletteCommand(s, 'Welcome: Open Walkthrough...');
    await s.waitForQuickPickRow((row) => row.includes('Several accounts of one MCP server'), 30_000);
    await page.keyboard.type('Several accounts');
    await sleep(500);
    await page.keyboard.press('Enter');
    const steps = await waitForView(() => texts(page, '.getting-started-step .step-title'), (found) => found.some((text) => text.includes('Add a second account')), 'the walkthrough does not show the second-account step', 30_000);
    process.stderr.write(`walkthrough steps: ${JSON.stringify(steps)}\n`);
    assert.ok(!steps.some((text) => text.includes('Create .mcplex.jsonc')), `the empty-file step is hidden while mcp.json has a server: ${JSON.stringify(steps)}`);
    await sleep(1500);
    await s.screenshot('e2e-onboarding-walkthrough');

    // The one command: the first account named, the second added with its own file, the entry retired.
    await runPaletteCommand(s, 'MCPlex: Add a Second Account to an mcp.json Server');
    await waitForPrompt(s, 'runs one account');
    await answer(s, 'work');
    await waitForPrompt(s, 'The prefix names the account');
    await answer(s, 'personal');
    await waitForPrompt(s, 'The label VS Code shows');
    await answer(s, 'Personal');
    const valueRows = await s.waitForQuickPickRow((row) => row.includes('Write the instance'), 30_000);
    process.stderr.write(`values offered to the second account: ${JSON.stringify(valueRows)}\n`);
    assert.ok(valueRows[0]?.includes('MEMORY_FILE_PATH'), JSON.stringify(valueRows));
    await page.keyboard.press('Enter');
    await waitForPrompt(s, 'Value of MEMORY_FILE_PATH');
    await answer(s, personalMemory);
    // A path: no "where to keep it" question; the list comes back with Write first.
    await s.waitForQuickPickRow((row) => row.includes('MEMORY_FILE_PATH') && row.includes('set for this account'), 30_000);
    await page.keyboard.press('Enter');
    await s.waitForQuickPickRow((row) => row.startsWith('Remove "memory" from .vscode/mcp.json'), 30_000);
    await page.keyboard.press('Enter');

    const written = await waitForView(async () => readFileSync(configPath, 'utf8'), (text) => text.includes('"personal"'), 'the second account was not written', 30_000);
    process.stderr.write(`.mcplex.jsonc:\n${written}\n`);
    const data = parse(written) as { servers: { memory: { instances: Record<string, unknown> } } };
    assert.deepEqual(data.servers.memory.instances, {
      work: { label: 'Work', env: { MEMORY_FILE_PATH: workMemory } },
      personal: { label: 'Personal', env: { MEMORY_FILE_PATH: personalMemory } },
    });
    const retired = await waitForView(async () => readFileSync(mcpJsonPath, 'utf8'), (text) => !text.includes('"memory"'), 'the mcp.json entry was not retired');
    assert.ok(retired.includes("// VS Code's own MCP configuration"), retired);

    // Both accounts run, side by side, under one server row.
    await runPaletteCommand(s, 'View: Show MCPlex');
    await waitForRow(page, isRow('Work', 'running'), 'the Work instance does not run', 90_000);
    await waitForRow(page, isRow('Personal', 'running'), 'the Personal instance does not run', 90_000);
    const rows = await texts(page, TREE_ROWS);
    process.stderr.write(`MCPlex view rows: ${JSON.stringify(rows)}\n`);
    assert.ok(rows.some((row) => row.startsWith('memory') && row.includes('2/2 running')), JSON.stringify(rows));
    await s.screenshot('e2e-onboarding-tree');
  } finally {
    await session?.close();
    if (process.env['MCPLEX_E2E_KEEP'] !== '1') rmSync(root, { recursive: true, force: true });
  }
});
