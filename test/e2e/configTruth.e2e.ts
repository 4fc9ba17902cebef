// Issue 16's "config-truth" in a real VS Code (code-server 4.139.1, headless chromium): a typo
// in .mcplex.jsonc (`"lable"`) keeps both instances running, and the MCPlex view says why (a
// row: the file has errors, running its last good version); once the key is fixed the row
// goes away and both still run. The key is fixed the user's way: the error row opens the file
// at the typo, Ctrl+. offers `Change to "label"`, Enter applies it, Ctrl+S saves.
// Screenshot of the tree in test-results/.
// Run: npm run build && node --import tsx --test test/e2e/configTruth.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from './lib/browser';
import { E2eRun } from './lib/e2eRun';
import { REPO_ROOT } from './lib/environment';
import { lineOf } from './lib/everythingWorkspace';
import { TREE_ROWS, waitForRow } from './lib/mcplexView';
import { activeTab, cursorPosition } from './lib/workbenchParts';
import { texts, waitForView } from './lib/workbenchViews';

const NOTES_SERVER = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');

const CONFIG = `{
  "servers": {
    "notes": {
      "command": "node",
      "args": [${JSON.stringify(NOTES_SERVER)}],
      "instances": {
        "work": { "label": "Work", "env": { "ACCOUNT": "work" } },
        "personal": { "label": "Personal", "env": { "ACCOUNT": "personal" } }
      }
    }
  }
}
`;

const ERROR_ROW = 'The configuration file has errors';

/** The code action widget's rows (VS Code 1.139: `.action-widget`, a list of actions and their group headers). */
const ACTION_ROWS = '.action-widget .monaco-list-row';

/** Ctrl+. in the editor, retried until the widget lists something (the diagnostics may arrive after the cursor). */
async function openQuickFix(page: Page): Promise<string[]> {
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('Control+.');
    const rows = await waitForView(() => texts(page, ACTION_ROWS), (found) => found.some((row) => row.startsWith('Change to')), 'no quick fix listed', 5_000).catch(() => undefined);
    if (rows !== undefined) return rows;
    if (attempt > 10) throw new Error(`Ctrl+. lists no "Change to" fix: ${JSON.stringify(await texts(page, ACTION_ROWS))}`);
    await page.keyboard.press('Escape');
    await sleep(1_000);
  }
}

/** Moves the widget's focus to the action titled `title` (keyboard, as a user would) and applies it. */
async function pickQuickFix(page: Page, title: string): Promise<void> {
  for (let step = 0; step < 20; step++) {
    const focused = await texts(page, `${ACTION_ROWS}.focused`);
    if (focused[0]?.startsWith(title) === true) {
      await page.keyboard.press('Enter');
      await page.locator('.action-widget').first().waitFor({ state: 'hidden', timeout: 10_000 });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`the quick fix widget never focuses "${title}": ${JSON.stringify(await texts(page, ACTION_ROWS))}`);
}

test('a typo keeps the running instances, the tree says why, and the quick fix repairs the key', { timeout: 900_000 }, async () => {
  const run = await E2eRun.create('config-truth');
  const { root } = run;
  const workspace = join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const configPath = join(workspace, '.mcplex.jsonc');
  writeFileSync(configPath, CONFIG);
  try {
    const session = await run.startMcplex({ workspace });
    const page = session.page;
    const bothRunning = (rows: string[]) => ['Work', 'Personal'].every((label) => rows.some((row) => row.startsWith(label) && row.includes('running')));

    for (let attempt = 0; ; attempt++) {
      try {
        await session.runCommand('View: Show MCPlex');
        break;
      } catch (error) {
        if (attempt > 30) throw error;
        await page.keyboard.press('Escape');
        await sleep(1_000);
      }
    }
    await waitForView(() => texts(page, TREE_ROWS), bothRunning, 'both instances running at first', 90_000);

    // The typo: an unknown key in the personal instance.
    const typo = CONFIG.replace('"personal": { "label"', '"personal": { "lable"');
    writeFileSync(configPath, typo);
    await waitForRow(page, (row) => row.startsWith(ERROR_ROW), 'the row that says the file has errors', 60_000);
    const rows = await texts(page, TREE_ROWS);
    process.stderr.write(`MCPlex view with the typo: ${JSON.stringify(rows)}\n`);
    assert.ok(rows.some((row) => row.startsWith(ERROR_ROW) && row.includes('running its last good version')), JSON.stringify(rows));
    assert.ok(bothRunning(rows), `both instances still run: ${JSON.stringify(rows)}`);
    await session.screenshot('e2e-config-truth-tree');

    // The user fixes the key with the quick fix: the error row opens the file at the typo,
    // Ctrl+. lists the code actions there, "Change to "label"" edits the key, Ctrl+S saves.
    const errorRow = await waitForRow(page, (row) => row.startsWith(ERROR_ROW), 'the error row before the click');
    await (page.locator(TREE_ROWS).nth(errorRow) as unknown as { click(): Promise<void> }).click();
    await waitForView(() => activeTab(page), (tab) => tab.startsWith('.mcplex.jsonc'), 'the error row did not open the file');
    const typoLine = lineOf(typo, '"lable"');
    await waitForView(() => cursorPosition(page), (position) => position?.line === typoLine, `the cursor is not at the typo (line ${typoLine})`);
    // The click leaves the focus in the tree (as the Explorer does): the editor takes it for Ctrl+.
    await session.runCommand('View: Focus Active Editor Group');
    const fixes = await openQuickFix(page);
    process.stderr.write(`Quick fixes at the typo: ${JSON.stringify(fixes)}\n`);
    await pickQuickFix(page, 'Change to "label"');
    await waitForView(() => activeTab(page), (tab) => tab.includes('.mcplex.jsonc'), 'the editor lost the file');
    await page.keyboard.press('Control+S');
    const fixed = await waitForView(async () => readFileSync(configPath, 'utf8'), (text) => text !== '' && !text.includes('"lable"'), 'the quick fix did not repair the key', 30_000);
    assert.equal(fixed, CONFIG);

    await session.runCommand('View: Show MCPlex');
    const after = await waitForView(() => texts(page, TREE_ROWS), (found) => bothRunning(found) && !found.some((row) => row.startsWith(ERROR_ROW)), 'the error row is gone once fixed', 60_000);
    process.stderr.write(`MCPlex view after the fix: ${JSON.stringify(after)}\n`);
  } catch (error) {
    await run.session?.screenshot('e2e-config-truth-failure').catch(() => undefined);
    throw error;
  } finally {
    await run.close();
  }
});
