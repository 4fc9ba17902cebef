// playwright-core lives in the provisioning cache, not in the repo's node_modules (the
// repo does not depend on it), so it is loaded by path. These interfaces name the part
// of its API the runner uses; the one cast below is the boundary where they meet.
import { createRequire } from 'node:module';

/** The part of a DOM element the runner reads inside the page (the repo has no DOM types). */
export interface PageElement {
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
}

export interface Locator {
  first(): Locator;
  nth(index: number): Locator;
  count(): Promise<number>;
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  getAttribute(name: string, options?: { timeout?: number }): Promise<string | null>;
  textContent(): Promise<string | null>;
  evaluateAll<R>(fn: (elements: PageElement[]) => R): Promise<R>;
}

export interface Keyboard {
  press(key: string): Promise<void>;
  type(text: string, options?: { delay?: number }): Promise<void>;
}

/** A frame of the page (iframes included, however deeply nested): a webview's document is one. */
export interface Frame {
  url(): string;
  locator(selector: string): Locator;
}

export interface Page {
  readonly keyboard: Keyboard;
  /** Every frame of the page, the main one first. */
  frames(): Frame[];
  goto(url: string, options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' }): Promise<unknown>;
  locator(selector: string): Locator;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  setDefaultTimeout(timeoutMs: number): void;
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
}

export interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

interface LaunchOptions {
  executablePath: string;
  headless: boolean;
  args: string[];
  env: Record<string, string>;
  timeout: number;
  viewport: { width: number; height: number };
}

interface PlaywrightModule {
  chromium: { launchPersistentContext(userDataDir: string, options: LaunchOptions): Promise<BrowserContext> };
}

/** Flags verified on this kind of machine (E2E-NOTES.md): no sandbox as root, no GPU, no network chatter. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Starts chromium on a new, empty profile in `userDataDir` (the run's own folder, not /tmp). */
export async function launchChromium(
  playwrightCorePath: string,
  chromiumPath: string,
  userDataDir: string,
  env: Record<string, string>,
): Promise<BrowserContext> {
  const playwright = createRequire(__filename)(playwrightCorePath) as PlaywrightModule;
  return playwright.chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    env,
    timeout: 30_000,
    viewport: { width: 1400, height: 900 },
  });
}
