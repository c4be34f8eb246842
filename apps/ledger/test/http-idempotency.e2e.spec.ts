import { Body, Controller, INestApplication, Param, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { IsInt, Min } from 'class-validator';
import { Decider, notFound } from '@app/domain';
import { EventStore, RecordedEvent } from '@app/event-store';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AllowedRoles } from '../src/auth/access.decorators';
import { AggregateRepository } from '../src/commands/aggregate-repository';
import type { CommandContext } from '../src/commands/command-context';
import { loadLedgerConfig } from '../src/config/ledger-config';
import { EVENT_STORE } from '../src/event-store/event-store.token';
import { RequestCommandContext } from '../src/http/command-context.decorator';
import { ledgerHttpAdapter } from '../src/http/ledger-http-adapter';
import { ParseIdentifierPipe } from '../src/http/parse-identifier.pipe';
import { idempotencyKeyHash } from '../src/idempotency/idempotency-key';
import { initLedgerApp, LEDGER_APP_OPTIONS } from '../src/ledger-app';
import { LedgerModule } from '../src/ledger.module';
import { bearer } from './support/access-tokens';

type CounterCommand = { kind: 'open' } | { kind: 'add'; by: number };
type CounterEvent = { type: 'CounterOpened'; data: Record<string, never> } | { type: 'CounterIncremented'; data: { by: number } };
type Counter = { opened: boolean; total: number };

/** A counter that must be opened before it counts: the failure a retry can get past. */
const counter: Decider<CounterCommand, CounterEvent, Counter> = {
  initialState: { opened: false, total: 0 },
  decide: (command, state) => {
    if (command.kind === 'open') return state.opened ? [] : [{ type: 'CounterOpened', data: {} }];
    if (!state.opened) return notFound('COUNTER_NOT_FOUND', 'open the counter first');
    return [{ type: 'CounterIncremented', data: { by: command.by } }];
  },
  evolve: (state, event) =>
    event.type === 'CounterOpened' ? { ...state, opened: true } : { ...state, total: state.total + event.data.by },
};

class Increment {
  @IsInt()
  @Min(1)
  by!: number;
}

/** Lets the first two calls through only together, so both pass the idempotency lookup before either records. */
let bothArrived: Promise<void>;
let arrive: () => void;
let arrivals: number;
function resetRendezvous(): void {
  arrivals = 0;
  bothArrived = new Promise((resolve) => (arrive = resolve));
}

/** Test-only routes exercising the plumbing; the production module has none of them. */
@Controller('probe/counters/:counterId')
@AllowedRoles('esb')
class CounterController {
  constructor(private readonly repository: AggregateRepository) {}

  @Post('opening')
  async open(@Param('counterId', ParseIdentifierPipe) counterId: string, @RequestCommandContext() context: CommandContext) {
    const result = await this.repository.execute(`counter-${counterId}`, counter, (): CounterCommand => ({ kind: 'open' }), context);
    return { counterId, opened: result.state.opened };
  }

  @Post('increments')
  async add(
    @Param('counterId', ParseIdentifierPipe) counterId: string,
    @Body() body: Increment,
    @RequestCommandContext() context: CommandContext,
  ) {
    const result = await this.repository.execute(`counter-${counterId}`, counter, (): CounterCommand => ({ kind: 'add', by: body.by }), context);
    return { counterId, total: result.state.total, revision: String(result.revision) };
  }

  @Post('rendezvous')
  async rendezvous() {
    const arrival = ++arrivals;
    if (arrival === 2) arrive();
    await bothArrived;
    return { arrival };
  }
}

