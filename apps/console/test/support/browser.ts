import { type Browser, type BrowserContext, type ConsoleMessage, type Page, chromium } from 'playwright-core';
import { existsSync } from 'node:fs';

/** Debian's chromium (apt, installed by .ci/run): playwright-core brings no browser of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The flags the issue names. Playwright adds `--user-data-dir` with a fresh temp folder of its own per
 * launch (and deletes it on close), so no profile, cache or cookie survives from one run to the next.
 */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** One headless chromium for a spec file; `close()` it in afterAll. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install chromium (as .ci/run does), or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** What went wrong in a page: console errors, uncaught exceptions, failed requests and 5xx answers. */
export interface PageTrouble {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly failedRequests: string[];
  readonly serverErrors: string[];
}

export interface ConsolePage {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly trouble: PageTrouble;
  /** Every problem seen so far, one line each (empty: none). */
  problems(): string[];
  close(): Promise<void>;
}

export interface PageOptions {
  /** The UI language the browser asks for; the console is zh-CN first. */
  locale?: string;
  /** Viewport width × height; 1440 × 900 by default (a desk's screen, as the screenshots show it). */
  viewport?: { width: number; height: number };
}

/**
 * A page in a context of its own (its own sessionStorage: one signed-in role per page), in Asia/Shanghai,
 * accepting downloads, and recording every console error, page error, failed request and 5xx answer.
 * `expected` console errors (e.g. a 403 the test provokes on purpose) are matched and left out.
 */
export async function openPage(browser: Browser, options: PageOptions = {}, expected: RegExp[] = []): Promise<ConsolePage> {
  const context = await browser.newContext({
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: options.viewport ?? { width: 1440, height: 900 },
    acceptDownloads: true,
    // Stable rendering for screenshots: no animations from the OS's "reduce motion" being off.
    reducedMotion: 'reduce',
  });
  // A click or wait that cannot happen fails in seconds with what the page shows, not at jest's timeout.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const trouble: PageTrouble = { consoleErrors: [], pageErrors: [], failedRequests: [], serverErrors: [] };
  const isExpected = (text: string) => expected.some((pattern) => pattern.test(text));
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const text = `${message.text()} (${message.location().url})`;
    if (!isExpected(text)) trouble.consoleErrors.push(text);
  });
  page.on('pageerror', (error) => {
    const text = error.stack ?? error.message;
    if (!isExpected(text)) trouble.pageErrors.push(text);
  });
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'failed';
    // A download the test saved, or a navigation the page replaced on purpose, ends as "aborted": not a fault.
    if (/ERR_ABORTED/.test(failure)) return;
    const text = `${request.method()} ${request.url()}: ${failure}`;
    if (!isExpected(text)) trouble.failedRequests.push(text);
  });
  page.on('response', (response) => {
    if (response.status() < 500) return;
    const text = `${response.request().method()} ${response.url()}: ${response.status()}`;
    if (!isExpected(text)) trouble.serverErrors.push(text);
  });
  const opened: ConsolePage = {
    context,
    page,
    trouble,
    problems: () => [
      ...trouble.consoleErrors.map((line) => `console error: ${line}`),
      ...trouble.pageErrors.map((line) => `page error: ${line}`),
      ...trouble.failedRequests.map((line) => `request failed: ${line}`),
      ...trouble.serverErrors.map((line) => `server error: ${line}`),
    ],
    close: () => context.close(),
  };
  pages.set(page, opened);
  return opened;
}

const pages = new WeakMap<Page, ConsolePage>();

/** What a page opened by `openPage` has seen go wrong so far (none for another page). */
export function problemsOf(page: Page): string[] {
  return pages.get(page)?.problems() ?? [];
}

/** Where a page is and what it shows, with its problems: for the message of a failed wait. */
export async function describePage(page: Page): Promise<string> {
  const text = await page.locator('body').innerText({ timeout: 1_000 }).catch(() => '(no body)');
  const problems = problemsOf(page);
  return [`at ${page.url()}`, `shows: ${text.replace(/\s+/g, ' ').slice(0, 600)}`, ...(problems.length === 0 ? [] : ['problems:', ...problems])].join('\n');
}

/** The page's visible text (for "no amount, no payer" checks: what a person could read on screen). */
export async function visibleText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

/** `[data-testid="id"]`. */
export const byTestId = (id: string) => `[data-testid="${id}"]`;
