// The command palette, run by a command's exact title: VsCodeSession.runCommand accepts
// only the first row, but recently used commands move up, so "MCPlex: Show Log" can sit
// under "MCPlex: Show Instance Log" once that one has run from a context menu.
import { setTimeout as sleep } from 'node:timers/promises';
import type { VsCodeSession } from './vsCodeSession';
import { waitForView } from './workbenchViews';

const QUICK_INPUT = '.quick-input-widget';

/** F1, type `title`, move to the row labelled exactly `title` (a row's aria-label may add `, …`), Enter. */
export async function runPaletteCommand(session: VsCodeSession, title: string, timeoutMs = 15_000): Promise<void> {
  const page = session.page;
  await page.keyboard.press('F1');
  await page.locator(`${QUICK_INPUT} .quick-input-box input`).waitFor({ state: 'visible' });
  await page.keyboard.type(title);
  const isTitle = (row: string): boolean => row === title || row.startsWith(`${title},`);
  const rows = await waitForView(() => session.quickPickRows(1_000), (found) => found.some(isTitle), `the command palette shows no "${title}"`, timeoutMs);
  for (let index = rows.findIndex(isTitle); index > 0; index -= 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

/** runPaletteCommand, retried while the workbench has not registered the extension's commands yet. */
export async function runPaletteCommandWhenReady(session: VsCodeSession, title: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await runPaletteCommand(session, title, 5_000);
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await session.page.keyboard.press('Escape');
      await sleep(1_000);
    }
  }
}
