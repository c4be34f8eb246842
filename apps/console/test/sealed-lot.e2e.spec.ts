import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, visibleText } from './support/browser';
import { ConsoleService } from './support/console-service';
import { ALPHA, CENTER, DELTA, NOW, SEALED, SEALED_TERMS, type SeededBook, T0, seedBook } from './support/scenario';
import { browserAt, shown, shownMoney } from './support/ui';

jest.setTimeout(90_000);

/** What the center's browser got from the service while it showed a page, and what it showed. */
interface Look {
  text: string;
  dom: string;
  screenshot: Buffer;
  /** Every /v1 answer the page received, `METHOD path status body`, in a stable order. */
  answers: string[];
  downloadButtons: { testId: string; enabled: boolean }[];
}

/**
 * "A sealed lot's page, screenshot and downloads hold no amount or payer." Two services are seeded with the
 * same book, one where ALPHA and DELTA paid 120,000.00 each into the sealed lot and one where nobody paid into it. The
 * center's pages that show the sealed lot (its own, the list of lots, its payment instructions) are compared
 * between them: the visible text, the whole DOM, the API answers the browser received and the screenshot
 * must be the same byte for byte, so nothing on them (shown, hidden, or on the wire) depends on what was paid. The files a center could download are refused alike.
 */
describe('a sealed lot in the center’s browser holds no amount and no payer (chromium)', () => {
  let paid: ConsoleService;
  let unpaid: ConsoleService;
  let browser: Browser;
  let paidBook: SeededBook;

  beforeAll(async () => {
    [paid, unpaid, browser] = await Promise.all([ConsoleService.start('sealed-paid', { now: T0 }), ConsoleService.start('sealed-unpaid', { now: T0 }), launchChromium()]);
    paidBook = await seedBook(paid);
    await seedBook(unpaid, { sealedPayments: false });
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([paid?.close(), unpaid?.close()]);
  });

  async function look(service: ConsoleService, route = `lots/${SEALED}`, ready = 'sealed-notice'): Promise<Look> {
    const opened = await openPage(browser);
    try {
      const { page } = opened;
      const answers: Promise<string>[] = [];
      page.on('response', (response) => {
        const url = new URL(response.url());
        if (!url.pathname.startsWith('/v1/')) return;
        answers.push(response.text().then((body) => `${response.request().method()} ${url.pathname}${url.search} ${response.status()} ${body}`, () => `${url.pathname} (no body)`));
      });
      await browserAt(page, NOW);
      await service.openAs(page, 'center', CENTER);
      await page.goto(service.consoleUrl(route));
      await shown(page, ready);
      await settle(page);
      const downloadButtons = await page.locator('[data-testid*="download"]').evaluateAll((elements) =>
        elements.map((element) => ({ testId: element.getAttribute('data-testid') ?? '', enabled: !(element as unknown as { disabled?: boolean }).disabled })),
      );
      const look: Look = {
        text: await visibleText(page),
        // The only difference allowed: each service's own port, in the links the page writes.
        dom: (await page.content()).replaceAll(service.baseUrl, 'http://service'),
        screenshot: await page.screenshot({ fullPage: true, animations: 'disabled' }),
        answers: (await Promise.all(answers)).sort(),
        downloadButtons,
      };
      expect(opened.trouble.pageErrors).toEqual([]);
      expect(opened.trouble.serverErrors).toEqual([]);
      return look;
    } finally {
      await opened.close();
    }
  }

  it('shows the lot sealed, with its terms and no payer or paid amount', async () => {
    const seen = await look(paid);
    expect(seen.text).toContain(SEALED_TERMS.name);
    expect(seen.text).toContain('开标前保密');
    for (const secret of [ALPHA.name, DELTA.name, ALPHA.accountNo, DELTA.accountNo, 'DELTA', shownMoney('240000.00'), '240000.00', paidBook.sealedBonds.ALPHA, paidBook.sealedBonds.DELTA]) {
      expect(seen.text).not.toContain(secret);
      expect(seen.dom).not.toContain(secret);
      expect(seen.answers.join('\n')).not.toContain(secret);
    }
  });

  it.each([
    ['the lot’s page', `lots/${SEALED}`, 'sealed-notice'],
    ['the list of lots', 'lots', `lot-row-${SEALED}`],
    ['the payment instructions page', `lots/${SEALED}/instructions`, 'page-payment-instructions'],
  ])('%s: the same text, DOM, API answers and screenshot whether anyone paid', async (_page, route, ready) => {
    const [withPayments, withoutPayments] = [await look(paid, route, ready), await look(unpaid, route, ready)];
    expect(withPayments.text).toBe(withoutPayments.text);
    expect(withPayments.answers).toEqual(withoutPayments.answers);
    expect(withPayments.dom).toBe(withoutPayments.dom);
    expect(withPayments.screenshot.equals(withoutPayments.screenshot)).toBe(true);
    // Not alike for want of a difference: the bank, whose look is recorded, sees two bonds in one and none in the other.
    const bondsSeenByTheBank = async (service: ConsoleService) => (await service.expectApi(200, 'GET', `/v1/lots/${SEALED}/bonds`, 'operator', 'ops-1')).bonds.length;
    expect([await bondsSeenByTheBank(paid), await bondsSeenByTheBank(unpaid)]).toEqual([2, 0]);
  });

  it('offers no download of the sealed lot, and the API refuses each one to the center alike in both', async () => {
    const seen = await look(paid);
    expect(seen.downloadButtons.filter((button) => button.enabled)).toEqual([]);
    const files = [
      `/v1/lots/${SEALED}/statement?format=csv`,
      `/v1/lots/${SEALED}/statement?format=pdf`,
      `/v1/lots/${SEALED}/statement`,
      `/v1/lots/${SEALED}/refund-list?format=csv`,
      `/v1/lots/${SEALED}/refund-preview?refundOn=${NOW.slice(0, 10)}`,
      `/v1/bonds/${encodeURIComponent(paidBook.sealedBonds.ALPHA)}/certificate`,
      `/v1/bonds/${encodeURIComponent(paidBook.sealedBonds.DELTA)}/certificate`,
    ];
    for (const path of files) {
      const [inPaid, inUnpaid] = [await paid.api('GET', path, 'center', CENTER), await unpaid.api('GET', path, 'center', CENTER)];
      expect({ path, status: inPaid.status }).toEqual({ path, status: 403 });
      expect(inPaid.body?.error?.code).toBe('SEALED_UNTIL_BID_OPENING');
      expect(inUnpaid.status).toBe(inPaid.status);
      expect(inUnpaid.body).toEqual(inPaid.body);
    }
  });
});

/** Waits until the page has its data: no spinner, no request in flight. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 10_000 });
}
