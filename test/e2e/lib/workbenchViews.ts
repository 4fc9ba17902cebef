// Reading what the workbench shows (Problems panel, status bar, notifications) from the
// DOM of code-server's page. Selectors are VS Code 1.139's; the version is pinned.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from './browser';

/** The visible text of every element `selector` matches, in document order. */
export async function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) => elements.map((element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim()));
}

/** The rows of the Problems panel as text (`message source(code) [Ln L, Col C]`). */
export function problemRows(page: Page): Promise<string[]> {
  return texts(page, '.markers-panel .monaco-list-row');
}

/** The texts of the status bar items, left to right. */
export function statusBarTexts(page: Page): Promise<string[]> {
  return texts(page, '.part.statusbar .statusbar-item');
}

/** The messages of the notification toasts and of the notification center. */
export function notificationTexts(page: Page): Promise<string[]> {
  return texts(page, '.notification-list-item-message');
}

/** Polls `read` until `accept` holds; returns the last value, or throws with it. */
export async function waitForView<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && accept(value)) return value;
    if (Date.now() >= deadline) throw new Error(`${what} within ${timeoutMs} ms; last seen: ${JSON.stringify(value)}`);
    await sleep(200);
  }
}
