// Driving the MCPlex "Instances" view of code-server's page: its rows as text, expanding an
// instance, and running an entry of a row's context menu (right-click, then the entry of
// `.monaco-menu`). Selectors are VS Code 1.139's; the version is pinned.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from './browser';
import { texts, waitForView } from './workbenchViews';

/** The view's rows (the MCPlex container holds this one view, so the side bar's list is it). */
export const TREE_ROWS = '.part.sidebar .monaco-list-row';
const MENU_ENTRIES = '.monaco-menu .action-item:not(.disabled) .action-menu-item .action-label';
const FOCUSED_ENTRY = '.monaco-menu .action-item.focused .action-menu-item .action-label';

/** Playwright's click, which the shared Locator interface leaves out (a right-click opens the context menu). */
interface ClickableLocator {
  click(options?: { button?: 'left' | 'right'; timeout?: number }): Promise<void>;
}

function clickable(page: Page, selector: string, index: number): ClickableLocator {
  return page.locator(selector).nth(index) as unknown as ClickableLocator;
}

export interface TreeRow {
  /** The label and description as the row shows them (`Workwork · running · 4 tools`). */
  readonly text: string;
  /** `true` or `false` for a row with children, `null` for a leaf. */
  readonly expanded: string | null;
}

export async function treeRows(page: Page): Promise<TreeRow[]> {
  return page.locator(TREE_ROWS).evaluateAll((elements) =>
    elements.map((element) => ({ text: (element.textContent ?? '').replace(/\s+/g, ' ').trim(), expanded: element.getAttribute('aria-expanded') })),
  );
}

/** Waits until a row satisfies `predicate`; returns its index among the rows drawn then. */
export async function waitForRow(page: Page, predicate: (text: string) => boolean, what: string, timeoutMs = 30_000): Promise<number> {
  const rows = await waitForView(() => texts(page, TREE_ROWS), (found) => found.some(predicate), what, timeoutMs);
  return rows.findIndex(predicate);
}

/** Waits until no row satisfies `predicate` (a removed instance, a cleared state). */
export async function waitForNoRow(page: Page, predicate: (text: string) => boolean, what: string, timeoutMs = 30_000): Promise<string[]> {
  return waitForView(() => texts(page, TREE_ROWS), (found) => found.length > 0 && !found.some(predicate), what, timeoutMs);
}

/** Expands the row `predicate` picks (by its twistie, so the selection stays where it was). */
export async function expandRow(page: Page, predicate: (text: string) => boolean, what: string): Promise<void> {
  await waitForRow(page, predicate, what);
  const rows = await treeRows(page);
  const index = rows.findIndex((row) => predicate(row.text));
  if (rows[index]?.expanded === 'true') return;
  await clickable(page, `${TREE_ROWS} .monaco-tl-twistie`, index).click();
  await waitForView(treeRows.bind(undefined, page), (found) => found.find((row) => predicate(row.text))?.expanded === 'true', `${what}: it did not expand`);
}

/** The enabled entries of the open context menu, top to bottom. */
export function menuEntries(page: Page): Promise<string[]> {
  return texts(page, MENU_ENTRIES);
}

/** Moves the open menu's focus down until `entry` has it; false when a full round never reaches it. */
async function focusMenuEntry(page: Page, entry: string, count: number): Promise<boolean> {
  for (let step = 0; step <= count; step += 1) {
    await page.keyboard.press('ArrowDown');
    const focused = await texts(page, FOCUSED_ENTRY);
    if (focused[0] === entry) return true;
  }
  return false;
}

/**
 * Opens the context menu of the row `predicate` picks until it offers every entry of
 * `expected` (a `when` clause or an enablement can settle a moment after the row is drawn),
 * closes it, and returns what it offered last.
 */
export async function waitForMenu(page: Page, predicate: (text: string) => boolean, expected: readonly string[], timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const index = await waitForRow(page, predicate, `no row to open a menu on for ${JSON.stringify(expected)}`);
    await clickable(page, TREE_ROWS, index).click({ button: 'right', timeout: 5_000 });
    const offered: string[] = await waitForView(() => menuEntries(page), (found) => found.length > 0, 'no context menu opened', 5_000).catch(() => []);
    await page.keyboard.press('Escape');
    if (expected.every((entry) => offered.includes(entry))) return offered;
    if (Date.now() >= deadline) throw new Error(`the context menu offers ${JSON.stringify(offered)}, not all of ${JSON.stringify(expected)}`);
    await sleep(500);
  }
}

/**
 * Right-clicks the row `predicate` picks and runs the menu entry `entry`. Returns the
 * entries the menu offered, so a test can say what it saw. Retries the right-click while
 * the row is redrawn under the pointer (a state change replaces the row's element).
 */
export async function runRowAction(page: Page, predicate: (text: string) => boolean, entry: string, timeoutMs = 15_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let offered: string[] = [];
  for (;;) {
    const index = await waitForRow(page, predicate, `no row for "${entry}"`);
    await clickable(page, TREE_ROWS, index).click({ button: 'right', timeout: 5_000 });
    offered = await waitForView(() => menuEntries(page), (found) => found.length > 0, 'no context menu opened', 5_000).catch(() => []);
    if (offered.includes(entry)) {
      // By keyboard: a mouse click on an entry is sometimes dropped by the menu (seen with
      // the second entry of a menu opened by the right-click just before).
      const focused = await focusMenuEntry(page, entry, offered.length);
      if (focused) {
        await page.keyboard.press('Enter');
        await page.locator('.monaco-menu').first().waitFor({ state: 'hidden', timeout: 5_000 });
        return offered;
      }
    }
    await page.keyboard.press('Escape');
    if (Date.now() >= deadline) throw new Error(`the context menu offers no "${entry}"; it offers ${JSON.stringify(offered)}`);
    await sleep(500);
  }
}