describe('Idempotency-Key on POST routes (e2e, SQLite store)', () => {
  let folder: string;
  let app: INestApplication;

  async function startApp(): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [LedgerModule.forConfig(loadLedgerConfig({ LEDGER_DB_PATH: join(folder, 'ledger.db'), READ_MODEL_DB_PATH: join(folder, 'read-models.db'), LOG_LEVEL: 'silent' }))],
      controllers: [CounterController],
    }).compile();
    return initLedgerApp(moduleRef.createNestApplication<NestFastifyApplication>(ledgerHttpAdapter(), LEDGER_APP_OPTIONS));
  }

  async function streamOf(name: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of app.get<EventStore>(EVENT_STORE).readStream(name)) events.push(event);
    return events;
  }

  const post = (path: string, key?: string, subject = 'esb-1') => {
    const pending = request(app.getHttpServer()).post(`/probe/counters/${path}`).set(bearer('esb', subject));
    return key === undefined ? pending : pending.set('Idempotency-Key', key);
  };

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-idempotency-'));
    app = await startApp();
    resetRendezvous();
  });

  afterEach(async () => {
    await app.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('answers a repeat with 200 and the first body, without running the command again', async () => {
    await post('c1/opening').expect(201);
    const first = await post('c1/increments', 'esb-0001').send({ by: 5 }).expect(201);
    expect(first.body).toEqual({ counterId: 'c1', total: 5, revision: '1' });

    const again = await post('c1/increments', 'esb-0001')
      .set('Content-Type', 'application/json')
      .send('{ "by" : 5 }')
      .expect(200);
    expect(again.body).toEqual(first.body);
    expect(await streamOf('counter-c1')).toHaveLength(2);
  });

  it('keeps each caller’s keys apart: the same key from another caller is another request', async () => {
    await post('c9/opening').expect(201);
    await post('c9/increments', 'shared-key', 'esb-1').send({ by: 2 }).expect(201);
    const other = await post('c9/increments', 'shared-key', 'esb-2').send({ by: 3 }).expect(201);
    expect(other.body).toEqual({ counterId: 'c9', total: 5, revision: '2' });
    expect(await streamOf('counter-c9')).toHaveLength(3);
  });

  it('records the answer once under the key’s hash, and puts the key and request id in the command’s metadata', async () => {
    await post('c2/opening', 'esb-0002').set('X-Request-Id', 'esb-req-0002').expect(201);

    const [opened] = await streamOf('counter-c2');
    expect(opened.metadata).toMatchObject({ correlationId: 'esb-req-0002', causationId: 'esb-0002', actor: 'esb:esb-1', schemaVersion: 1 });
    const keyHash = idempotencyKeyHash('esb:esb-1', 'esb-0002');
    expect(await streamOf(`idempotency-${keyHash}`)).toEqual([
      expect.objectContaining({
        type: 'IdempotentResponseRecorded',
        data: { keyHash, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/), status: 201, body: { counterId: 'c2', opened: true } },
      }),
    ]);
  });

  it('answers the key on another body or another route with 409 IDEMPOTENCY_CONFLICT', async () => {
    await post('c3/opening').expect(201);
    await post('c3/increments', 'esb-0003').send({ by: 1 }).expect(201);

    const otherBody = await post('c3/increments', 'esb-0003').send({ by: 2 }).expect(409);
    expect(otherBody.body).toEqual({
      error: { code: 'IDEMPOTENCY_CONFLICT', message: expect.any(String), field: 'Idempotency-Key' },
    });
    await post('c4/increments', 'esb-0003').send({ by: 1 }).expect(409);
    expect(await streamOf('counter-c3')).toHaveLength(2);
  });

  it.each([
    ['with a space', 'esb 0004'],
    ['longer than 128 characters', 'k'.repeat(129)],
    ['empty', ''],
  ])('refuses a key %s with 400 INVALID_IDEMPOTENCY_KEY', async (_case, key) => {
    const response = await post('c5/opening', key).expect(400);
    expect(response.body).toEqual({
      error: { code: 'INVALID_IDEMPOTENCY_KEY', message: expect.any(String), field: 'Idempotency-Key' },
    });
    expect(await streamOf('counter-c5')).toEqual([]);
  });

  it('does not record failures, so a retry runs the command again', async () => {
    await post('c6/increments', 'esb-0006').send({ by: 1 }).expect(404);
    await post('c6/increments', 'esb-0006').send({ by: 0 }).expect(400);
    await post('c6/opening').expect(201);

    const retried = await post('c6/increments', 'esb-0006').send({ by: 1 }).expect(201);
    expect(retried.body).toEqual({ counterId: 'c6', total: 1, revision: '1' });
    await post('c6/increments', 'esb-0006').send({ by: 1 }).expect(200, retried.body);
  });

  it('runs every request without a key', async () => {
    await post('c7/opening').expect(201);
    await post('c7/increments').send({ by: 1 }).expect(201);
    await post('c7/increments').send({ by: 1 }).expect(201, { counterId: 'c7', total: 2, revision: '2' });
  });

  it('answers the loser of a race with the winner’s record', async () => {
    const [one, two] = await Promise.all([post('c8/rendezvous', 'esb-0008'), post('c8/rendezvous', 'esb-0008')]);
    expect([one.status, two.status].sort()).toEqual([200, 201]);
    expect(one.body).toEqual(two.body);
  });

  it('keeps answering from the record after a restart on the same file', async () => {
    await post('c9/opening').expect(201);
    const first = await post('c9/increments', 'esb-0009').send({ by: 3 }).expect(201);

    await app.close();
    app = await startApp();

    await post('c9/increments', 'esb-0009').send({ by: 3 }).expect(200, first.body);
    expect(await streamOf('counter-c9')).toHaveLength(2);
  });
});
