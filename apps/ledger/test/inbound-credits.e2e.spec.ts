import { bondIdFor } from '@app/domain';
import Big from 'big.js';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { canonicalJson } from '@app/event-store';
import { createHash } from 'node:crypto';
import { BANK, type InboundCredit, UNISSUED_VIRTUAL_ACCOUNT, creditIdOf, creditStreamOf, creditsReceivedAt, cstDate, cstInstant, lotTerms, payer } from './support/ledger-fixtures';
import { bearer } from './support/access-tokens';
import { LedgerHarness } from './support/ledger-harness';
import { postOnDistinctConnections } from './support/raw-http';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Idempotency of the write side: the bank reference of an inbound credit (its own anchor stream) and the
 * Idempotency-Key header. A retry answers the first answer with 200 and posts nothing; the same key with
 * another body is a 409; concurrent duplicates post once.
 */
describe('inbound credits and idempotency (e2e)', () => {
  const CENTER = 'HZ-PRC';
  const MASTER = '44201500000000000003';
  const LOT = 'HZ-2026-ID-L1';
  const LOT_STREAM = `lot-${LOT}`;
  const PAYER = payer('6222000033330001', 'Idem Potent Builders');
  const T0 = Date.now();
  const D = cstDate(T0);
  const RECEIVED = cstInstant(T0);

  let ledger: LedgerHarness;
  let lotVa: string;

  const creditTo = (bankRef: string, overrides: Partial<InboundCredit> = {}) => creditsReceivedAt(RECEIVED, D)(bankRef, PAYER, lotVa, overrides);

  const bondCreditsFor = async (creditId: string) =>
    (await ledger.streamEvents(LOT_STREAM)).filter((event) => event.type === 'BondCredited' && event.data.creditId === creditId);

  beforeAll(async () => {
    ledger = await LedgerHarness.start('inbound', { now: T0 });
    await ledger.registerCenter(CENTER);
    await ledger.openMasterAccount(CENTER, MASTER);
    // Policy OFF, deadline far ahead: every credit from any account is classified, and the clock stays quiet.
    await ledger.registerLot(lotTerms({ lotId: LOT, centerId: CENTER, basicAccountPolicy: 'OFF' }));
    lotVa = await ledger.issueVirtualAccount(LOT, MASTER);
  });

  afterAll(async () => {
    await ledger.close();
  });

  describe('bankRef', () => {
    it('answers a retry of the same body with 200 and the first answer, posting once', async () => {
      const credit = creditTo('HVPS2026ID0001', { remittanceInfo: 'bond for HZ-2026-ID-L1' });
      const first = await ledger.postCredit(credit, 201);
      expect(first.body).toEqual({
        creditId: creditIdOf('HVPS2026ID0001'),
        bankRef: 'HVPS2026ID0001',
        outcome: 'CLASSIFIED',
        lotId: LOT,
        bondId: bondIdFor(LOT, undefined, PAYER.bankCode, PAYER.accountNo),
        flags: [],
      });
      const count = await ledger.eventCount();

      // The same request, its keys in another order and spaced differently.
      const reordered = JSON.stringify(Object.fromEntries(Object.entries(credit).reverse()), null, 2);
      const retry = await ledger.post('/v1/inbound-credits', reordered).expect(200);
      expect(retry.body).toEqual(first.body);
      await ledger.postCredit(credit, 200).then((again) => expect(again.body).toEqual(first.body));

      expect(await ledger.eventCount()).toBe(count);
      expect(await bondCreditsFor(creditIdOf('HVPS2026ID0001'))).toHaveLength(1);
      expect(await ledger.streamTypes(creditStreamOf('HVPS2026ID0001'))).toEqual(['InboundCreditReceived', 'CreditClassified']);
      expect((await ledger.balances()).get(`virtual:${lotVa}`)).toBe('-50000.00');
    });

    it.each([
      ['another amount', { amount: '50000.01' }],
      ['another payer', { payer: payer('6222000033339999', 'Someone Else') }],
      ['another value date', { valueDate: '2026-01-02' }],
      ['another payee', { payeeAccountNo: UNISSUED_VIRTUAL_ACCOUNT }],
      ['remittance info added', { remittanceInfo: 'changed' }],
    ])('answers the same bankRef with %s with 409 DUPLICATE_BANK_REF and posts nothing', async (_case, change) => {
      const count = await ledger.eventCount();
      const balances = await ledger.balances();
      const response = await ledger.postCredit(creditTo('HVPS2026ID0001', change), 409);
      expect(response.body).toEqual({ error: { code: 'DUPLICATE_BANK_REF', message: expect.any(String), field: 'bankRef' } });
      expect(await ledger.eventCount()).toBe(count);
      expect(await ledger.balances()).toEqual(balances);
    });

    it('keeps the first answer of a suspended and of a returned credit too', async () => {
      const suspended = creditTo('HVPS2026ID0002', { payeeAccountNo: UNISSUED_VIRTUAL_ACCOUNT, amount: '777.77' });
      const first = await ledger.postCredit(suspended, 201);
      expect(first.body).toEqual({ creditId: creditIdOf('HVPS2026ID0002'), bankRef: 'HVPS2026ID0002', outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT', flags: [] });
      const returned = creditTo('HVPS2026ID0003', { currency: 'EUR' });
      const firstReturned = await ledger.postCredit(returned, 201);
      expect(firstReturned.body).toMatchObject({ outcome: 'RETURNED', reason: 'CURRENCY_NOT_SUPPORTED' });

      const count = await ledger.eventCount();
      const suspenseBefore = (await ledger.balances()).get(`suspense:${BANK}`);
      expect((await ledger.postCredit(suspended, 200)).body).toEqual(first.body);
      expect((await ledger.postCredit(returned, 200)).body).toEqual(firstReturned.body);
      await ledger.postCredit({ ...suspended, amount: '777.78' }, 409);
      await ledger.postCredit({ ...returned, currency: 'CNY' }, 409);
      expect(await ledger.eventCount()).toBe(count);
      expect((await ledger.balances()).get(`suspense:${BANK}`)).toBe(suspenseBefore);
    });

    it('answers the first result even after the credit moved on (matched from suspense)', async () => {
      const suspended = creditTo('HVPS2026ID0004', { payeeAccountNo: UNISSUED_VIRTUAL_ACCOUNT, amount: '100.00' });
      const first = await ledger.postCredit(suspended, 201);
      await ledger.post(`/v1/suspense/${creditIdOf('HVPS2026ID0004')}/resolution`, { action: 'MATCH', virtualAccountNo: lotVa }).expect(201);
      expect(await ledger.streamTypes(creditStreamOf('HVPS2026ID0004'))).toEqual(['InboundCreditReceived', 'CreditSuspended', 'SuspenseMatchRequested', 'SuspenseMatched']);
      const count = await ledger.eventCount();
      expect((await ledger.postCredit(suspended, 200)).body).toEqual(first.body);
      expect(await ledger.eventCount()).toBe(count);
    });

    it('takes the receiving bank from payeeBankCode: the bank it names, or 422 BANK_NOT_SUPPORTED for a bank the ledger does not serve', async () => {
      const credit = { ...creditTo('HVPS2026ID0008', { amount: '10.00' }), payeeBankCode: BANK };
      const first = await ledger.postCredit(credit, 201);
      expect(first.body).toMatchObject({ creditId: creditIdOf('HVPS2026ID0008'), bankRef: 'HVPS2026ID0008', outcome: 'CLASSIFIED', lotId: LOT });
      const [received] = await ledger.streamEvents(creditStreamOf('HVPS2026ID0008'));
      expect(received?.data).toMatchObject({ payeeBankCode: BANK, bankCode: BANK, creditId: creditIdOf('HVPS2026ID0008') });
      await ledger.postCredit(credit, 200).then((again) => expect(again.body).toEqual(first.body));

      const count = await ledger.eventCount();
      const balances = await ledger.balances();
      // Left out, the bank is the payee number's, the same one: the same bank reference, but another body.
      const { payeeBankCode: _bank, ...withoutBank } = credit;
      const duplicate = await ledger.postCredit(withoutBank, 409);
      expect(duplicate.body).toEqual({ error: { code: 'DUPLICATE_BANK_REF', message: expect.any(String), field: 'bankRef' } });
      const elsewhere = await ledger.postCredit({ ...creditTo('HVPS2026ID0009'), payeeBankCode: '999999999999' }, 422);
      expect(elsewhere.body).toEqual({ error: { code: 'BANK_NOT_SUPPORTED', message: expect.any(String), field: 'payeeBankCode' } });
      expect(await ledger.eventCount()).toBe(count);
      expect(await ledger.balances()).toEqual(balances);
    });

    it('posts 20 concurrent deliveries of one credit, on 20 TCP connections, exactly once', async () => {
      const credit = creditTo('HVPS2026ID0005', { amount: '1234.56' });
      const count = await ledger.eventCount();
      const virtualBefore = (await ledger.balances()).get(`virtual:${lotVa}`) ?? '0.00';
      // A real port, so each delivery is a TCP connection of its own (as 20 ESB instances would make).
      const server = ledger.app.getHttpServer() as Server;
      if (!server.listening) await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
      const clientPorts = new Set<number>();
      const onConnection = (socket: Socket) => clientPorts.add(socket.remotePort!);
      server.on('connection', onConnection);
      const responses = await postOnDistinctConnections(
        (server.address() as AddressInfo).port,
        '/v1/inbound-credits',
        bearer('esb'),
        JSON.stringify(credit),
        20,
      ).finally(() => server.off('connection', onConnection));

      expect(clientPorts.size).toBe(20);
      expect(new Set(responses.map((response) => response.localPort))).toEqual(clientPorts);
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 200)).toHaveLength(19);
      const created = responses.find((response) => response.status === 201)!;
      expect(created.body).toEqual({
        creditId: creditIdOf('HVPS2026ID0005'),
        bankRef: 'HVPS2026ID0005',
        outcome: 'CLASSIFIED',
        lotId: LOT,
        bondId: bondIdFor(LOT, undefined, PAYER.bankCode, PAYER.accountNo),
        flags: ['AMOUNT_ABOVE_BOND'],
      });
      for (const response of responses) expect(response.body).toEqual(created.body);

      expect(await bondCreditsFor(creditIdOf('HVPS2026ID0005'))).toHaveLength(1);
      expect(await ledger.streamTypes(creditStreamOf('HVPS2026ID0005'))).toEqual(['InboundCreditReceived', 'CreditClassified']);
      expect(await ledger.eventCount()).toBe(count + 3);
      const balances = await ledger.balances();
      expect(balances.get(`virtual:${lotVa}`)).toBe(new Big(virtualBefore).minus('1234.56').toFixed(2));
    });

    it('suspends 20 concurrent deliveries of unidentifiable money, on 20 TCP connections, once', async () => {
      // No lot to queue on: only the anchor's NO_STREAM append stands between the deliveries.
      const credit = creditTo('HVPS2026ID0007', { amount: '321.09', payeeAccountNo: UNISSUED_VIRTUAL_ACCOUNT });
      const count = await ledger.eventCount();
      const suspenseBefore = (await ledger.balances()).get(`suspense:${BANK}`) ?? '0.00';
      const server = ledger.app.getHttpServer() as Server;
      if (!server.listening) await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
      const responses = await postOnDistinctConnections((server.address() as AddressInfo).port, '/v1/inbound-credits', bearer('esb'), JSON.stringify(credit), 20);

      expect(new Set(responses.map((response) => response.localPort)).size).toBe(20);
      expect(responses.map((response) => response.status).sort()).toEqual([...Array(19).fill(200), 201]);
      for (const response of responses) {
        expect(response.body).toEqual({ creditId: creditIdOf('HVPS2026ID0007'), bankRef: 'HVPS2026ID0007', outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT', flags: [] });
      }
      expect(await ledger.streamTypes(creditStreamOf('HVPS2026ID0007'))).toEqual(['InboundCreditReceived', 'CreditSuspended']);
      expect(await ledger.eventCount()).toBe(count + 2);
      expect((await ledger.balances()).get(`suspense:${BANK}`)).toBe(new Big(suspenseBefore).minus('321.09').toFixed(2));
    });

    it('reverses a credit once, however often the bank reports it', async () => {
      const report = { status: 'REVERSED', bankRef: 'HVPS2026ID0005', reason: 'not settled' };
      const responses = await Promise.all(Array.from({ length: 5 }, () => ledger.post(`/v1/inbound-credits/${creditIdOf('HVPS2026ID0005')}/status`, report)));
      expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 201]);
      for (const response of responses) expect(response.body).toEqual({ creditId: creditIdOf('HVPS2026ID0005'), bankRef: 'HVPS2026ID0005', status: 'REVERSED' });
      expect((await ledger.streamEvents(LOT_STREAM)).filter((event) => event.type === 'CreditReversed' && event.data.creditId === creditIdOf('HVPS2026ID0005'))).toHaveLength(1);
      expect((await ledger.streamTypes(creditStreamOf('HVPS2026ID0005'))).filter((type) => type === 'InboundCreditReversed')).toHaveLength(1);
    });

    it('suspends money that would take a bond past the amount limit (AMOUNT_LIMIT), and refuses to match it into that bond', async () => {
      const limitLot = 'HZ-2026-ID-L3';
      await ledger.registerLot(lotTerms({ lotId: limitLot, centerId: CENTER, basicAccountPolicy: 'OFF' }));
      const limitVa = await ledger.issueVirtualAccount(limitLot, MASTER);
      const full = await ledger.postCredit(creditTo('HVPS2026ID0010', { amount: '999999999999999.99', payeeAccountNo: limitVa }), 201);
      expect(full.body).toMatchObject({ outcome: 'CLASSIFIED', flags: ['AMOUNT_ABOVE_BOND'] });

      const lotRevision = (await ledger.streamEvents(`lot-${limitLot}`)).length;
      const suspenseBefore = (await ledger.balances()).get(`suspense:${BANK}`) ?? '0.00';
      const over = await ledger.postCredit(creditTo('HVPS2026ID0011', { amount: '0.01', payeeAccountNo: limitVa }), 201);
      expect(over.body).toEqual({ creditId: creditIdOf('HVPS2026ID0011'), bankRef: 'HVPS2026ID0011', outcome: 'SUSPENDED', reason: 'AMOUNT_LIMIT', flags: [] });
      // The lot records its refusal (no money moves there); the money waits in suspense.
      expect((await ledger.streamEvents(`lot-${limitLot}`)).slice(lotRevision).map(({ type, data }) => ({ type, data }))).toEqual([
        {
          type: 'CreditRefused',
          data: { lotId: limitLot, creditId: creditIdOf('HVPS2026ID0011'), bankRef: 'HVPS2026ID0011', source: 'INBOUND', anchorRevision: 0, reason: 'AMOUNT_LIMIT', amount: '0.01' },
        },
      ]);
      const anchor = await ledger.streamEvents(creditStreamOf('HVPS2026ID0011'));
      expect(anchor.map((event) => event.type)).toEqual(['InboundCreditReceived', 'CreditSuspended']);
      expect(anchor[1]?.data).toMatchObject({ reason: 'AMOUNT_LIMIT', bankCode: BANK, amount: '0.01' });
      expect((await ledger.balances()).get(`suspense:${BANK}`)).toBe(new Big(suspenseBefore).minus('0.01').toFixed(2));

      // Matched into the same bond, the lot refuses it again: 422 with the lot's reason, nothing written.
      const count = await ledger.eventCount();
      const match = await ledger.post(`/v1/suspense/${creditIdOf('HVPS2026ID0011')}/resolution`, { action: 'MATCH', virtualAccountNo: limitVa }).expect(422);
      expect(match.body).toEqual({ error: { code: 'AMOUNT_LIMIT', message: expect.any(String), field: 'virtualAccountNo' } });
      expect(await ledger.eventCount()).toBe(count);
    });
  });

  describe('Idempotency-Key', () => {
    const terms = lotTerms({ lotId: 'HZ-2026-ID-L2', centerId: CENTER });

    it('answers a retry of POST /v1/lots with 200 and the first body, registering once', async () => {
      const count = await ledger.eventCount();
      const first = await ledger.post('/v1/lots', terms, { 'Idempotency-Key': 'tender-sys-0001' }).expect(201);
      expect(first.body).toEqual(terms);
      expect(await ledger.eventCount()).toBe(count + 2); // LotRegistered + IdempotentResponseRecorded

      const retry = await ledger
        .post('/v1/lots', JSON.stringify(Object.fromEntries(Object.entries(terms).reverse())), { 'Idempotency-Key': 'tender-sys-0001' })
        .expect(200);
      expect(retry.body).toEqual(first.body);
      expect(await ledger.eventCount()).toBe(count + 2);
      expect(await ledger.streamTypes('lot-HZ-2026-ID-L2')).toEqual(['LotRegistered']);

      // Under sha256(actor NUL key); the request is the route and its canonical body.
      const keyHash = sha256('operator:operator-1\u0000tender-sys-0001');
      const recorded = await ledger.streamEvents(`idempotency-${keyHash}`);
      expect(recorded.map((event) => event.data)).toEqual([{ keyHash, fingerprint: sha256(`POST /v1/lots\n${canonicalJson(terms)}`), created: true, answer: terms }]);
      // Recorded in the command's own commit.
      const registered = await ledger.streamEvents('lot-HZ-2026-ID-L2');
      expect(recorded.map((event) => event.position)).toEqual(registered.map((event) => event.position + 1n));
    });

    it('answers the key with another body with 409 IDEMPOTENCY_CONFLICT, changing nothing', async () => {
      const count = await ledger.eventCount();
      const response = await ledger.post('/v1/lots', { ...terms, bondAmount: '40000.00' }, { 'Idempotency-Key': 'tender-sys-0001' }).expect(409);
      expect(response.body).toEqual({ error: { code: 'IDEMPOTENCY_CONFLICT', message: expect.any(String), field: 'Idempotency-Key' } });
      const otherRoute = await ledger.post('/v1/tender-centers', { centerId: 'XX', name: 'x' }, { 'Idempotency-Key': 'tender-sys-0001' }).expect(409);
      expect(otherRoute.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
      expect(await ledger.eventCount()).toBe(count);
    });

    it('without a key, a repeat is a new request: 409 LOT_EXISTS', async () => {
      const count = await ledger.eventCount();
      const response = await ledger.post('/v1/lots', terms).expect(409);
      expect(response.body).toEqual({ error: { code: 'LOT_EXISTS', message: expect.any(String), field: 'lotId' } });
      expect(await ledger.eventCount()).toBe(count);
    });

    it('answers an inbound credit retried under its key with the first answer', async () => {
      const credit = creditTo('HVPS2026ID0006');
      const first = await ledger.post('/v1/inbound-credits', credit, { 'Idempotency-Key': 'esb-HVPS2026ID0006' }).expect(201);
      const count = await ledger.eventCount();
      const retry = await ledger.post('/v1/inbound-credits', credit, { 'Idempotency-Key': 'esb-HVPS2026ID0006' }).expect(200);
      expect(retry.body).toEqual(first.body);
      expect(await ledger.eventCount()).toBe(count);
    });
  });
});
