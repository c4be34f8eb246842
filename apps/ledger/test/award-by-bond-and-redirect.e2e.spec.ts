import { bondIdFor, refundIdFor } from '@app/domain';
import { bearer } from './support/access-tokens';
import { creditsReceivedAt, cstDate, deadlineAndOpeningOn, lotTerms, payer, plusDays } from './support/ledger-fixtures';
import { LedgerHarness } from './support/ledger-harness';

/**
 * Issue #14 items 4 and 8 over HTTP (docs/rules.md). A lot paid through its one lot account knows its
 * bonds by payer: awarding it by bidder found no bond; it is awarded by bond, and its center attributes a
 * bond to a bidder after opening (404 before, exactly as no bond). A refund whose account is closed fails;
 * an operator redirects it to another account of the same payer, and the next refund settles there.
 */
describe('award by bond, bond attribution and refund redirection (e2e)', () => {
  const CENTER = 'AB-C';
  const MASTER = '44201500000000000414';
  const LOT = 'AB-2026-L1';
  const D = cstDate(Date.now());
  const OPEN_DAY = plusDays(D, 1);
  /** Noon of D: credits of the morning are in the past. */
  const T0 = Date.parse(`${D}T12:00:00+08:00`);
  const P1 = payer('6222000041410001', 'Lin One Construction');
  const P2 = payer('6222000041410002', 'Lin Two Engineering');
  /** P2's other account, at another bank: its first one is closed. */
  const P2_NEW = { accountNo: '6217000041410022', bankCode: '105100000017' };
  const bond1 = bondIdFor(LOT, undefined, P1.bankCode, P1.accountNo);
  const bond2 = bondIdFor(LOT, undefined, P2.bankCode, P2.accountNo);
  const asCenter = bearer('center', CENTER);

  let ledger: LedgerHarness;

  beforeAll(async () => {
    ledger = await LedgerHarness.start('award-by-bond', { now: T0 });
    await ledger.registerCenterWithMasterAccount(CENTER, MASTER);
    // One virtual account for the lot, published with the tender notice; no basic accounts declared.
    const lotVa = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: LOT, centerId: CENTER, basicAccountPolicy: 'OFF', ...deadlineAndOpeningOn(OPEN_DAY) }), MASTER);
    const credit = creditsReceivedAt(`${D}T10:00:00+08:00`);
    for (const [ref, who] of [['AB0001', P1], ['AB0002', P2]] as const) expect((await ledger.postCredit(credit(ref, who, lotVa))).body.outcome).toBe('CLASSIFIED');
  });

  afterAll(async () => {
    await ledger.close();
  });

  async function expectRefused(pending: PromiseLike<{ status: number; body: { error?: unknown } }>, status: number, error: object) {
    const before = await ledger.eventCount();
    const response = await pending;
    expect({ status: response.status, body: response.body }).toEqual({ status, body: { error: { message: expect.any(String), ...error } } });
    expect(await ledger.eventCount()).toBe(before);
  }

  it('refuses an attribution before bid opening exactly as for a bond that does not exist', async () => {
    const sealed = await ledger.post(`/v1/bonds/${bond1}/attribution`, { bidderId: 'AB-W1' }, asCenter);
    const fake = bondIdFor(LOT, undefined, P1.bankCode, '6222000041419999');
    const none = await ledger.post(`/v1/bonds/${fake}/attribution`, { bidderId: 'AB-W1' }, asCenter);
    expect(sealed.status).toBe(404);
    expect({ status: none.status, body: JSON.parse(JSON.stringify(none.body).replaceAll(fake, bond1)) }).toEqual({ status: sealed.status, body: sealed.body });
    expect(sealed.body.error).toMatchObject({ code: 'BOND_NOT_FOUND', field: 'bondId' });
  });

  it('after opening: an award by bidder finds no bond (the reported case); by both or neither 400; an unknown bond 422 NO_SUCH_BOND', async () => {
    await ledger.clock.advanceTo(`${OPEN_DAY}T10:00:00+08:00`);
    const award = (body: object) => ledger.post(`/v1/lots/${LOT}/award`, body);
    await expectRefused(award({ winnerBidderId: 'AB-W1', contractSignedOn: OPEN_DAY }), 422, { code: 'NO_BOND_FOR_BIDDER', field: 'winnerBidderId' });
    await expectRefused(award({ winnerBidderId: 'AB-W1', winnerBondId: bond1, contractSignedOn: OPEN_DAY }), 400, { code: 'INVALID_FIELD', field: 'winnerBondId' });
    await expectRefused(award({ contractSignedOn: OPEN_DAY }), 400, { code: 'MISSING_FIELD', field: 'winnerBidderId' });
    await expectRefused(award({ winnerBondId: 'not-a-bond', contractSignedOn: OPEN_DAY }), 400, { code: 'INVALID_FIELD', field: 'winnerBondId' });
    const unknown = bondIdFor(LOT, undefined, P1.bankCode, '6222000041419999');
    await expectRefused(award({ winnerBondId: unknown, contractSignedOn: OPEN_DAY }), 422, { code: 'NO_SUCH_BOND', field: 'winnerBondId' });
  });

  it('attributes a bond to a bidder: shown on the bond, to the center and to the bidder; the bond keeps its id', async () => {
    const answer = await ledger.post(`/v1/bonds/${bond1}/attribution`, { bidderId: 'AB-W1' }, asCenter).expect(201);
    expect(answer.body).toEqual({ lotId: LOT, bondId: bond1, bidderId: 'AB-W1' });
    expect(await ledger.lastEvent(`lot-${LOT}`)).toMatchObject({ type: 'BondAttributed', data: { lotId: LOT, bondId: bond1, bidderId: 'AB-W1' }, metadata: { actor: `center:${CENTER}` } });
    const bonds = (await ledger.get(`/v1/lots/${LOT}/bonds`, 'center', CENTER).expect(200)).body.bonds as Array<{ bondId: string; bidderId?: string }>;
    expect(bonds.map(({ bondId, bidderId }) => ({ bondId, bidderId }))).toEqual([{ bondId: bond1, bidderId: 'AB-W1' }, { bondId: bond2, bidderId: undefined }]);
    expect((await ledger.get(`/v1/bonds/${bond1}`, 'bidder', 'AB-W1').expect(200)).body).toMatchObject({ bondId: bond1, bidderId: 'AB-W1', payer: P1 });
    // Again for the same bidder: nothing new; for another: 409.
    await ledger.post(`/v1/bonds/${bond1}/attribution`, { bidderId: 'AB-W1' }, asCenter).expect(200);
    await expectRefused(ledger.post(`/v1/bonds/${bond1}/attribution`, { bidderId: 'AB-W9' }, asCenter), 409, { code: 'BOND_ALREADY_ATTRIBUTED', field: 'bidderId' });
    await expectRefused(ledger.post(`/v1/bonds/${bond1}/attribution`, { bidderId: 'AB-W9' }, bearer('center', 'AB-OTHER')), 403, { code: 'FORBIDDEN_TENANT', field: 'bondId' });
  });

  it('awards the lot by the winning bond, recording the bond named (LotAwarded version 2)', async () => {
    const answer = await ledger.post(`/v1/lots/${LOT}/award`, { winnerBondId: bond2, contractSignedOn: OPEN_DAY }).expect(201);
    expect(answer.body).toEqual({ lotId: LOT, winnerBondId: bond2, contractSignedOn: OPEN_DAY, refundsDueBy: plusDays(OPEN_DAY, 5) });
    expect(await ledger.lastEvent(`lot-${LOT}`)).toMatchObject({ type: 'LotAwarded', data: { winnerBondId: bond2 }, metadata: { schemaVersion: 2 } });
    expect((await ledger.get(`/v1/lots/${LOT}`, 'center', CENTER).expect(200)).body.award).toEqual({ winnerBondId: bond2, contractSignedOn: OPEN_DAY, refundsDueBy: plusDays(OPEN_DAY, 5) });
  });

  it('redirects a refund whose settlement failed to another account of the same payer; the next refund pays there and settles', async () => {
    const run = await ledger.post(`/v1/lots/${LOT}/refunds`, { refundOn: OPEN_DAY }).expect(201);
    const first = refundIdFor(LOT, bond2, 1);
    expect(run.body.refunds.map((refund: { refundId: string }) => refund.refundId)).toContain(first);
    const redirection = { accountNo: P2_NEW.accountNo, bankCode: P2_NEW.bankCode, evidenceRef: 'EVID-AB-7', reason: 'account closed' };
    // Not before it failed.
    await expectRefused(ledger.post(`/v1/refunds/${first}/redirection`, redirection), 422, { code: 'REFUND_NOT_FAILED', field: 'refundId' });
    await ledger.post(`/v1/refunds/${first}/settlement`, { status: 'FAILED', bankRef: 'AB-OUT-1', reason: 'account closed' }).expect(201);
    await expectRefused(ledger.post(`/v1/refunds/${first}/redirection`, { ...redirection, accountName: 'Someone Else Ltd' }), 422, { code: 'NOT_SAME_PAYER', field: 'accountName' });
    await expectRefused(ledger.post(`/v1/refunds/${first}/redirection`, { ...redirection, accountNo: P2.accountNo, bankCode: P2.bankCode }), 422, { code: 'SAME_ACCOUNT', field: 'accountNo' });
    await expectRefused(ledger.post(`/v1/refunds/${first}/redirection`, redirection, bearer('center', CENTER)), 403, { code: 'FORBIDDEN_ROLE', field: 'authorization' });

    const answer = await ledger.post(`/v1/refunds/${first}/redirection`, redirection).expect(201);
    const newAccount = { ...P2_NEW, name: P2.name };
    expect(answer.body).toEqual({ lotId: LOT, refundId: first, bondId: bond2, refundTo: newAccount, bondStatus: 'REFUND_DUE' });
    expect(await ledger.lastEvent(`lot-${LOT}`)).toMatchObject({
      type: 'RefundRedirected',
      data: { refundId: first, bondId: bond2, from: P2, to: newAccount, evidenceRef: 'EVID-AB-7', reason: 'account closed' },
      metadata: { actor: expect.stringMatching(/^operator:/) },
    });
    await ledger.post(`/v1/refunds/${first}/redirection`, redirection).expect(200);

    // The bond and the refund queue show it.
    expect((await ledger.get(`/v1/bonds/${bond2}`, 'center', CENTER).expect(200)).body).toMatchObject({ payer: P2, refundTo: newAccount, status: 'REFUND_DUE' });
    const queue = (await ledger.get(`/v1/refunds?lotId=${LOT}`, 'operator').expect(200)).body.refunds as Array<{ refundId: string }>;
    expect(queue.find((item) => item.refundId === first)).toMatchObject({ status: 'FAILED', payTo: P2, redirection: { to: newAccount, evidenceRef: 'EVID-AB-7', reason: 'account closed' } });

    // The next refund pays to the new account and settles.
    const retry = await ledger.post(`/v1/lots/${LOT}/refunds`, { refundOn: OPEN_DAY }).expect(201);
    const second = refundIdFor(LOT, bond2, 2);
    expect(retry.body.refunds).toEqual([expect.objectContaining({ refundId: second, attempt: 2, payTo: newAccount })]);
    await ledger.post(`/v1/refunds/${second}/settlement`, { status: 'SETTLED', bankRef: 'AB-OUT-2' }).expect(201);
    expect((await ledger.get(`/v1/bonds/${bond2}`, 'center', CENTER).expect(200)).body).toMatchObject({ status: 'REFUNDED', payer: P2, refundTo: newAccount });
    // The failed refund cannot be redirected any more: a later one was instructed.
    await expectRefused(ledger.post(`/v1/refunds/${first}/redirection`, { ...redirection, accountNo: '6217000041410099' }), 422, { code: 'REFUND_SUPERSEDED', field: 'refundId' });
  });
});
