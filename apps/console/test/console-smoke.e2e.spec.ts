import type { Browser } from 'playwright-core';
import { type ConsolePage, launchChromium, openPage, visibleText } from './support/browser';
import { ConsoleService, tokenFor } from './support/console-service';
import { UI_TIMEOUT_MS, choose, shown, typeInto } from './support/ui';

/**
 * The console is served by the service itself and renders in Debian's chromium: the static files at
 * /console with the SPA fallback, the development sign-in page while the service runs on the embedded
 * development secret, a sign-in through it, and the production hand-over of a token in the fragment.
 */
jest.setTimeout(60_000);

describe('console smoke (chromium)', () => {
  let service: ConsoleService;
  let browser: Browser;
  let opened: ConsolePage | undefined;

  beforeAll(async () => {
    [service, browser] = await Promise.all([ConsoleService.start('smoke'), launchChromium()]);
  });

  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('serves index.html and its assets at /console without a token, and index.html for any page under it', async () => {
    const index = await fetch(service.consoleUrl());
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await index.text();
    const [, script] = /<script[^>]+src="([^"]+)"/.exec(html) ?? [];
    expect(script).toMatch(/^\/console\/assets\/.+\.js$/);
    const asset = await fetch(`${service.baseUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);

    const deep = await fetch(service.consoleUrl('lots/SZ-2026-RR3-L1'));
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(html);
    // An asset that is not there is a 404, not the page.
    expect((await fetch(`${service.baseUrl}/console/assets/missing-0000.js`)).status).toBe(404);
  });

  it('renders the development sign-in page in chromium, with no console error', async () => {
    opened = await openPage(browser);
    const { page } = opened;
    await page.goto(service.consoleUrl());
    await shown(page, 'page-sign-in');
    await shown(page, 'sign-in-role');
    await shown(page, 'sign-in-subject');
    await shown(page, 'sign-in-submit');
    expect(page.url()).toBe(service.consoleUrl('sign-in'));
    expect(await visibleText(page)).toContain('开发环境登录');
    expect(opened.problems()).toEqual([]);
  });

  it('signs a center in through the development sign-in and lands on its lots', async () => {
    opened = await openPage(browser);
    const { page } = opened;
    await page.goto(service.consoleUrl('sign-in'));
    await choose(page, 'sign-in-role', '招标中心');
    await typeInto(page, 'sign-in-subject', 'SZ-PRC');
    await page.getByTestId('sign-in-submit').click();
    await shown(page, 'page-lots');
    expect(await (await shown(page, 'session-subject')).innerText()).toBe('SZ-PRC');
    expect(await page.getByTestId('session-role').innerText()).toBe('招标中心');
    expect(opened.problems()).toEqual([]);
  });

  it('takes a token handed over in the fragment, keeps it out of the address bar, and switches to English', async () => {
    opened = await openPage(browser);
    const { page } = opened;
    await page.goto(`${service.consoleUrl()}#token=${tokenFor('operator', 'ops-1')}`);
    await shown(page, 'session-subject');
    expect(await page.getByTestId('session-subject').innerText()).toBe('ops-1');
    expect(page.url()).not.toContain('token');
    await page.getByTestId('language-switch').first().click();
    await page.getByTestId('session-role').filter({ hasText: 'Bank operator' }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(opened.problems()).toEqual([]);
  });
});
