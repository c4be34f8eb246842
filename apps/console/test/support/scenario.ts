import { type ConsoleService, type Payer, UNISSUED_VIRTUAL_ACCOUNT, inboundCredit, payer, withWrongCheckDigit } from './console-service';

/**
 * One tender center's book on a fixed calendar, seeded through the API by the callers who would make each
 * call (bank operations, the center, the ESB), with the service's clock moved as days pass: the console's
 * specs look at it and `npm run console:screenshots` photographs it. Fixed dates keep the pictures alike
 * from run to run (the browser is put on the service's clock: `browserAt`).
 *
 *   Nov 2 08:00  credits arrive for both lots; two land in suspense
 *   Nov 3 09:30  OPENED's bids open                         Nov 3 10:00  the center awards it to ALPHA
 *   Nov 5 10:00  refunds run: ALPHA's settles, BRAVO's fails (payee account closed), CHARLIE's stays pending
 *   Nov 9 10:00  the refunds were due by Nov 8: the clock records CHARLIE's and BRAVO's overdue; "now"
 *   Nov 20 09:30 SEALED's bids open (after "now": it stays sealed)
 */
export const CENTER = 'SZ-PRC';
export const CENTER_NAME = '深圳市公共资源交易中心';
export const MASTER = '44201500000000000001';
export const OPENED = 'SZ-2026-RR3-L1';
export const SEALED = 'SZ-2026-BR7-L2';

export const ALPHA = payer('6222000011110001', '甲建设工程有限公司');
export const BRAVO = payer('6222000011110002', '乙路桥工程有限公司');
export const CHARLIE = payer('6222000011110003', '丙市政建设集团有限公司', '104100000004');
export const DELTA = payer('6222000011110004', '丁水利工程有限公司');
export const STRANGER = payer('6222000099990009', '戊商贸有限公司');

export const T0 = '2026-11-02T08:00:00+08:00';
export const OPENED_TERMS = {
  lotId: OPENED,
  centerId: CENTER,
  projectCode: 'SZGC-2026-017',
  name: '环城路三标段土建工程',
  estimatedPrice: '5000000.00',
  bondAmount: '50000.00',
  depositDeadline: '2026-11-03T09:00:00+08:00',
  bidOpeningTime: '2026-11-03T09:30:00+08:00',
  basicAccountPolicy: 'FLAG' as const,
  rateScheduleId: 'PBOC-DEMAND',
};
export const SEALED_TERMS = {
  ...OPENED_TERMS,
  lotId: SEALED,
  projectCode: 'SZGC-2026-031',
  name: '滨海大道七号桥梁工程',
  estimatedPrice: '12000000.00',
  bondAmount: '120000.00',
  depositDeadline: '2026-11-20T09:00:00+08:00',
  bidOpeningTime: '2026-11-20T09:30:00+08:00',
};
export const AWARDED_ON = '2026-11-03';
export const REFUND_ON = '2026-11-05';
export const NOW = '2026-11-09T10:00:00+08:00';

export interface SeededBook {
  openedLotVa: string;
  alphaVa: string;
  sealedLotVa: string;
  /** Bond ids of OPENED by bidder. */
  bonds: Record<'ALPHA' | 'BRAVO' | 'CHARLIE', string>;
  /** Bond ids of SEALED by bidder (sealed data: what the center must not learn). */
  sealedBonds: Record<'ALPHA' | 'DELTA', string>;
  /** Refund ids of the run of Nov 5 by bidder. */
  refunds: Record<'ALPHA' | 'BRAVO' | 'CHARLIE', string>;
  /** Credit ids of the two suspended credits: a bad check digit (to match) and an unknown virtual account (to return). */
  suspended: { badCheckDigit: string; unknownAccount: string };
}

const credit = (bankRef: string, from: Payer, payeeAccountNo: string, amount: string, valueDate = '2026-11-02') =>
  inboundCredit({ bankRef, receivedAt: T0, valueDate, amount, payer: from, payeeAccountNo, remittanceInfo: '投标保证金' });

