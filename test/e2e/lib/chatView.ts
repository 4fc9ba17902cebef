// The chat view as drawn, read from code-server's page: the MCP App parts of a response,
// their errors, and what the app's own document shows inside its (nested) webview frames.
// Selectors are VS Code 1.139's; the version is pinned.
import type { Page } from './browser';
import { texts, waitForView } from './workbenchViews';

const CHAT = '.interactive-session';
/** The webview VS Code mounts for an MCP App in a chat response (mcpAppContentPart). */
export const APP_WEBVIEW = `${CHAT} .mcp-app-part .mcp-app-webview iframe`;
const APP_ERROR = `${CHAT} .mcp-app-part .mcp-app-error`;

/** How many MCP App webviews the chat view holds. */
export function appWebviewCount(page: Page): Promise<number> {
  return page.locator(APP_WEBVIEW).count();
}

/** The messages of the errors MCP App parts show instead of their view (none when the views loaded). */
export function appErrors(page: Page): Promise<string[]> {
  return texts(page, APP_ERROR);
}

/** The text of every element `selector` matches in any frame of the page (a webview's document is a nested frame). */
export async function textsInFrames(page: Page, selector: string): Promise<string[]> {
  const found: string[] = [];
  for (const frame of page.frames()) {
    const inFrame = await frame
      .locator(selector)
      .evaluateAll((elements) => elements.map((element) => (element.textContent ?? '').trim()))
      .catch(() => [] as string[]);
    found.push(...inFrame);
  }
  return found;
}

/** Waits until some frame shows `selector` with a text `accept` takes; returns the texts seen then. */
export function waitForTextInFrames(page: Page, selector: string, accept: (text: string) => boolean, what: string, timeoutMs = 60_000): Promise<string[]> {
  return waitForView(() => textsInFrames(page, selector), (found) => found.some(accept), what, timeoutMs);
}

/** How the probe's scripted model (probe/chatModel.js) begins the reply that ends its turn. */
export const SCRIPTED_MODEL_DONE = 'MCPlex probe done';

/** The text of the chat's responses (the scripted model's final words land here). */
export function chatResponseTexts(page: Page): Promise<string[]> {
  return texts(page, `${CHAT} .interactive-response .value`);
}
