import type { Browser } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { launchChromium, openPage, visibleText } from './support/browser';
import { ConsoleService } from './support/console-service';
import { ALPHA, BRAVO, CHARLIE, DELTA, NOW, OPENED, SEALED, type SeededBook, T0, seedBook } from './support/scenario';
import { browserAt, shown, shownMoney } from './support/ui';

jest.setTimeout(60_000);

/**
 * "A bidder sees only its own bond": the tender platform hands ALPHA a token and opens the console. ALPHA
 * paid into the opened lot and into the sealed one; BRAVO, CHARLIE and DELTA paid too. ALPHA's pages, and
 * every API answer its browser receives, hold its own bonds and nothing of the others'; another bidder's
 * bond looks exactly like one that does not exist.
 */
describe('a bidder in the console sees its own bonds only (chromium)', () => {
  let service: ConsoleService;
  let browser: Browser;
  let book: SeededBook;

  beforeAll(async () => {
    [service, browser] = await Promise.all([ConsoleService.start('bidder', { now: T0 }), launchChromium()]);
    book = await seedBook(service);
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  /** Everything of the others that must not reach ALPHA's browser. */
  const othersSecrets = () => [
    ...[BRAVO, CHARLIE, DELTA].flatMap((account) => [account.name, account.accountNo]),
    book.bonds.BRAVO,
    book.bonds.CHARLIE,
    book.sealedBonds.DELTA,
    'BRAVO',
    'CHARLIE',
    'DELTA',
  ];

  it('lists its own bonds, in the opened and in the sealed lot, with amount, status, interest and refund', async () => {
    // 404s are the point of the last look: another's bond answers as none.
    const opened = await openPage(browser);
    try {
      const { page } = opened;
      const answers: Promise<string>[] = [];
      page.on('response', (response) => {
        if (new URL(response.url()).pathname.startsWith('/v1/')) answers.push(response.text().catch(() => ''));
      });
      await browserAt(page, NOW);
      await service.openAs(page, 'bidder', 'ALPHA');
      await shown(page, 'page-bidder-bonds');
      const own = await service.expectApi(200, 'GET', '/v1/bidders/ALPHA/bonds', 'bidder', 'ALPHA');
      expect(own.bonds.map((bond: { bondId: string }) => bond.bondId).sort()).toEqual([book.bonds.ALPHA, book.sealedBonds.ALPHA].sort());
      const inOpened = await shown(page, `bond-row-${book.bonds.ALPHA}`);
      expect(await inOpened.getByTestId('bond-lot').innerText()).toBe(OPENED);
      expect(await inOpened.getByTestId('bond-principal').innerText()).toBe('50,000.00');
      expect(await inOpened.innerText()).toContain(shownMoney(own.bonds.find((bond: { bondId: string }) => bond.bondId === book.bonds.ALPHA).accruedInterest));
      const inSealed = await shown(page, `bond-row-${book.sealedBonds.ALPHA}`);
      expect(await inSealed.getByTestId('bond-lot').innerText()).toBe(SEALED);
      expect(await inSealed.getByTestId('bond-principal').innerText()).toBe('120,000.00');
      expect(await page.locator('[data-testid^="bond-row-"]').count()).toBe(2);

      await page.waitForLoadState('networkidle');
      const text = await visibleText(page);
      const dom = await page.content();
      const wire = (await Promise.all(answers)).join('\n');
      for (const secret of othersSecrets()) {
        expect(text).not.toContain(secret);
        expect(dom).not.toContain(secret);
        expect(wire).not.toContain(secret);
      }
      // Its own bond's page names its own payer account.
      await inOpened.getByTestId('bond-link').click();
      await shown(page, 'bond-details');
      expect(await page.getByTestId('bond-payer').innerText()).toContain(ALPHA.name);
      expect(opened.problems()).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it('downloads its own certificate', async () => {
    const opened = await openPage(browser);
    try {
      const { page } = opened;
      await browserAt(page, NOW);
      await service.openAs(page, 'bidder', 'ALPHA');
      const row = await shown(page, `bond-row-${book.bonds.ALPHA}`);
      const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('bond-certificate').click()]);
      expect((await readFile(await download.path())).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(opened.problems()).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it('finds another bidder’s bond exactly as a bond that does not exist, in the page and in the API', async () => {
    const unknown = book.bonds.BRAVO.replace(/^B-[0-9a-f]{4}/, 'B-0000');
    const looks: string[] = [];
    for (const bondId of [book.bonds.BRAVO, unknown]) {
      const opened = await openPage(browser, {}, [/status of 404/]);
      try {
        const { page } = opened;
        await browserAt(page, NOW);
        await service.openAs(page, 'bidder', 'ALPHA');
        await shown(page, 'page-bidder-bonds');
        await page.goto(service.consoleUrl(`bonds/${encodeURIComponent(bondId)}`));
        await shown(page, 'page-bidder-bond');
        await shown(page, 'error');
        expect(await page.getByTestId('bond-certificate').count()).toBe(0);
        looks.push((await visibleText(page)).replaceAll(bondId, '<bond>'));
        expect(opened.trouble.pageErrors).toEqual([]);
      } finally {
        await opened.close();
      }
    }
    expect(looks[0]).toBe(looks[1]);
    for (const secret of othersSecrets().filter((secret) => secret !== book.bonds.BRAVO)) expect(looks[0]).not.toContain(secret);

    for (const path of [`/v1/bonds/${book.bonds.BRAVO}`, `/v1/bonds/${book.bonds.BRAVO}/certificate`, `/v1/bonds/${book.sealedBonds.DELTA}/certificate`]) {
      const [theirs, none] = [await service.api('GET', path, 'bidder', 'ALPHA'), await service.api('GET', path.replace(/B-[0-9a-f]{4}/, 'B-0000'), 'bidder', 'ALPHA')];
      expect(theirs.status).toBe(404);
      expect(none.status).toBe(404);
      expect(theirs.body.error.code).toBe(none.body.error.code);
    }
    const others = await service.api('GET', '/v1/bidders/BRAVO/bonds', 'bidder', 'ALPHA');
    expect([others.status, others.body.error.code]).toEqual([403, 'FORBIDDEN_TENANT']);
  });

  it('shows DELTA, who paid only into the sealed lot, its own bond there', async () => {
    const opened = await openPage(browser);
    try {
      const { page } = opened;
      await browserAt(page, NOW);
      await service.openAs(page, 'bidder', 'DELTA');
      const row = await shown(page, `bond-row-${book.sealedBonds.DELTA}`);
      expect(await row.getByTestId('bond-principal').innerText()).toBe('120,000.00');
      expect(await page.locator('[data-testid^="bond-row-"]').count()).toBe(1);
      expect(await visibleText(page)).not.toContain(ALPHA.name);
      expect(opened.problems()).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});
