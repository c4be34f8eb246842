import { Body, ConflictException, Controller, Get, INestApplication, Param, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { IsOptional, IsString } from 'class-validator';
import { reject, RejectionKind } from '@app/domain';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Public } from '../src/platform/auth/access.decorators';
import { bearer } from './support/access-tokens';
import { RejectionError } from '@app/command-kernel';
import { LedgerConfig, loadLedgerConfig } from '../src/platform/config/ledger-config';
import { ledgerHttpAdapter } from '../src/platform/http/ledger-http-adapter';
import { ParseIdentifierPipe } from '../src/platform/http/parse-identifier.pipe';
import {
  IsCalendarDate,
  IsDecimalRate,
  IsIdentifier,
  IsInstant,
  IsNestedObject,
  IsNestedObjectArray,
  IsWireAmount,
} from '../src/platform/http/validators';
import { createLedgerApp, initLedgerApp, LEDGER_APP_OPTIONS } from '../src/ledger-app';
import { LedgerModule } from '../src/ledger.module';

class ProbePayer {
  @IsIdentifier()
  accountNo!: string;

  @IsString()
  name!: string;
}

class ProbeRateEntry {
  @IsCalendarDate()
  effectiveFrom!: string;

  @IsDecimalRate()
  annualRate!: string;
}

class ProbeCommand {
  @IsIdentifier()
  reference!: string;

  @IsWireAmount()
  amount!: string;

  @IsCalendarDate()
  valueDate!: string;

  @IsInstant()
  receivedAt!: string;

  @IsNestedObject(() => ProbePayer)
  payer!: ProbePayer;

  @IsNestedObjectArray(() => ProbeRateEntry)
  entries!: ProbeRateEntry[];

  @IsOptional()
  @IsString()
  remittanceInfo?: string;
}

/** Test-only routes exercising the plumbing (public: access control has its own tests); the production module has none of them. */
@Public()
@Controller('probe')
class ProbeController {
  @Post('commands')
  accept(@Body() command: ProbeCommand) {
    return { reference: command.reference, payerIsTyped: command.payer instanceof ProbePayer };
  }

  @Post('rejections/:kind')
  refuse(@Param('kind') kind: RejectionKind): never {
    throw new RejectionError(reject(kind, 'PROBE_REFUSED', 'the probe refuses', 'payer.accountNo'));
  }

  @Get('crash')
  crash(): never {
    throw new Error('lost the connection to /var/secret/ledger.db');
  }

  @Get('conflict')
  conflict(): never {
    throw new ConflictException('already done');
  }

  @Get('things/:thingId')
  thing(@Param('thingId', ParseIdentifierPipe) thingId: string) {
    return { thingId };
  }
}

const VALID = {
  reference: 'HVPS20261201000123',
  amount: '50000.00',
  valueDate: '2026-12-01',
  receivedAt: '2026-12-01T10:02:03+08:00',
  payer: { accountNo: '6222000011112222', name: 'Acme Construction' },
  entries: [
    { effectiveFrom: '2015-10-24', annualRate: '0.0035' },
    { effectiveFrom: '2026-01-01', annualRate: '0.003' },
  ],
};

/** The defaults of every other setting, so the test keeps up with new ones. */
function configFor(folder: string): LedgerConfig {
  return loadLedgerConfig({ LEDGER_DB_PATH: join(folder, 'ledger.db'), READ_MODEL_DB_PATH: join(folder, 'read-models.db'), LOG_LEVEL: 'silent' });
}

