import type { Browser, Page } from 'playwright-core';
import { type ConsolePage, launchChromium, openPage } from './support/browser';
import { BANK, ConsoleService } from './support/console-service';
import { DELTA, MASTER, NOW, SEALED, type SeededBook, STRANGER, T0, seedBook } from './support/scenario';
import { appears, browserAt, shown, typeInto } from './support/ui';

jest.setTimeout(60_000);

/**
 * The bank operator's desk in chromium on the seeded book: the suspense queue with why each credit is there,
 * a MATCH (after a refusal shown on its field) and a RETURN, then the failed and overdue refunds, the master
 * accounts and the rate schedules.
 */
describe('a bank operator works the suspense queue and follows refunds in the console (chromium)', () => {
  let service: ConsoleService;
  let browser: Browser;
  let book: SeededBook;
  let opened: ConsolePage;
  let page: Page;

  beforeAll(async () => {
    [service, browser] = await Promise.all([ConsoleService.start('operator', { now: T0 }), launchChromium()]);
    book = await seedBook(service);
    // The refused match is provoked on purpose: chromium logs its 422 as a failed load.
    opened = await openPage(browser, {}, [/status of 422 .*\/resolution\)$/]);
    page = opened.page;
    await browserAt(page, NOW);
    await service.openAs(page, 'operator', 'ops-1');
    await shown(page, 'page-operator-suspense');
  });

  afterAll(async () => {
    await opened?.close();
    await browser?.close();
    await service?.close();
  });

  afterEach(() => {
    expect(opened.problems()).toEqual([]);
  });

  const row = (creditId: string) => page.getByTestId(`suspense-row-${creditId}`);

  it('shows each suspended credit with why it is there, its amount and its payer', async () => {
    const badCheckDigit = await shown(page, `suspense-row-${book.suspended.badCheckDigit}`);
    expect(await badCheckDigit.getByTestId('suspense-reason').getAttribute('data-reason')).toBe('BAD_CHECK_DIGIT');
    expect(await badCheckDigit.getByTestId('suspense-amount').innerText()).toBe('50,000.00');
    expect(await badCheckDigit.getByTestId('suspense-payer').innerText()).toContain(DELTA.name);
    const unknown = row(book.suspended.unknownAccount);
    expect(await unknown.getByTestId('suspense-reason').getAttribute('data-reason')).toBe('UNKNOWN_VIRTUAL_ACCOUNT');
    expect(await unknown.getByTestId('suspense-amount').innerText()).toBe('12,345.67');
    expect(await page.getByTestId(`suspense-balance-${BANK}`).innerText()).toBe('62,345.67');
  });

  it('matches the mistyped credit to the sealed lot’s account, after the closed lot’s refusal shows on the field', async () => {
    await row(book.suspended.badCheckDigit).getByTestId('match-button').click();
    await shown(page, 'match');
    // The opened lot's refunds have run: the lot takes no more money, and says so on the number's field.
    await typeInto(page, 'match-virtual-account', book.openedLotVa);
    await page.getByTestId('match-submit').click();
    await appears(page, page.locator('.ant-form-item-has-error').filter({ has: page.getByTestId('match-virtual-account') }).or(page.getByTestId('match-error')), 'the refusal of the match');
    expect((await service.expectApi(200, 'GET', '/v1/suspense?status=SUSPENDED', 'operator')).items).toHaveLength(2);

    // Typed as read out, in groups of four.
    await typeInto(page, 'match-virtual-account', book.sealedLotVa.replace(/(\d{4})(?=\d)/g, '$1 '));
    await page.getByTestId('match-submit').click();
    await shown(page, 'match-done');
    const matched = (await service.expectApi(200, 'GET', '/v1/suspense?status=MATCHED', 'operator')).items;
    expect(matched).toEqual([expect.objectContaining({ creditId: book.suspended.badCheckDigit, status: 'MATCHED', resolution: expect.objectContaining({ lotId: SEALED, bondId: book.sealedBonds.DELTA }) })]);
    // DELTA's bond in the sealed lot now holds both of its payments (the bank's look: recorded).
    const bond = await service.expectApi(200, 'GET', `/v1/bonds/${book.sealedBonds.DELTA}`, 'operator', 'ops-1');
    expect(bond.principal).toBe('170000.00');
    await page.getByTestId('suspense-filter-ALL').click();
    await appears(page, row(book.suspended.badCheckDigit).locator('[data-testid="suspense-status"][data-status="MATCHED"]'), 'the matched status');
  });

  it('returns the credit to an account that was never issued to its payer', async () => {
    await row(book.suspended.unknownAccount).getByTestId('return-button').click();
    expect(await (await shown(page, 'return-to')).innerText()).toContain(STRANGER.name);
    await page.getByTestId('return-submit').click();
    await shown(page, 'return-done');
    await appears(page, row(book.suspended.unknownAccount).locator('[data-testid="suspense-status"][data-status="RETURNED"]'), 'the returned status');
    expect((await service.expectApi(200, 'GET', '/v1/suspense?status=SUSPENDED', 'operator')).items).toEqual([]);
    await appears(page, page.getByTestId(`suspense-balance-${BANK}`).filter({ hasText: /^0\.00$/ }), 'an empty suspense account');
  });

  it('lists the failed refund with its reason and the overdue ones', async () => {
    await page.getByTestId('nav-refunds').click();
    await shown(page, 'page-operator-refunds');
    const failed = await shown(page, `refund-row-${book.refunds.BRAVO}`);
    expect(await failed.getByTestId('refund-status').getAttribute('data-status')).toBe('FAILED');
    expect(await failed.getByTestId('refund-failure-reason').innerText()).toBe('收款账户已销户');
    expect(await page.getByTestId(`refund-row-${book.refunds.ALPHA}`).count()).toBe(0);
    await shown(page, `overdue-row-${book.bonds.CHARLIE}`);
    await shown(page, `overdue-row-${book.bonds.BRAVO}`);
  });

  it('shows the master accounts and the rate schedules', async () => {
    await page.getByTestId('nav-master-accounts').click();
    const master = await shown(page, `master-account-row-${BANK}-${MASTER}`);
    expect(await master.getByTestId('master-account-no').innerText()).toBe(MASTER.replace(/(\d{4})(?=\d)/g, '$1 '));
    expect(await master.getByTestId('master-account-scope').getAttribute('data-scope')).toBe('WHOLE_ACCOUNT');
    await page.getByTestId('nav-rate-schedules').click();
    const schedule = await shown(page, 'rate-schedule-PBOC-DEMAND');
    expect(await schedule.getByTestId('rate-annual-rate').first().getAttribute('data-rate')).toBe('0.0035');
  });
});
