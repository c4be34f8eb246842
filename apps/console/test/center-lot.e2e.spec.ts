import type { Browser, Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { type ConsolePage, launchChromium, openPage, visibleText } from './support/browser';
import { ConsoleService, inboundCredit, payer } from './support/console-service';
import { amountOfFen, csvRecords, fen } from './support/csv';
import { appears, browserAt, shown, shownMoney, typeInto } from './support/ui';

jest.setTimeout(60_000);

/**
 * A tender center's lot, from registration to the statement, in chromium against the real service. The
 * center works in the console; bank operations set it up and the ESB posts the money through the API, as
 * they do in life; the service's test clock opens the bids and the browser is kept on the same clock.
 */
describe('a tender center runs a lot in the console (chromium)', () => {
  const CENTER = 'GZ-PRC';
  const MASTER = '44050100000000000007';
  const LOT = 'GZ-2026-HW9-L1';
  const ALPHA = payer('6222000021110001', '甲建设工程有限公司');
  const BRAVO = payer('6222000021110002', '乙路桥工程有限公司');
  const CHARLIE = payer('6222000021110003', '丙市政建设集团有限公司');
  const UNDECLARED = payer('6222000021119999', '丙市政建设集团有限公司（一般户）');
  const T0 = '2026-11-02T08:00:00+08:00';
  const OPENED_AT = '2026-11-03T10:00:00+08:00';
  const REFUND_AT = '2026-11-05T10:00:00+08:00';
  const LATER = '2026-11-09T10:00:00+08:00';

  let service: ConsoleService;
  let browser: Browser;
  let opened: ConsolePage;
  let page: Page;
  let lotVa: string;
  let alphaVa: string;
  const bonds: Record<string, string> = {};
  const refunds: Record<string, string> = {};

  beforeAll(async () => {
    [service, browser] = await Promise.all([ConsoleService.start('center-lot', { now: T0 }), launchChromium()]);
    await service.setUpCenter(CENTER, MASTER, '广州公共资源交易中心');
    await service.declareBasicAccount('ALPHA', ALPHA);
    await service.declareBasicAccount('BRAVO', BRAVO);
    await service.declareBasicAccount('CHARLIE', CHARLIE);
    // The refusal the first registration provokes on purpose shows in chromium's console as a failed load.
    opened = await openPage(browser, {}, [/status of 4\d\d .*\/v1\/lots\)$/]);
    page = opened.page;
    await browserAt(page, T0);
    await service.openAs(page, 'center', CENTER);
    await shown(page, 'page-lots');
  });

  afterAll(async () => {
    await opened?.close();
    await browser?.close();
    await service?.close();
  });

  afterEach(() => {
    expect(opened.problems()).toEqual([]);
  });

  const atLot = async () => {
    await page.goto(service.consoleUrl(`lots/${LOT}`));
    await shown(page, 'page-lot');
  };
  const rowOf = (testId: string) => page.getByTestId(testId);

  it('registers a lot: the API’s refusal shows on its field, then the lot is registered sealed', async () => {
    await page.getByTestId('lots-register').click();
    await shown(page, 'page-register-lot');
    await typeInto(page, 'register-lot-lotId', LOT);
    await typeInto(page, 'register-lot-projectCode', 'GZGC-2026-009');
    await typeInto(page, 'register-lot-name', '海湾大道九标段绿化工程');
    await typeInto(page, 'register-lot-estimatedPrice', '5,000,000');
    await typeInto(page, 'register-lot-bondAmount', '50000');
    // The opening before the deadline: the API refuses, and says which field.
    await typeInto(page, 'register-lot-depositDeadline', '2026-11-03T09:00');
    await typeInto(page, 'register-lot-bidOpeningTime', '2026-11-03T08:30');
    await page.getByTestId('register-lot-policy-FLAG').click();
    await typeInto(page, 'register-lot-rateScheduleId', 'PBOC-DEMAND');
    await page.keyboard.press('Escape');
    await page.getByTestId('register-lot-submit').click();
    // The API names the deadline (DEADLINE_AFTER_OPENING): the message shows under that field.
    const fieldError = await appears(page, page.locator('.ant-form-item-has-error').filter({ has: page.getByTestId('register-lot-depositDeadline') }), 'the deadline’s field error');
    expect(await fieldError.locator('.ant-form-item-explain').innerText()).toContain('DEADLINE_AFTER_OPENING');
    expect((await service.api('GET', `/v1/lots/${LOT}`, 'center', CENTER)).status).toBe(404);

    await typeInto(page, 'register-lot-bidOpeningTime', '2026-11-03T09:30');
    await page.getByTestId('register-lot-submit').click();
    await shown(page, 'page-lot');
    expect(page.url()).toBe(service.consoleUrl(`lots/${LOT}`));
    await shown(page, 'sealed-badge');
    expect(await page.getByTestId('lot-phase').first().getAttribute('data-status')).toBe('OPEN');
    expect(await service.expectApi(200, 'GET', `/v1/lots/${LOT}`, 'center', CENTER)).toMatchObject({
      lotId: LOT,
      centerId: CENTER,
      estimatedPrice: '5000000.00',
      bondAmount: '50000.00',
      depositDeadline: '2026-11-03T09:00:00+08:00',
      bidOpeningTime: '2026-11-03T09:30:00+08:00',
      basicAccountPolicy: 'FLAG',
      rateScheduleId: 'PBOC-DEMAND',
      sealed: true,
    });
  });

  it('opens the lot’s account and one for ALPHA, and prints the payment instructions', async () => {
    await page.getByTestId('open-account-submit').click();
    await page.locator('[data-testid^="virtual-account-row-"]').first().waitFor();
    await typeInto(page, 'open-account-bidder', 'ALPHA');
    await page.getByTestId('open-account-submit').click();
    await page.locator('[data-testid^="virtual-account-row-"]').nth(1).waitFor();
    const lot = await service.expectApi(200, 'GET', `/v1/lots/${LOT}`, 'center', CENTER);
    // In the order opened (while sealed the lot does not say whose a per-bidder account is).
    [lotVa, alphaVa] = lot.virtualAccounts.map((account: { virtualAccountNo: string }) => account.virtualAccountNo);
    await shown(page, `virtual-account-row-${lotVa}`);
    await shown(page, `virtual-account-row-${alphaVa}`);

    await page.getByTestId('payment-instructions-link').click();
    await shown(page, 'page-payment-instructions');
    const instruction = await shown(page, `instruction-${lotVa}`);
    // Grouped in fours for reading it out, the amount as the tender notice prints it.
    expect(await instruction.getByTestId('instruction-account-no').innerText()).toBe(lotVa.replace(/(\d{4})(?=\d)/g, '$1 '));
    expect(await instruction.getByTestId('instruction-amount').innerText()).toContain('50,000.00');
    expect(await instruction.getByTestId('instruction-account-name').innerText()).not.toBe('');
    expect(await instruction.getByTestId('instruction-bank').innerText()).not.toBe('');
  });

  it('sees the lot sealed while the ESB posts credits through the API: no payer, no amount', async () => {
    const credit = (bankRef: string, from: typeof ALPHA, to: string, amount: string) =>
      inboundCredit({ bankRef, receivedAt: T0, valueDate: '2026-11-02', amount, payer: from, payeeAccountNo: to });
    const answers = [
      await service.postCredit(credit('HVPS20261102G001', ALPHA, alphaVa, '50000.00')),
      await service.postCredit(credit('HVPS20261102G002', BRAVO, lotVa, '30000.00')),
      await service.postCredit(credit('HVPS20261102G003', UNDECLARED, lotVa, '50000.00')),
    ];
    expect(answers.map((answer) => answer.outcome)).toEqual(['CLASSIFIED', 'CLASSIFIED', 'CLASSIFIED']);
    for (const [i, name] of ['ALPHA', 'BRAVO', 'UNDECLARED'].entries()) bonds[name] = answers[i].bondId as string;

    await atLot();
    await shown(page, 'sealed-notice');
    const text = await visibleText(page);
    for (const secret of [ALPHA.name, BRAVO.name, UNDECLARED.name, '130,000.00', '30,000.00', ...Object.values(bonds)]) expect(text).not.toContain(secret);
    expect(await page.getByTestId('bonds').count()).toBe(0);
    expect(await page.locator('[data-testid^="download-"]').count()).toBe(0);
    await page.goto(service.consoleUrl('lots'));
    const row = await shown(page, `lot-row-${LOT}`);
    expect(await row.innerText()).not.toContain('130,000.00');
  });

  it('sees the bonds once the bids are opened: payer, account, amount, value dates, flags, interest', async () => {
    await service.advanceTo(OPENED_AT);
    await browserAt(page, OPENED_AT);
    await atLot();
    await shown(page, 'bonds');
    expect(await page.getByTestId('sealed-badge').count()).toBe(0);
    const alpha = await shown(page, `bond-row-${bonds.ALPHA}`);
    expect(await alpha.getByTestId('bond-payer').innerText()).toBe(ALPHA.name);
    expect(await alpha.getByTestId('bond-principal').innerText()).toBe('50,000.00');
    expect(await alpha.getByTestId('bond-value-dates').innerText()).toContain('2026-11-02');
    const bravo = rowOf(`bond-row-${bonds.BRAVO}`);
    expect(await bravo.getByTestId('bond-principal').innerText()).toBe('30,000.00');
    await bravo.getByTestId('bond-flag-AMOUNT_BELOW_BOND').waitFor();
    const undeclared = rowOf(`bond-row-${bonds.UNDECLARED}`);
    await undeclared.getByTestId('bond-flag-NOT_BASIC_ACCOUNT').waitFor();
    // Interest as the API computes it, shown as its string.
    const api = await service.expectApi(200, 'GET', `/v1/lots/${LOT}/bonds`, 'center', CENTER);
    for (const bond of api.bonds) {
      if (bond.accruedInterest !== undefined) expect(await rowOf(`bond-row-${bond.bondId}`).getByTestId('bond-interest').innerText()).toBe(shownMoney(bond.accruedInterest));
    }
    await shown(page, 'received-chart');
    expect(await page.getByTestId('statement-total-credited').innerText()).toBe('130,000.00');
  });

  it('awards the lot to ALPHA', async () => {
    await page.getByTestId('award-button').click();
    await shown(page, 'award-form');
    await typeInto(page, 'award-form-winnerBidderId', 'ALPHA');
    expect(await page.getByTestId('award-form-contractSignedOn').inputValue()).toBe('2026-11-03');
    await page.getByTestId('award-form-submit').click();
    await page.getByTestId('lot-phase').and(page.locator('[data-status="AWARDED"]')).first().waitFor();
    expect(await (await shown(page, 'lot-award')).innerText()).toContain('ALPHA');
    expect((await service.expectApi(200, 'GET', `/v1/lots/${LOT}`, 'center', CENTER)).award).toMatchObject({ winnerBidderId: 'ALPHA', contractSignedOn: '2026-11-03' });
  });

  it('runs the refunds after a preview of principal and interest per bond', async () => {
    await service.advanceTo(REFUND_AT);
    await browserAt(page, REFUND_AT);
    await atLot();
    await page.getByTestId('refunds-button').click();
    await shown(page, 'refund-run-form');
    expect(await page.getByTestId('refund-run-form-refundOn').inputValue()).toBe('2026-11-05');
    const preview = await service.expectApi(200, 'GET', `/v1/lots/${LOT}/refund-preview?refundOn=2026-11-05`, 'center', CENTER);
    expect(preview.refunds).toHaveLength(3);
    for (const refund of preview.refunds) {
      const row = await shown(page, `preview-row-${refund.bondId}`);
      expect(await row.getByTestId('preview-principal').innerText()).toBe(shownMoney(refund.principal));
      expect(await row.getByTestId('preview-interest').innerText()).toBe(shownMoney(refund.interest));
      expect(await row.getByTestId('preview-total').innerText()).toBe(shownMoney(refund.total));
      expect(await row.getByTestId('preview-rates').innerText()).toContain(refund.dayCount);
    }
    await page.getByTestId('refund-run-form-submit').click();
    await shown(page, 'refund-run-result');
    await page.getByTestId('refund-run-form-submit').click();
    const instructed = await service.expectApi(200, 'GET', `/v1/refunds?lotId=${LOT}`, 'center', CENTER);
    expect(instructed.refunds).toHaveLength(3);
    for (const refund of instructed.refunds) {
      refunds[Object.keys(bonds).find((name) => bonds[name] === refund.bondId)!] = refund.refundId;
      expect(refund).toMatchObject({ refundOn: '2026-11-05', principal: preview.refunds.find((item: { bondId: string }) => item.bondId === refund.bondId).principal });
      const row = await shown(page, `refund-row-${refund.refundId}`);
      expect(await row.getByTestId('refund-status').getAttribute('data-status')).toBe('INSTRUCTED');
    }
  });

  it('follows each refund to settled, failed and overdue', async () => {
    await service.expectApi(201, 'POST', `/v1/refunds/${refunds.ALPHA}/settlement`, 'esb', undefined, { status: 'SETTLED', bankRef: 'HVPSOUT20261105G001' });
    await service.expectApi(201, 'POST', `/v1/refunds/${refunds.BRAVO}/settlement`, 'esb', undefined, { status: 'FAILED', bankRef: 'HVPSOUT20261105G002', reason: '收款账户已销户' });
    // Due by five days after the contract: past that, the clock records what is still owed as overdue.
    await service.advanceTo(LATER);
    await browserAt(page, LATER);
    await atLot();
    const status = (name: string) => rowOf(`refund-row-${refunds[name]}`).getByTestId('refund-status');
    await status('ALPHA').and(page.locator('[data-status="SETTLED"]')).waitFor();
    expect(await status('BRAVO').getAttribute('data-status')).toBe('FAILED');
    expect(await status('UNDECLARED').getAttribute('data-status')).toBe('INSTRUCTED');
    await shown(page, 'overdue-refunds');
    await shown(page, `overdue-row-${bonds.UNDECLARED}`);
    await shown(page, `overdue-row-${bonds.BRAVO}`);
  });

  it('downloads the statement: its totals are the ledger’s', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-statement-csv').click()]);
    const path = await download.path();
    const text = await readFile(path, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const records = csvRecords(text);
    const totals = Object.fromEntries(records.filter((record) => record.kind?.startsWith('TOTAL_')).map((record) => [record.kind, record.amount]));
    const lines = records.filter((record) => !record.kind?.startsWith('TOTAL_'));

    // The statement the API answers as JSON: same totals, same number of lines.
    const statement = await service.expectApi(200, 'GET', `/v1/lots/${LOT}/statement`, 'center', CENTER);
    expect(totals).toEqual({
      TOTAL_CREDITED: statement.totals.credited,
      TOTAL_REVERSED: statement.totals.reversed,
      TOTAL_REFUNDED_PRINCIPAL: statement.totals.refundedPrincipal,
      TOTAL_INTEREST_PAID: statement.totals.interestPaid,
      TOTAL_FORFEITED: statement.totals.forfeited,
      TOTAL_HELD: statement.totals.held,
    });
    expect(lines).toHaveLength(statement.lines.length);
    // Summed again here from the file's own lines.
    const sum = (kind: string) => amountOfFen(lines.filter((line) => line.kind === kind).reduce((total, line) => total + fen(line.amount!), 0n));
    expect(totals.TOTAL_CREDITED).toBe(sum('CREDIT'));
    expect(totals.TOTAL_CREDITED).toBe('130000.00');
    const [credited, reversed, refunded, forfeited] = ['TOTAL_CREDITED', 'TOTAL_REVERSED', 'TOTAL_REFUNDED_PRINCIPAL', 'TOTAL_FORFEITED'].map((kind) => fen(totals[kind]!));
    expect(totals.TOTAL_HELD).toBe(amountOfFen(credited! - reversed! - refunded! - forfeited!));
    // Held: what the lot's virtual accounts hold in the ledger, account by account.
    const balances = await Promise.all([lotVa, alphaVa].map((va) => service.expectApi(200, 'GET', `/v1/virtual-accounts/${va}/balance`, 'center', CENTER)));
    expect(totals.TOTAL_HELD).toBe(amountOfFen(balances.reduce((total, balance) => total + fen(balance.balance), 0n)));
    // A refund leaves the account when instructed; BRAVO's failed and its 30,000.00 came back: that is all the lot holds.
    expect(totals.TOTAL_HELD).toBe('30000.00');
    expect(await page.getByTestId('statement-total-held').innerText()).toBe(shownMoney(totals.TOTAL_HELD!));

    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-statement-pdf').click()]);
    expect((await readFile(await pdf.path())).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
