import { LedgerHarness } from './support/ledger-harness';
import { BANK, cstInstant, cstDate, inboundCredit, lotTerms, payer } from './support/ledger-fixtures';

/**
 * A master account number is unique per bank only: the read side keeps one number at two banks as two
 * accounts, each with its own sub-accounts and balance. `GET /v1/master-accounts/{accountNo}/balance`
 * answers the one account of that number the caller may see (a center: its own), asks for `bankCode`
 * (422 AMBIGUOUS_MASTER_ACCOUNT) when there are several, and keeps its confidentiality rules.
 */
describe('master accounts per bank (e2e)', () => {
  const BANK2 = '105100000017';
  const PREFIX2 = '622601';
  const CENTER = 'PB-1';
  const RIVAL = 'PB-2';
  /** Held by CENTER at both banks. */
  const BOTH = '6217000000007001';
  /** CENTER's at BANK, RIVAL's at BANK2. */
  const SPLIT = '6217000000007002';
  const now = Date.now();

  let ledger: LedgerHarness;
  const va: Record<string, string> = {};
  const balance = (accountNo: string, role: 'center' | 'operator' | 'auditor', subject?: string, query = '') =>
    ledger.get(`/v1/master-accounts/${accountNo}/balance${query}`, role, subject);
  const views = async (lotId: string) => (await ledger.streamEvents(`sealed-data-views-${lotId}`)).map((event) => event.data as { request: string });

  beforeAll(async () => {
    ledger = await LedgerHarness.start('master-accounts-per-bank', { env: { VIRTUAL_ACCOUNT_PREFIXES: `${BANK}=955880,${BANK2}=${PREFIX2}` }, now });
    await ledger.registerCenter(CENTER);
    await ledger.registerCenter(RIVAL);
    const open = (centerId: string, bankCode: string, accountNo: string) =>
      ledger.post(`/v1/tender-centers/${centerId}/master-accounts`, { bankCode, accountNo, accountName: `${centerId} at ${bankCode}` }).expect(201);
    await open(CENTER, BANK, BOTH);
    await open(CENTER, BANK2, BOTH);
    await open(CENTER, BANK, SPLIT);
    await open(RIVAL, BANK2, SPLIT);
    // Sealed lots (deadlines far ahead): a center sees totals only; an operator's look is recorded.
    await ledger.registerLot(lotTerms({ lotId: 'PB-LA', centerId: CENTER, basicAccountPolicy: 'OFF' }));
    await ledger.registerLot(lotTerms({ lotId: 'PB-LB', centerId: CENTER, basicAccountPolicy: 'OFF' }));
    await ledger.registerLot(lotTerms({ lotId: 'PB-LC', centerId: RIVAL, basicAccountPolicy: 'OFF' }));
    const issue = async (lotId: string, body: object) => (await ledger.post(`/v1/lots/${lotId}/virtual-accounts`, body).expect(201)).body.virtualAccountNo as string;
    va.bothAtBank = await issue('PB-LA', { masterAccountNo: BOTH, bankCode: BANK });
    va.bothAtBank2 = await issue('PB-LB', { masterAccountNo: BOTH, bankCode: BANK2 });
    va.bothAtBank2Bidder = await issue('PB-LB', { masterAccountNo: BOTH, bankCode: BANK2, bidderId: 'PB-BIDDER' });
    va.splitAtBank2 = await issue('PB-LC', { masterAccountNo: SPLIT }); // the lot's center holds SPLIT at BANK2 only
    expect(va.bothAtBank2).toMatch(new RegExp(`^${PREFIX2}`));
    expect(va.splitAtBank2).toMatch(new RegExp(`^${PREFIX2}`));
    let ref = 0;
    const pay = (payeeAccountNo: string, amount: string) =>
      ledger.postCredit(inboundCredit({ bankRef: `PBHVPS${(ref += 1)}`, receivedAt: cstInstant(now), valueDate: cstDate(now), amount, payer: payer(`62220000777700${ref}`, `Payer ${ref}`), payeeAccountNo }));
    await pay(va.bothAtBank, '30000.00');
    await pay(va.bothAtBank2, '45000.00');
    await pay(va.bothAtBank2Bidder, '5000.00');
    await pay(va.splitAtBank2, '12000.00');
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('asks an operator or auditor for the bank when the number is held at two banks: 422 AMBIGUOUS_MASTER_ACCOUNT, field bankCode, nothing shown or recorded', async () => {
    const before = await ledger.eventCount();
    for (const role of ['operator', 'auditor'] as const) {
      for (const accountNo of [BOTH, SPLIT]) {
        const response = await balance(accountNo, role).expect(422);
        expect(response.body.error).toMatchObject({ code: 'AMBIGUOUS_MASTER_ACCOUNT', field: 'bankCode' });
        expect(response.body.error.message).toContain(BANK2);
      }
    }
    expect(await ledger.eventCount()).toBe(before);
  });

  it('answers each bank’s account of one number with its own balance and its own virtual accounts', async () => {
    const atBank = await balance(BOTH, 'operator', undefined, `?bankCode=${BANK}`).expect(200);
    expect(atBank.body).toEqual({
      accountNo: BOTH,
      bankCode: BANK,
      centerId: CENTER,
      accountName: `${CENTER} at ${BANK}`,
      balance: '30000.00',
      balanceScope: 'WHOLE_ACCOUNT',
      virtualAccounts: [{ virtualAccountNo: va.bothAtBank, lotId: 'PB-LA', balance: '30000.00' }],
    });
    const atBank2 = await balance(BOTH, 'auditor', undefined, `?bankCode=${BANK2}`).expect(200);
    expect(atBank2.body).toMatchObject({ accountNo: BOTH, bankCode: BANK2, centerId: CENTER, accountName: `${CENTER} at ${BANK2}`, balance: '50000.00' });
    expect(atBank2.body.virtualAccounts).toEqual(
      expect.arrayContaining([
        { virtualAccountNo: va.bothAtBank2, lotId: 'PB-LB', balance: '45000.00' },
        { virtualAccountNo: va.bothAtBank2Bidder, lotId: 'PB-LB', bidderId: 'PB-BIDDER', balance: '5000.00' },
      ]),
    );
    expect(atBank2.body.virtualAccounts).toHaveLength(2);
    // The looks at the sealed breakdowns are recorded per lot shown: PB-LA by the first, PB-LB by the second.
    expect((await views('PB-LA')).map((view) => view.request)).toEqual([`GET /v1/master-accounts/${BOTH}/balance?bankCode=${BANK}`]);
    expect((await views('PB-LB')).map((view) => view.request)).toEqual([`GET /v1/master-accounts/${BOTH}/balance?bankCode=${BANK2}`]);
  });

  it('gives a center its own account of a number without bankCode, and asks for it only when it holds the number at two banks', async () => {
    const own = await balance(SPLIT, 'center', CENTER).expect(200);
    expect(own.body).toEqual({ accountNo: SPLIT, bankCode: BANK, centerId: CENTER, accountName: `${CENTER} at ${BANK}`, balance: '0.00', balanceScope: 'OPENED_LOTS', virtualAccounts: [] });
    const rivals = await balance(SPLIT, 'center', RIVAL).expect(200);
    // Nothing of its 12000.00: its lot is sealed (issue #15 item 4).
    expect(rivals.body).toEqual({ accountNo: SPLIT, bankCode: BANK2, centerId: RIVAL, accountName: `${RIVAL} at ${BANK2}`, balance: '0.00', balanceScope: 'OPENED_LOTS', virtualAccounts: [] });

    const ambiguous = await balance(BOTH, 'center', CENTER).expect(422);
    expect(ambiguous.body.error).toMatchObject({ code: 'AMBIGUOUS_MASTER_ACCOUNT', field: 'bankCode' });
    const named = await balance(BOTH, 'center', CENTER, `?bankCode=${BANK2}`).expect(200);
    expect(named.body).toEqual({ accountNo: BOTH, bankCode: BANK2, centerId: CENTER, accountName: `${CENTER} at ${BANK2}`, balance: '0.00', balanceScope: 'OPENED_LOTS', virtualAccounts: [] });
  });

  it('refuses a center another center’s account of a number as before (403 FORBIDDEN_TENANT), recording nothing', async () => {
    const before = await ledger.eventCount();
    const other = await balance(SPLIT, 'center', CENTER, `?bankCode=${BANK2}`).expect(403);
    expect(other.body.error).toMatchObject({ code: 'FORBIDDEN_TENANT', field: 'accountNo' });
    const none = await balance(BOTH, 'center', RIVAL).expect(403);
    expect(none.body.error).toMatchObject({ code: 'FORBIDDEN_TENANT', field: 'accountNo' });
    expect(await ledger.eventCount()).toBe(before);
  });

  it('answers 404 for a number no bank holds, or not at the bank named; 400 INVALID_QUERY for a malformed or repeated bankCode', async () => {
    const nowhere = await balance('6217000000007999', 'operator').expect(404);
    expect(nowhere.body.error).toMatchObject({ code: 'MASTER_ACCOUNT_NOT_FOUND', field: 'accountNo' });
    const elsewhere = await balance(SPLIT, 'auditor', undefined, '?bankCode=999999999999').expect(404);
    expect(elsewhere.body.error).toMatchObject({ code: 'MASTER_ACCOUNT_NOT_FOUND', field: 'accountNo' });
    const atBank = await balance(SPLIT, 'auditor', undefined, `?bankCode=${BANK2}`).expect(200);
    expect(atBank.body).toMatchObject({ bankCode: BANK2, centerId: RIVAL, balance: '12000.00' });
    for (const query of ['?bankCode=%20bad', `?bankCode=${BANK}&bankCode=${BANK2}`, '?bankCode=']) {
      const bad = await balance(BOTH, 'operator', undefined, query).expect(400);
      expect(bad.body.error).toMatchObject({ code: 'INVALID_QUERY', field: 'bankCode' });
    }
  });
});
