// Issue 16's state-logs slice in a real VS Code (code-server, headless chromium): a running
// instance says VS Code has not connected yet, then "connected" once VS Code starts the server
// ("MCP: List Servers" → Start Server); the server row's menu starts Add Account at the prefix;
// the status bar's picker, for an instance that needs a
// secret, offers Set Secret first and its action asks for the secret. The picker's screenshot
// goes to test-results/ (copied to media/status-picker.png for the README).
// Run: npm run build && node --import tsx --test test/e2e/state.e2e.ts
import { test } from 'node:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_URL } from '../../src/core/edit';
import { E2eRun } from './lib/e2eRun';
import { REPO_ROOT } from './lib/environment';
import { runRowAction, waitForMenu, waitForRow } from './lib/mcplexView';
import { runPaletteCommand, runPaletteCommandWhenReady } from './lib/palette';
import { waitForView } from './lib/workbenchViews';

const NOTES_SERVER = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');

const CONFIG = `{
  "$schema": "${SCHEMA_URL}",
  "servers": {
    "notes": {
      "label": "Notes",
      "command": "node",
      "args": [${JSON.stringify(NOTES_SERVER)}],
      "instances": {
        "work": { "label": "Work", "env": { "ACCOUNT": "work" } },
        "vault": { "label": "Vault", "env": { "ACCOUNT": "vault", "KEY": "\${secret:vault-key}" } }
      }
    }
  }
}
`;

const isRow = (label: string, ...parts: string[]) => (row: string): boolean => row.startsWith(label) && parts.every((part) => row.includes(part));

test('state: running says whether VS Code connected; the status picker acts by state', { timeout: 900_000 }, async () => {
  const run = await E2eRun.create('state');
  const { root } = run;
  const workspace = join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, '.mcplex.jsonc'), CONFIG);
  try {
    const session = await run.startMcplex({ workspace });
    const s = session;
    const page = s.page;
    await runPaletteCommandWhenReady(s, 'View: Show MCPlex');
    // mcplex started the upstream eagerly; VS Code has not connected.
    await waitForRow(page, isRow('Work', 'running · not connected by VS Code yet'), 'the work row does not say VS Code has not connected', 60_000);
    await waitForRow(page, isRow('Vault', 'needs a secret'), 'the vault row does not need a secret', 60_000);
    await s.screenshot('e2e-state-tree-unconnected');

    // The server row's menu: Add Account to This Server starts the flow at the prefix (folder
    // and server already chosen); Restart This Server's Instances is beside it.
    const serverRow = (row: string): boolean => row.startsWith('Notes') && /\d+\/\d+ running/.test(row);
    const serverMenu = await waitForMenu(page, serverRow, ['Add Account to This Server', "Restart This Server's Instances"]);
    process.stderr.write(`context menu of the server row: ${JSON.stringify(serverMenu)}\n`);
    await runRowAction(page, serverRow, 'Add Account to This Server');
    await waitForView(
      async () => page.locator('.quick-input-widget').evaluateAll((elements) => elements.map((element) => (element as unknown as { textContent: string | null }).textContent ?? '').join(' ')),
      (text) => text.includes('Add Account Instance: Notes') && text.includes('The prefix names the account'),
      'Add Account to This Server does not start at the prefix of the notes server',
      30_000,
    );
    await page.keyboard.press('Escape');

    // The status bar's picker: the vault instance, then its first action, Set Secret.
    await runPaletteCommand(s, 'MCPlex: Show Instances');
    await s.waitForQuickPickRow((row) => row.includes('Notes (Vault)'), 30_000);
    await page.keyboard.type('Vault');
    await page.keyboard.press('Enter');
    const actions = await s.waitForQuickPickRow((row) => row.includes('Set Secret'), 30_000);
    process.stderr.write(`status picker actions: ${JSON.stringify(actions)}\n`);
    if (!actions[0]?.includes('Set Secret')) throw new Error(`Set Secret is not the first action: ${JSON.stringify(actions)}`);
    await s.screenshot('status-picker');
    await page.keyboard.press('Enter');
    // It asks for the secret: the password input titled with the secret's name.
    await waitForView(
      async () => page.locator('.quick-input-widget').evaluateAll((elements) => elements.map((element) => (element as unknown as { textContent: string | null }).textContent ?? '').join(' ')),
      (text) => text.includes('vault-key'),
      'Set Secret from the picker does not ask for vault-key',
      30_000,
    );
    await page.keyboard.type('sk-vault-e2e');
    await page.keyboard.press('Enter');
    await waitForRow(page, isRow('Vault', 'running'), 'the vault instance does not run once its secret is set', 60_000);

    // VS Code starts the work server: the row says connected.
    await runPaletteCommand(s, 'MCP: List Servers');
    await s.waitForQuickPickRow((row) => row.startsWith('Notes (Work)'), 30_000);
    await page.keyboard.type('Notes (Work)');
    await page.keyboard.press('Enter');
    await s.waitForQuickPickRow((row) => row.includes('Start Server'), 30_000);
    await page.keyboard.type('Start Server');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await waitForRow(page, isRow('Work', 'running · connected'), 'the work row does not say connected once VS Code started it', 60_000);
    await s.screenshot('e2e-state-tree-connected');
  } finally {
    await run.close();
  }
});
