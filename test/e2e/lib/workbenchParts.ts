// More of the workbench read from code-server's page, for the commands suite: the
// clipboard, a modal dialog, the Output panel, the cursor position in the status bar and
// the active editor's tab. Selectors are VS Code 1.139's; the version is pinned.
import type { Page } from './browser';
import { statusBarTexts, texts, waitForView } from './workbenchViews';

/** The part of Playwright's Page and BrowserContext these helpers use beyond the shared interface. */
interface PageWithContext {
  context(): { grantPermissions(permissions: string[], options?: { origin?: string }): Promise<void> };
  evaluate<R>(expression: string): Promise<R>;
}

function extended(page: Page): PageWithContext {
  return page as unknown as PageWithContext;
}

/** Lets the page (VS Code's clipboard service, and readClipboard) read and write the clipboard. */
export async function grantClipboard(page: Page, url: string): Promise<void> {
  await extended(page).context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
}

/** The system clipboard's text, as the page reads it. */
export function readClipboard(page: Page): Promise<string> {
  return extended(page).evaluate<string>('navigator.clipboard.readText()');
}

export function writeClipboard(page: Page, text: string): Promise<void> {
  return extended(page).evaluate<void>(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
}

const DIALOG = '.monaco-dialog-box';

/**
 * Waits for a modal dialog; returns its message and detail text, joined by " | ". A dialog
 * without a detail has no `.dialog-message` at all: VS Code writes its message into the
 * detail element (base/browser/ui/dialog), which is why both are read.
 */
export async function waitForDialog(page: Page, timeoutMs = 15_000): Promise<string> {
  const found = await waitForView(() => texts(page, `${DIALOG} .dialog-message-text, ${DIALOG} .dialog-message-detail`), (messages) => messages.some((text) => text !== ''), 'no modal dialog', timeoutMs);
  return found.filter((text) => text !== '').join(' | ');
}

/** The labels of the open dialog's buttons. */
export function dialogButtons(page: Page): Promise<string[]> {
  return texts(page, `${DIALOG} .dialog-buttons .monaco-button`);
}

export async function clickDialogButton(page: Page, label: string): Promise<void> {
  const buttons = await dialogButtons(page);
  const index = buttons.indexOf(label);
  if (index < 0) throw new Error(`the dialog has no "${label}" button; it has ${JSON.stringify(buttons)}`);
  await (page.locator(`${DIALOG} .dialog-buttons .monaco-button`).nth(index) as unknown as { click(): Promise<void> }).click();
  await page.locator(DIALOG).waitFor({ state: 'hidden', timeout: 10_000 });
}

export interface OutputView {
  /** The channel the Output view's picker has selected (its select box is drawn twice: the same name once). */
  readonly channel: string;
  /** The lines its editor draws (the visible ones; it scrolls to the end as lines arrive). */
  readonly lines: string[];
}

/** The Output panel as shown: its selected channel and the lines drawn. */
export async function outputView(page: Page): Promise<OutputView> {
  const channels = await page
    .locator('.part.panel select.monaco-select-box')
    .evaluateAll((elements) =>
      elements.map((element) => {
        const select = element as unknown as { selectedIndex: number; options: ArrayLike<{ textContent: string | null }> };
        return select.options[select.selectedIndex]?.textContent ?? '';
      }),
    );
  const lines = await texts(page, '.part.panel .output-view .view-lines .view-line');
  return { channel: [...new Set(channels)].join(' | '), lines };
}

/** Types `text` into the Output view's filter box (what the instance log's marker line tells users to do). */
export async function filterOutput(page: Page, text: string): Promise<void> {
  await (page.locator('.part.panel .viewpane-filter input').first() as unknown as { click(): Promise<void> }).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  if (text !== '') await page.keyboard.type(text);
}

/** `{ line, column }` from the status bar's `Ln X, Col Y`, or undefined when no editor has focus. */
export async function cursorPosition(page: Page): Promise<{ line: number; column: number } | undefined> {
  for (const item of await statusBarTexts(page)) {
    const match = /Ln (\d+), Col (\d+)/.exec(item);
    if (match) return { line: Number(match[1]), column: Number(match[2]) };
  }
  return undefined;
}

/** The active editor tab's accessible label (`.mcplex.jsonc`, maybe followed by `, preview`), or '' when none. */
export async function activeTab(page: Page): Promise<string> {
  const found = await page.locator('.part.editor .tabs-container .tab.active').evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
  return found[0] ?? '';
}
