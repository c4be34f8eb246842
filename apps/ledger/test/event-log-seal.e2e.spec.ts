import type { RecordedEvent } from '@app/event-store';
import { LedgerHarness } from './support/ledger-harness';
import { UNISSUED_VIRTUAL_ACCOUNT, creditStreamOf, creditsReceivedAt, cstInstant, lotTerms, payer } from './support/ledger-fixtures';

/**
 * Issue #15 item 3: the auditors' raw event log (GET /v1/streams/{stream}, GET /v1/events) gives a sealed
 * lot's payers and amounts, as auditors replay history, but never unrecorded: every page showing data of
 * a lot that is sealed now records a `SealedDataViewed` for that lot, naming the route, before it is
 * answered. After bid opening nothing is recorded.
 */
describe('the raw event log and the seal (e2e)', () => {
  const CENTER = 'EL-C1';
  const MASTER = '6217000000000505';
  const LOT = 'EL-SEALED';
  /** Never opened in this suite: still sealed when LOT is opened. */
  const LATER = 'EL-LATER';
  const ALPHA = payer('6222000055550001', 'Alpha Log Builders');
  const BRAVO = payer('6222000055550002', 'Bravo Log Works');
  const AUDITOR = 'kpmg-7';

  const t0 = Date.now();
  const OPENING = cstInstant(t0 + 6_000);
  const credit = creditsReceivedAt(cstInstant(t0));

  let ledger: LedgerHarness;

  const views = async (lotId: string) => (await ledger.streamEvents(`sealed-data-views-${lotId}`)).map((event) => event.data as { request: string; viewer: unknown });
  const requests = async (lotId: string) => (await views(lotId)).map((view) => view.request);
  const read = async (path: string) => (await ledger.get(path, 'auditor', AUDITOR).expect(200)).body as { events: { type: string; data: unknown }[]; nextRevision?: string; nextPosition?: string };
  const lastEvent = async (): Promise<RecordedEvent> => {
    const events = await ledger.allEvents();
    const last = events[events.length - 1];
    if (last === undefined) throw new Error('no events');
    return last;
  };

  beforeAll(async () => {
    ledger = await LedgerHarness.start('event-log-seal', { now: t0 });
    await ledger.registerCenterWithMasterAccount(CENTER, MASTER);
    const lotVa = await ledger.registerLotWithVirtualAccount(
      lotTerms({ lotId: LOT, centerId: CENTER, basicAccountPolicy: 'OFF', depositDeadline: cstInstant(t0 + 5_000), bidOpeningTime: OPENING }),
      MASTER,
    );
    // Under an Idempotency-Key: the key's record keeps the answer, which names the lot.
    await ledger.post(`/v1/lots/${LOT}/virtual-accounts`, { masterAccountNo: MASTER, bidderId: 'ALPHA' }, { 'Idempotency-Key': 'el-issue-alpha' }).expect(201);
    const alphaVa = (await ledger.get(`/v1/lots/${LOT}`, 'operator').expect(200)).body.virtualAccounts[1].virtualAccountNo as string;
    const laterVa = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: LATER, centerId: CENTER, basicAccountPolicy: 'OFF' }), MASTER);
    await ledger.postCredit(credit('ELHVPS0001', ALPHA, alphaVa));
    await ledger.postCredit(credit('ELHVPS0002', BRAVO, lotVa));
    await ledger.postCredit(credit('ELHVPS0003', BRAVO, laterVa));
    // Money for no lot, whose remittance names a bond id of a lot nobody registered.
    await ledger.postCredit(credit('ELHVPS0004', ALPHA, UNISSUED_VIRTUAL_ACCOUNT, { remittanceInfo: 'B-0123456789abcdef-EL-GHOST' }));
  });

  afterAll(async () => {
    await ledger.close();
  });

  describe('before bid opening', () => {
    it('records the look at each page of a sealed lot’s stream, naming the route and the auditor, before answering', async () => {
      const paths: string[] = [];
      let page = await read(`/v1/streams/lot-${LOT}?maxCount=2`);
      paths.push(`/v1/streams/lot-${LOT}?maxCount=2`);
      const types = page.events.map((event) => event.type);
      while (page.nextRevision !== undefined) {
        const path = `/v1/streams/lot-${LOT}?fromRevision=${page.nextRevision}&maxCount=2`;
        page = await read(path);
        paths.push(path);
        types.push(...page.events.map((event) => event.type));
      }
      expect(types).toEqual(expect.arrayContaining(['LotRegistered', 'BondCredited']));
      expect(await requests(LOT)).toEqual(paths.map((path) => `GET ${path}`));
      expect((await views(LOT))[0]?.viewer).toEqual({ role: 'auditor', subject: AUDITOR });
      expect(await requests(LATER)).toEqual([]);
    });

    it('records a look at other streams that show the lot’s data: a credit’s claim (its route names the lot) and a key’s recorded answer', async () => {
      const alphaCredit = await read(`/v1/streams/${creditStreamOf('ELHVPS0001')}`);
      expect(alphaCredit.events[0]).toMatchObject({ type: 'InboundCreditReceived', data: { amount: '50000.00', payer: ALPHA, route: { lotId: LOT } } });
      const idempotency = (await ledger.allEvents()).find((event) => event.type === 'IdempotentResponseRecorded');
      expect(idempotency?.data).toMatchObject({ answer: { lotId: LOT, bidderId: 'ALPHA' } });
      await read(`/v1/streams/${idempotency?.streamName}`);
      expect((await requests(LOT)).slice(-2)).toEqual([`GET /v1/streams/${creditStreamOf('ELHVPS0001')}`, `GET /v1/streams/${idempotency?.streamName}`]);
    });

    it('records a look at the pages of the whole log that show sealed lots, one per lot, and none at pages that show none', async () => {
      const first = await read('/v1/events?fromPosition=0&maxCount=2');
      expect(first.events.map((event) => event.type)).not.toContain('LotRegistered');
      expect(await requests(LOT)).not.toContain('GET /v1/events?fromPosition=0&maxCount=2');

      const rest = `/v1/events?fromPosition=${first.nextPosition}&maxCount=1000`;
      await read(rest);
      expect((await requests(LOT)).slice(-1)).toEqual([`GET ${rest}`]);
      expect(await requests(LATER)).toEqual([`GET ${rest}`]);
    });

    it("records a read of the trail of looks as a look (it tells which bonds exist), but not of the reader's own looks", async () => {
      // The trail holds this auditor's looks only: reading it, or the log's end, records nothing (else a tail would never end).
      const before = await ledger.eventCount();
      await read(`/v1/streams/sealed-data-views-${LOT}`);
      await read(`/v1/events?fromPosition=${(await lastEvent()).position}`);
      expect(await ledger.eventCount()).toBe(before);
      // An operator's look, read by the auditor: a look at the lot.
      await ledger.get(`/v1/lots/${LOT}/bonds`, 'operator', 'ops-trail').expect(200);
      await read(`/v1/streams/sealed-data-views-${LOT}`);
      expect((await requests(LOT)).slice(-1)).toEqual([`GET /v1/streams/sealed-data-views-${LOT}`]);
    });

    it('leaves lots the read models do not know alone', async () => {
      const before = await ledger.eventCount();
      const page = await read(`/v1/streams/${creditStreamOf('ELHVPS0004')}`);
      expect(JSON.stringify(page.events)).toContain('EL-GHOST');
      expect(await ledger.eventCount()).toBe(before);
    });

    it('answers no page when the look cannot be recorded', async () => {
      const before = await ledger.eventCount();
      const append = jest.spyOn(ledger.store, 'appendToStream').mockRejectedValueOnce(new Error('disk full'));
      try {
        const response = await ledger.get(`/v1/streams/lot-${LOT}`, 'auditor', AUDITOR).expect(500);
        expect(response.body).toEqual({ error: { code: 'INTERNAL_ERROR', message: expect.any(String) } });
        expect(JSON.stringify(response.body)).not.toContain(BRAVO.name);
      } finally {
        append.mockRestore();
      }
      expect(await ledger.eventCount()).toBe(before);
    });
  });

  describe('after bid opening', () => {
    beforeAll(async () => {
      await ledger.clock.advanceTo(OPENING);
      expect((await ledger.streamTypes(`lot-${LOT}`)).slice(-2)).toEqual(['DepositsClosed', 'BidsOpened']);
    });

    it('records nothing for the opened lot, and still the look at the lot that is sealed', async () => {
      const lotViews = (await views(LOT)).length;
      const before = await ledger.eventCount();
      await read(`/v1/streams/lot-${LOT}?maxCount=1000`);
      await read(`/v1/streams/${creditStreamOf('ELHVPS0001')}`);
      expect(await ledger.eventCount()).toBe(before);

      await read('/v1/events?maxCount=1000');
      expect(await views(LOT)).toHaveLength(lotViews);
      expect((await requests(LATER)).slice(-1)).toEqual(['GET /v1/events?maxCount=1000']);
    });
  });
});
