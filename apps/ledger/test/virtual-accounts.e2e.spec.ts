import { INestApplication } from '@nestjs/common';
import { classifyVirtualAccountNo } from '@app/domain';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { EventStore, RecordedEvent } from '@app/event-store';
import { loadLedgerConfig } from '../src/platform/config/ledger-config';
import { EVENT_STORE } from '../src/platform/event-store/event-store.token';
import { createLedgerApp } from '../src/ledger-app';
import { bearer } from './support/access-tokens';

const ICBC = '102100099996';
const BOC = '104100000004';

describe('POST /v1/lots/{lotId}/virtual-accounts (e2e)', () => {
  let folder: string;
  let app: INestApplication;
  const post = (path: string, body: object) => request(app.getHttpServer()).post(path).set(bearer('operator')).send(body);

  async function streamEvents(stream: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of app.get<EventStore>(EVENT_STORE).readStream(stream)) events.push(event);
    return events;
  }

  async function eventCount(): Promise<number> {
    let count = 0;
    for await (const _event of app.get<EventStore>(EVENT_STORE).readAll()) count += 1;
    return count;
  }

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-va-'));
    app = await createLedgerApp(
      loadLedgerConfig({
        LOG_LEVEL: 'silent',
        LEDGER_DB_PATH: join(folder, 'ledger.db'), READ_MODEL_DB_PATH: join(folder, 'read-models.db'),
        VIRTUAL_ACCOUNT_PREFIXES: '102100099996=955880,104100000004=622601',
      }),
    );
    await post('/v1/tender-centers', { centerId: 'C1', name: 'Center one' }).expect(201);
    await post('/v1/tender-centers', { centerId: 'C2', name: 'Center two' }).expect(201);
    await post('/v1/tender-centers/C1/master-accounts', { bankCode: '102100099996', accountNo: 'M-ICBC', accountName: 'C1 bonds' }).expect(201);
    await post('/v1/tender-centers/C1/master-accounts', { bankCode: '104100000004', accountNo: 'M-BOC', accountName: 'C1 bonds' }).expect(201);
    await post('/v1/tender-centers/C2/master-accounts', { bankCode: '102100099996', accountNo: 'M-C2', accountName: 'C2 bonds' }).expect(201);
    await post('/v1/lots', {
      lotId: 'L1',
      centerId: 'C1',
      projectCode: 'P1',
      name: 'Lot one',
      estimatedPrice: '1000000.00',
      bondAmount: '20000.00',
      depositDeadline: '2099-01-01T09:00:00+08:00',
      bidOpeningTime: '2099-01-01T10:00:00+08:00',
      basicAccountPolicy: 'OFF',
      rateScheduleId: 'PBOC-DEMAND',
    }).expect(201);
  });

  afterAll(async () => {
    await app.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('issues distinct, consecutive, check-digit-valid numbers to 30 concurrent requests', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => post('/v1/lots/L1/virtual-accounts', i % 2 ? { masterAccountNo: 'M-ICBC', bidderId: `b${i}` } : { masterAccountNo: 'M-ICBC' })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(201));
    const numbers = answers.map((answer) => answer.body.virtualAccountNo as string);
    expect(new Set(numbers).size).toBe(30);
    const sequences = numbers.map((number) => {
      const classified = classifyVirtualAccountNo(number, ['955880']);
      if (classified.kind !== 'VIRTUAL') throw new Error(`${number} is ${classified.kind}`);
      return Number(classified.sequence);
    });
    expect([...sequences].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(answers[1]?.body).toMatchObject({ lotId: 'L1', masterAccountNo: 'M-ICBC', bidderId: 'b1' });
    expect(answers[0]?.body).not.toHaveProperty('bidderId');
  });

  it("numbers a master account's virtual accounts with its own bank's prefix", async () => {
    const answer = await post('/v1/lots/L1/virtual-accounts', { masterAccountNo: 'M-BOC' }).expect(201);
    // 622601 + 000000000001, Luhn over those 18 digits: sum 9 → check digit 1.
    expect(answer.body.virtualAccountNo).toBe('6226010000000000011');
  });

  it('refuses a master account of another center, an unknown lot and an unknown master account', async () => {
    const other = await post('/v1/lots/L1/virtual-accounts', { masterAccountNo: 'M-C2' }).expect(422);
    expect(other.body.error).toMatchObject({ code: 'MASTER_ACCOUNT_OF_ANOTHER_CENTER', field: 'masterAccountNo' });
    const noLot = await post('/v1/lots/NOPE/virtual-accounts', { masterAccountNo: 'M-ICBC' }).expect(404);
    expect(noLot.body.error).toMatchObject({ code: 'LOT_NOT_FOUND' });
    const noMaster = await post('/v1/lots/L1/virtual-accounts', { masterAccountNo: 'NOPE' }).expect(404);
    expect(noMaster.body.error).toMatchObject({ code: 'MASTER_ACCOUNT_NOT_FOUND', field: 'masterAccountNo' });
  });

  it('refuses a master account at a bank this ledger does not serve', async () => {
    const answer = await post('/v1/tender-centers/C1/master-accounts', { bankCode: '999999999999', accountNo: 'M-X', accountName: 'x' }).expect(422);
    expect(answer.body.error).toMatchObject({ code: 'BANK_NOT_SUPPORTED', field: 'bankCode' });
  });

  it('keeps a master account number per bank, and asks for the bank (422 AMBIGUOUS_MASTER_ACCOUNT) when the center holds it at two', async () => {
    await post('/v1/tender-centers/C1/master-accounts', { bankCode: ICBC, accountNo: 'M-SHARED', accountName: 'C1 bonds at ICBC' }).expect(201);
    await post('/v1/tender-centers/C1/master-accounts', { bankCode: BOC, accountNo: 'M-SHARED', accountName: 'C1 bonds at BOC' }).expect(201);
    for (const bankCode of [ICBC, BOC]) {
      expect((await streamEvents(`master-account-${bankCode}-M-SHARED`)).map((event) => [event.type, event.data.bankCode])).toEqual([['MasterAccountOpened', bankCode]]);
    }
    const again = await post('/v1/tender-centers/C1/master-accounts', { bankCode: BOC, accountNo: 'M-SHARED', accountName: 'again' }).expect(409);
    expect(again.body.error).toMatchObject({ code: 'MASTER_ACCOUNT_EXISTS', field: 'accountNo' });

    const count = await eventCount();
    const ambiguous = await post('/v1/lots/L1/virtual-accounts', { masterAccountNo: 'M-SHARED' }).expect(422);
    expect(ambiguous.body.error).toMatchObject({ code: 'AMBIGUOUS_MASTER_ACCOUNT', field: 'masterAccountNo' });
    expect(await eventCount()).toBe(count);

    const atBoc = await post('/v1/lots/L1/virtual-accounts', { masterAccountNo: 'M-SHARED', bankCode: BOC }).expect(201);
    expect(atBoc.body).toEqual({ virtualAccountNo: expect.stringMatching(/^622601/), lotId: 'L1', masterAccountNo: 'M-SHARED' });
    expect(classifyVirtualAccountNo(atBoc.body.virtualAccountNo, ['622601']).kind).toBe('VIRTUAL');
    const atIcbc = await post('/v1/lots/L1/virtual-accounts', { masterAccountNo: 'M-SHARED', bankCode: ICBC }).expect(201);
    expect(atIcbc.body.virtualAccountNo).toMatch(/^955880/);
    // A number held at one bank only needs no bank; naming another bank finds nothing.
    await post('/v1/lots/L1/virtual-accounts', { masterAccountNo: 'M-BOC' }).expect(201);
    const elsewhere = await post('/v1/lots/L1/virtual-accounts', { masterAccountNo: 'M-BOC', bankCode: ICBC }).expect(404);
    expect(elsewhere.body.error).toMatchObject({ code: 'MASTER_ACCOUNT_NOT_FOUND', field: 'masterAccountNo' });
  });

  it('takes a bank reference as its receiving bank’s own: the same one at two banks is two credits, each in its bank’s clearing', async () => {
    const issue = async (masterAccountNo: string) => (await post('/v1/lots/L1/virtual-accounts', { masterAccountNo }).expect(201)).body.virtualAccountNo as string;
    const va = { icbc: await issue('M-ICBC'), boc: await issue('M-BOC') };
    const credit = (bankRef: string, payeeAccountNo: string, extra: object = {}) => ({
      bankRef,
      channel: 'HVPS',
      receivedAt: '2026-12-01T10:00:00+08:00',
      valueDate: '2026-12-01',
      amount: '100.00',
      currency: 'CNY',
      payer: { accountNo: '6222000066660001', name: 'Two Banks Builders', bankCode: '103100000026' },
      payeeAccountNo,
      ...extra,
    });
    const postCredit = (body: object) => request(app.getHttpServer()).post('/v1/inbound-credits').set(bearer('esb')).send(body);

    const atIcbc = await postCredit(credit('HVPS-SAME-REF', va.icbc)).expect(201);
    expect(atIcbc.body).toMatchObject({ creditId: `C-${ICBC}-HVPS-SAME-REF`, bankRef: 'HVPS-SAME-REF', outcome: 'CLASSIFIED', lotId: 'L1' });
    const atBoc = await postCredit(credit('HVPS-SAME-REF', va.boc)).expect(201);
    expect(atBoc.body).toMatchObject({ creditId: `C-${BOC}-HVPS-SAME-REF`, bankRef: 'HVPS-SAME-REF', outcome: 'CLASSIFIED', lotId: 'L1' });
    for (const [bankCode, virtualAccountNo] of [[ICBC, va.icbc], [BOC, va.boc]]) {
      const anchor = await streamEvents(`inbound-credit-${bankCode}-HVPS-SAME-REF`);
      expect(anchor.map((event) => event.type)).toEqual(['InboundCreditReceived', 'CreditClassified']);
      expect(anchor[0]?.data).toMatchObject({ creditId: `C-${bankCode}-HVPS-SAME-REF`, bankCode, route: { lotId: 'L1', virtualAccountNo } });
    }
    const credited = (await streamEvents('lot-L1')).filter((event) => event.type === 'BondCredited' && String(event.data.bankRef) === 'HVPS-SAME-REF');
    expect(credited.map((event) => [event.data.creditId, event.data.bankCode, event.data.postings])).toEqual([
      [`C-${ICBC}-HVPS-SAME-REF`, ICBC, [{ account: `clearing:${ICBC}`, side: 'DEBIT', amount: '100.00' }, { account: `virtual:${va.icbc}`, side: 'CREDIT', amount: '100.00' }]],
      [`C-${BOC}-HVPS-SAME-REF`, BOC, [{ account: `clearing:${BOC}`, side: 'DEBIT', amount: '100.00' }, { account: `virtual:${va.boc}`, side: 'CREDIT', amount: '100.00' }]],
    ]);
    // Each bank's retry answers its own credit.
    await postCredit(credit('HVPS-SAME-REF', va.boc)).expect(200, atBoc.body);

    // A BOC number said to have arrived at ICBC names no account of ICBC's: suspense, at ICBC, nothing in the lot.
    const lotRevision = (await streamEvents('lot-L1')).length;
    const crossed = await postCredit(credit('HVPS-CROSSED', va.boc, { payeeBankCode: ICBC })).expect(201);
    expect(crossed.body).toEqual({ creditId: `C-${ICBC}-HVPS-CROSSED`, bankRef: 'HVPS-CROSSED', outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT', flags: [] });
    expect((await streamEvents(`inbound-credit-${ICBC}-HVPS-CROSSED`))[1]?.data).toMatchObject({ reason: 'UNKNOWN_VIRTUAL_ACCOUNT', bankCode: ICBC });
    expect(await streamEvents('lot-L1')).toHaveLength(lotRevision);
  });
});
