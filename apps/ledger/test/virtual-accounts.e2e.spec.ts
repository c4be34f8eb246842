import { INestApplication } from '@nestjs/common';
import { classifyVirtualAccountNo } from '@app/domain';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadLedgerConfig } from '../src/config/ledger-config';
import { createLedgerApp } from '../src/ledger-app';
import { bearer } from './support/access-tokens';

describe('POST /v1/lots/{lotId}/virtual-accounts (e2e)', () => {
  let folder: string;
  let app: INestApplication;
  const post = (path: string, body: object) => request(app.getHttpServer()).post(path).set(bearer('operator')).send(body);

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
    expect(answers[1].body).toMatchObject({ lotId: 'L1', masterAccountNo: 'M-ICBC', bidderId: 'b1' });
    expect(answers[0].body).not.toHaveProperty('bidderId');
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
});