/**
 * Seeds the book on a service started at T0 (`ConsoleService.start(name, { now: T0 })`); leaves its clock at
 * NOW. With `sealedPayments: false`, the same book but nobody paid into SEALED: the twin the sealed lot must
 * look exactly like, whatever was paid into it.
 */
export async function seedBook(service: ConsoleService, { sealedPayments = true } = {}): Promise<SeededBook> {
  await service.setUpCenter(CENTER, MASTER, CENTER_NAME);
  for (const [bidderId, account] of [['ALPHA', ALPHA], ['BRAVO', BRAVO], ['CHARLIE', CHARLIE], ['DELTA', DELTA]] as const) {
    await service.declareBasicAccount(bidderId, account);
  }
  await service.registerLot(OPENED_TERMS);
  await service.registerLot(SEALED_TERMS);
  const openedLotVa = await service.issueVirtualAccount(CENTER, OPENED, MASTER);
  const alphaVa = await service.issueVirtualAccount(CENTER, OPENED, MASTER, 'ALPHA');
  const sealedLotVa = await service.issueVirtualAccount(CENTER, SEALED, MASTER);

  const alpha = await service.postCredit(credit('HVPS20261102A001', ALPHA, alphaVa, '50000.00'));
  const bravo = await service.postCredit(credit('HVPS20261102A002', BRAVO, openedLotVa, '30000.00'));
  await service.postCredit(credit('BEPS20261102A003', BRAVO, openedLotVa, '20000.00'));
  const charlie = await service.postCredit(credit('HVPS20261102A004', CHARLIE, openedLotVa, '50000.00'));
  const sealedAlpha = sealedPayments ? await service.postCredit(credit('HVPS20261102B001', ALPHA, sealedLotVa, '120000.00')) : { bondId: '' };
  const sealedDelta = sealedPayments ? await service.postCredit(credit('HVPS20261102B002', DELTA, sealedLotVa, '120000.00')) : { bondId: '' };
  const badCheckDigit = await service.postCredit(credit('HVPS20261102S001', DELTA, withWrongCheckDigit(openedLotVa), '50000.00'));
  const unknownAccount = await service.postCredit(credit('HVPS20261102S002', STRANGER, UNISSUED_VIRTUAL_ACCOUNT, '12345.67'));

  await service.advanceTo('2026-11-03T10:00:00+08:00');
  await service.expectApi(201, 'POST', `/v1/lots/${OPENED}/award`, 'center', CENTER, { winnerBidderId: 'ALPHA', contractSignedOn: AWARDED_ON });
  await service.advanceTo(`${REFUND_ON}T10:00:00+08:00`);
  const run = await service.expectApi(201, 'POST', `/v1/lots/${OPENED}/refunds`, 'center', CENTER, { refundOn: REFUND_ON });
  const refundOf = (bondId: string): string => {
    const refund = (run.refunds as { bondId: string; refundId: string }[]).find((item) => item.bondId === bondId);
    if (refund === undefined) throw new Error(`no refund for ${bondId} in ${JSON.stringify(run)}`);
    return refund.refundId;
  };
  const bonds = { ALPHA: alpha.bondId as string, BRAVO: bravo.bondId as string, CHARLIE: charlie.bondId as string };
  const refunds = { ALPHA: refundOf(bonds.ALPHA), BRAVO: refundOf(bonds.BRAVO), CHARLIE: refundOf(bonds.CHARLIE) };
  await service.expectApi(201, 'POST', `/v1/refunds/${refunds.ALPHA}/settlement`, 'esb', undefined, { status: 'SETTLED', bankRef: 'HVPSOUT20261105R001' });
  await service.expectApi(201, 'POST', `/v1/refunds/${refunds.BRAVO}/settlement`, 'esb', undefined, { status: 'FAILED', bankRef: 'HVPSOUT20261105R002', reason: '收款账户已销户' });
  await service.advanceTo(NOW);
  return {
    openedLotVa,
    alphaVa,
    sealedLotVa,
    bonds,
    sealedBonds: { ALPHA: sealedAlpha.bondId as string, DELTA: sealedDelta.bondId as string },
    refunds,
    suspended: { badCheckDigit: badCheckDigit.creditId as string, unknownAccount: unknownAccount.creditId as string },
  };
}