describe('HTTP error shape and validation (e2e)', () => {
  let folder: string;
  let app: INestApplication;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-http-errors-'));
  });

  afterEach(async () => {
    await app.close();
    await rm(folder, { recursive: true, force: true });
  });

  describe('on the production app', () => {
    beforeEach(async () => {
      app = await createLedgerApp(configFor(folder));
    });

    it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
      const response = await request(app.getHttpServer()).get('/v1/nothing-here?x=1').expect(404);
      expect(response.body).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: 'no route for GET /v1/nothing-here' } });
    });

    it('answers malformed JSON with 400 MALFORMED_JSON, with the request id', async () => {
      const response = await request(app.getHttpServer())
        .post('/v1/tender-centers')
        .set('Content-Type', 'application/json')
        .set('X-Request-Id', 'esb-bad-json-1')
        .send('{"centerId": "C1",')
        .expect(400)
        .expect('X-Request-Id', 'esb-bad-json-1');
      expect(response.body.error).toEqual({ code: 'MALFORMED_JSON', message: expect.stringMatching(/^the request body is not valid JSON/) });
    });

    it('answers a body that is not JSON with 400 UNSUPPORTED_CONTENT_TYPE', async () => {
      const response = await request(app.getHttpServer())
        .post('/v1/tender-centers')
        .set('Content-Type', 'text/plain')
        .send('centerId=C1')
        .expect(400);
      expect(response.body.error.code).toBe('UNSUPPORTED_CONTENT_TYPE');
    });

    it('answers an oversized body with 413 PAYLOAD_TOO_LARGE', async () => {
      const response = await request(app.getHttpServer())
        .post('/v1/tender-centers')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(70_000) }))
        .expect(413);
      expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it.each([
      // class-transformer copies bodies recursively: thousands of levels overflowed its stack (500).
      ['a body nested thousands of levels deep', `{"centerId":"C1","name":"n","x":${'['.repeat(5_000)}${']'.repeat(5_000)}}`, 'MALFORMED_BODY', undefined],
      ['a nested field nested too deep', `{"centerId":"C1","name":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`, 'MALFORMED_BODY', undefined],
      // The DTO transformation drops these keys, so they passed as if absent (201) instead of being refused.
      ['a __proto__ field', '{"__proto__":{},"centerId":"C1","name":"n"}', 'UNKNOWN_FIELD', '__proto__'],
      ['a constructor field', '{"centerId":"C1","name":"n","constructor":{"prototype":{}}}', 'UNKNOWN_FIELD', 'constructor'],
      ['a prototype field', '{"centerId":"C1","name":"n","prototype":[1]}', 'UNKNOWN_FIELD', 'prototype'],
      ['a toString field', '{"centerId":"C1","name":"n","toString":1}', 'UNKNOWN_FIELD', 'toString'],
      ['a hasOwnProperty field', '{"centerId":"C1","name":"n","hasOwnProperty":"x"}', 'UNKNOWN_FIELD', 'hasOwnProperty'],
    ])('answers %s with 400 and records nothing', async (_case, body, code, field) => {
      const response = await request(app.getHttpServer())
        .post('/v1/tender-centers')
        .set(bearer('operator'))
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(400);
      expect(response.body).toEqual({ error: { code, message: expect.any(String), ...(field === undefined ? {} : { field }) } });
      await request(app.getHttpServer()).get('/v1/streams/tender-center-C1').set(bearer('auditor')).expect(404);
    });

    it('keeps the health probe’s own body', async () => {
      const response = await request(app.getHttpServer()).get('/health').expect(200);
      expect(response.body).toEqual({ status: 'ok', store: { kind: 'sqlite', reachable: true } });
    });
  });

  describe('on probe routes', () => {
    beforeEach(async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [LedgerModule.forConfig(configFor(folder))],
        controllers: [ProbeController],
      }).compile();
      app = await initLedgerApp(moduleRef.createNestApplication<NestFastifyApplication>(ledgerHttpAdapter(), LEDGER_APP_OPTIONS));
    });

    const post = (body: unknown) => request(app.getHttpServer()).post('/probe/commands').send(body as object);

    it('accepts a valid body and hands the handler typed DTOs', async () => {
      const response = await post(VALID).expect(201);
      expect(response.body).toEqual({ reference: VALID.reference, payerIsTyped: true });
    });

    it.each<[string, unknown, { code: string; field?: string }]>([
      ['an array body', [VALID], { code: 'MALFORMED_BODY' }],
      ['a JSON string body', 'HVPS20261201000123', { code: 'MALFORMED_BODY' }],
      ['a null body', null, { code: 'MALFORMED_BODY' }],
      ['an unknown field', { ...VALID, bonus: '1.00' }, { code: 'UNKNOWN_FIELD', field: 'bonus' }],
      ['an unknown nested field', { ...VALID, payer: { ...VALID.payer, iban: 'x' } }, { code: 'UNKNOWN_FIELD', field: 'payer.iban' }],
      ['a missing field', { ...VALID, reference: undefined }, { code: 'MISSING_FIELD', field: 'reference' }],
      ['a null field', { ...VALID, valueDate: null }, { code: 'MISSING_FIELD', field: 'valueDate' }],
      ['a missing nested object', { ...VALID, payer: undefined }, { code: 'MISSING_FIELD', field: 'payer' }],
      ['a number for a string', { ...VALID, payer: { ...VALID.payer, name: 42 } }, { code: 'INVALID_FIELD', field: 'payer.name' }],
      ['a string for an object', { ...VALID, payer: 'Acme' }, { code: 'INVALID_FIELD', field: 'payer' }],
      ['an object for a list', { ...VALID, entries: VALID.entries[0] }, { code: 'INVALID_FIELD', field: 'entries' }],
      ['a number in a list of objects', { ...VALID, entries: [VALID.entries[0], 7] }, { code: 'INVALID_FIELD', field: 'entries[1]' }],
      ['a bad nested identifier', { ...VALID, payer: { ...VALID.payer, accountNo: '-6222' } }, { code: 'INVALID_FIELD', field: 'payer.accountNo' }],
      ['a bad rate in a list', { ...VALID, entries: [VALID.entries[0], { effectiveFrom: '2026-01-01', annualRate: '0.35%' }] }, { code: 'INVALID_FIELD', field: 'entries[1].annualRate' }],
      ['an amount with three decimals', { ...VALID, amount: '50000.005' }, { code: 'INVALID_AMOUNT', field: 'amount' }],
      ['a negative amount', { ...VALID, amount: '-50000.00' }, { code: 'INVALID_AMOUNT', field: 'amount' }],
      ['a zero amount', { ...VALID, amount: '0.00' }, { code: 'INVALID_AMOUNT', field: 'amount' }],
      ['an amount as a number', { ...VALID, amount: 50000 }, { code: 'INVALID_AMOUNT', field: 'amount' }],
      ['an amount with one decimal', { ...VALID, amount: '50000.5' }, { code: 'INVALID_AMOUNT', field: 'amount' }],
      ['a date that does not exist', { ...VALID, valueDate: '2026-02-30' }, { code: 'INVALID_FIELD', field: 'valueDate' }],
      ['a date in another format', { ...VALID, valueDate: '01/12/2026' }, { code: 'INVALID_FIELD', field: 'valueDate' }],
      ['an instant without offset', { ...VALID, receivedAt: '2026-12-01T10:02:03' }, { code: 'INVALID_FIELD', field: 'receivedAt' }],
      ['an instant at hour 24', { ...VALID, receivedAt: '2026-12-01T24:00:00Z' }, { code: 'INVALID_FIELD', field: 'receivedAt' }],
      ['an identifier too long', { ...VALID, reference: 'R'.repeat(65) }, { code: 'INVALID_FIELD', field: 'reference' }],
    ])('answers %s with 400', async (_case, body, expected) => {
      const response = await request(app.getHttpServer())
        .post('/probe/commands')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body))
        .expect(400);
      expect(response.body).toEqual({ error: { ...expected, message: expect.any(String) } });
    });

    it('says which form is expected', async () => {
      const amount = await post({ ...VALID, amount: '1.005' }).expect(400);
      expect(amount.body.error.message).toBe('amount must be an amount above zero as a string with exactly two decimals, e.g. "50000.00"');
      const missing = await post({ ...VALID, payer: { name: 'Acme' } }).expect(400);
      expect(missing.body.error.message).toMatch(/^payer\.accountNo is required and must be an identifier/);
      const unknown = await post({ ...VALID, bonus: 1 }).expect(400);
      expect(unknown.body.error.message).toBe('bonus is not a field of this request');
    });

    it('accepts instants with Z, fractions and negative offsets', async () => {
      for (const receivedAt of ['2026-12-01T02:02:03Z', '2026-12-01T10:02:03.123456+08:00', '2026-11-30T21:02:03-05:00']) {
        await post({ ...VALID, receivedAt }).expect(201);
      }
    });

    it('checks identifiers in the path', async () => {
      await request(app.getHttpServer()).get('/probe/things/LOT-2026.001_a').expect(200, { thingId: 'LOT-2026.001_a' });
      const response = await request(app.getHttpServer()).get('/probe/things/%20bad').expect(400);
      expect(response.body.error).toMatchObject({ code: 'INVALID_FIELD', field: 'thingId' });
    });

    it.each([
      ['NOT_FOUND', 404],
      ['CONFLICT', 409],
      ['BUSINESS_RULE', 422],
    ])('answers a %s rejection with %i and its code, message and field', async (kind, status) => {
      const response = await request(app.getHttpServer()).post(`/probe/rejections/${kind}`).expect(status);
      expect(response.body).toEqual({
        error: { code: 'PROBE_REFUSED', message: 'the probe refuses', field: 'payer.accountNo' },
      });
    });

    it('keeps the status of Nest’s HTTP exceptions with an UPPER_SNAKE code', async () => {
      const response = await request(app.getHttpServer()).get('/probe/conflict').expect(409);
      expect(response.body).toEqual({ error: { code: 'CONFLICT', message: 'already done' } });
    });

    it('answers an unexpected error with 500 INTERNAL_ERROR and no detail', async () => {
      const response = await request(app.getHttpServer()).get('/probe/crash').expect(500);
      expect(response.body).toEqual({
        error: { code: 'INTERNAL_ERROR', message: 'the ledger could not process the request; the error has been logged' },
      });
      expect(response.text).not.toMatch(/secret|at .*\.ts/);
    });
  });
});
