import { Body, Controller, INestApplication, Param, Post, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { IsInt, Min } from 'class-validator';
import { CommandKernel, type KernelAnswer } from '@app/command-kernel';
import { Decider, type Plan, eventDecoder, eventSchemaVersion, eventTypes, isRejection, notFound, storedEventFold } from '@app/domain';
import { EventStore, RecordedEvent } from '@app/event-store';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AllowedRoles } from '../src/platform/auth/access.decorators';
import { loadLedgerConfig } from '../src/platform/config/ledger-config';
import { EVENT_STORE } from '../src/platform/event-store/event-store.token';
import { RequestCommandCall } from '../src/write/request-command-call';
import { ledgerHttpAdapter } from '../src/platform/http/ledger-http-adapter';
import { ParseIdentifierPipe } from '../src/platform/http/parse-identifier.pipe';
import { initLedgerApp, LEDGER_APP_OPTIONS } from '../src/ledger-app';
import { LedgerModule } from '../src/ledger.module';
import { respond } from '../src/write/command-answer';
import type { CommandCall } from '../src/write/ledger-commands';
import { bearer } from './support/access-tokens';

type CounterCommand = { kind: 'open' } | { kind: 'add'; by: number };
type CounterEvent = { type: 'CounterOpened'; data: Record<string, never> } | { type: 'CounterIncremented'; data: { by: number } };
/** `version`: events folded, so the revision of the last one is `version - 1`. */
type Counter = { opened: boolean; total: number; version: number };

/** A counter that must be opened before it counts: the failure a retry can get past. */
const counter: Decider<CounterCommand, CounterEvent, Counter> = {
  initialState: { opened: false, total: 0, version: 0 },
  decide: (command, state) => {
    if (command.kind === 'open') return state.opened ? [] : [{ type: 'CounterOpened', data: {} }];
    if (!state.opened) return notFound('COUNTER_NOT_FOUND', 'open the counter first');
    return [{ type: 'CounterIncremented', data: { by: command.by } }];
  },
  evolve: (state, event) => {
    const version = state.version + 1;
    return event.type === 'CounterOpened' ? { ...state, opened: true, version } : { ...state, total: state.total + event.data.by, version };
  },
};

/** The counter's stream as the kernel reads it. */
const counterFold = storedEventFold(counter, eventDecoder<CounterEvent>('a counter', eventTypes<CounterEvent>({ CounterOpened: true, CounterIncremented: true })));

class Increment {
  @IsInt()
  @Min(1)
  by!: number;
}

/**
 * Holds the first `expected` calls until all of them have arrived, so they run at the same time: the
 * concurrent requests under one Idempotency-Key.
 */
let allArrived: Promise<void>;
let arrive: () => void;
let arrivals: number;
let expectedArrivals: number;
function resetRendezvous(expected = 2): void {
  arrivals = 0;
  expectedArrivals = expected;
  allArrived = new Promise((resolve) => (arrive = resolve));
}
async function rendezvous(): Promise<number> {
  const arrival = ++arrivals;
  if (arrival === expectedArrivals) arrive();
  if (arrival <= expectedArrivals) await allArrived;
  return arrival;
}

/** How many times a counter's increment was decided: an execution of the command. */
const decisions = new Map<string, number>();

/**
 * Test-only routes exercising the plumbing, on the app's own command kernel as the ledger's commands
 * use it (LedgerCommands.onOneStream); the production module has none of them.
 */
@Controller('probe/counters/:counterId')
@AllowedRoles('esb')
class CounterController {
  private replica?: CommandKernel;

  constructor(private readonly moduleRef: ModuleRef) {}

  /** The kernel the app's commands run on. */
  private get kernel(): CommandKernel {
    return this.moduleRef.get(CommandKernel, { strict: false });
  }

  /** A second kernel on the same store: another replica of the service, with its own queues and remembered states. */
  private get otherReplica(): CommandKernel {
    this.replica ??= new CommandKernel(this.moduleRef.get<EventStore>(EVENT_STORE, { strict: false }), { schemaVersionOf: eventSchemaVersion });
    return this.replica;
  }

  @Post('opening')
  async open(@Param('counterId', ParseIdentifierPipe) counterId: string, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.run(this.kernel, counterId, call, { kind: 'open' }, (state) => ({ counterId, opened: state.opened })));
  }

  @Post('increments')
  async add(
    @Param('counterId', ParseIdentifierPipe) counterId: string,
    @Body() body: Increment,
    @RequestCommandCall() call: CommandCall,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(reply, await this.run(this.kernel, counterId, call, { kind: 'add', by: body.by }, (state) => answerOf(counterId, state)));
  }

  /** Every request arrives before any runs, then each runs on this process's kernel. */
  @Post('rendezvous')
  async together(@Param('counterId', ParseIdentifierPipe) counterId: string, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply) {
    const arrival = await rendezvous();
    return respond(reply, await this.run(this.kernel, counterId, call, { kind: 'add', by: 1 }, (state) => ({ ...answerOf(counterId, state), arrival })));
  }

  /**
   * Odd arrivals run on this process's kernel, even ones on another replica's; the first two meet inside
   * their decisions, so both have found the key unused and decided before either records anything.
   */
  @Post('replicas')
  async onTwoReplicas(@Param('counterId', ParseIdentifierPipe) counterId: string, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply) {
    const arrival = ++arrivals;
    const kernel = arrival % 2 === 1 ? this.kernel : this.otherReplica;
    const answer = await this.run(kernel, counterId, call, { kind: 'add', by: 1 }, (state) => ({ ...answerOf(counterId, state), arrival }), async () => {
      if (arrival <= expectedArrivals) {
        if (arrival === expectedArrivals) arrive();
        await allArrived;
      }
    });
    return respond(reply, answer);
  }

  /** One command on the counter's stream, decided by its decider, as `LedgerCommands.onOneStream` runs one. */
  private run<A>(
    kernel: CommandKernel,
    counterId: string,
    call: CommandCall,
    command: CounterCommand,
    answer: (state: Counter) => A,
    beforeDeciding: () => Promise<void> = async () => undefined,
  ): Promise<KernelAnswer<A>> {
    const stream = `counter-${counterId}`;
    return kernel.run({
      name: 'ProbeCounter',
      context: call.context,
      idempotency: call.idempotency,
      streams: [stream],
      decide: async (reader): Promise<Plan<A>> => {
        const state = await reader.read(stream, counterFold);
        await beforeDeciding();
        if (command.kind === 'add') decisions.set(counterId, (decisions.get(counterId) ?? 0) + 1);
        const decision = counter.decide(command, state);
        if (isRejection(decision)) return { writes: [], rejection: decision };
        const after = decision.reduce(counter.evolve, state);
        return { writes: [{ stream, events: decision }], answer: answer(after) };
      },
    });
  }
}

function answerOf(counterId: string, state: Counter) {
  return { counterId, total: state.total, revision: String(state.version - 1) };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const REPLAYED = 'idempotent-replayed';

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

  /** The records under a caller's key: `idempotency-{sha256(actor NUL key)}`. */
  const keyStreamOf = (actor: string, key: string) => `idempotency-${sha256(`${actor}\u0000${key}`)}`;

  const post = (path: string, key?: string, subject = 'esb-1') => {
    const pending = request(app.getHttpServer()).post(`/probe/counters/${path}`).set(bearer('esb', subject));
    return key === undefined ? pending : pending.set('Idempotency-Key', key);
  };

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-idempotency-'));
    app = await startApp();
    resetRendezvous();
    decisions.clear();
  });

  afterEach(async () => {
    await app.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('answers a repeat with 200 and the first body, marked Idempotent-Replayed, without running the command again', async () => {
    await post('c1/opening').expect(201);
    const first = await post('c1/increments', 'esb-0001').send({ by: 5 }).expect(201);
    expect(first.body).toEqual({ counterId: 'c1', total: 5, revision: '1' });
    expect(first.headers[REPLAYED]).toBeUndefined();

    const again = await post('c1/increments', 'esb-0001')
      .set('Content-Type', 'application/json')
      .send('{ "by" : 5 }')
      .expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers[REPLAYED]).toBe('true');
    expect(await streamOf('counter-c1')).toHaveLength(2);
    expect(decisions.get('c1')).toBe(1);
  });

  it('keeps each caller’s keys apart: the same key from another caller is another request', async () => {
    await post('c9/opening').expect(201);
    await post('c9/increments', 'shared-key', 'esb-1').send({ by: 2 }).expect(201);
    const other = await post('c9/increments', 'shared-key', 'esb-2').send({ by: 3 }).expect(201);
    expect(other.body).toEqual({ counterId: 'c9', total: 5, revision: '2' });
    expect(other.headers[REPLAYED]).toBeUndefined();
    expect(await streamOf('counter-c9')).toHaveLength(3);
    expect(await streamOf(keyStreamOf('esb:esb-1', 'shared-key'))).toHaveLength(1);
    expect(await streamOf(keyStreamOf('esb:esb-2', 'shared-key'))).toHaveLength(1);
  });

  it('records the answer once under the key’s hash, in the command’s own commit, and puts the key and request id in the metadata', async () => {
    await post('c2/opening', 'esb-0002').set('X-Request-Id', 'esb-req-0002').expect(201);

    const opened = await streamOf('counter-c2');
    const context = { correlationId: 'esb-req-0002', causationId: 'esb-0002', actor: 'esb:esb-1' };
    expect(opened).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ ...context, schemaVersion: 1 }) })]);
    const keyHash = sha256('esb:esb-1\u0000esb-0002');
    const records = await streamOf(`idempotency-${keyHash}`);
    expect(records).toEqual([
      expect.objectContaining({
        type: 'IdempotentResponseRecorded',
        // The request: its route with its parameters filled in, and its body (none).
        data: { keyHash, fingerprint: sha256('POST /probe/counters/c2/opening\nnull'), created: true, answer: { counterId: 'c2', opened: true } },
      }),
    ]);
    expect(records[0]?.metadata).toMatchObject({ ...context, schemaVersion: 2 });
    // One commit on the embedded store: the record right after the command's event.
    expect(records.map((record) => record.position)).toEqual(opened.map((event) => event.position + 1n));
  });

  it('records a repeat that changed nothing as 200 and answers it so again', async () => {
    await post('c10/opening').expect(201);
    const noop = await post('c10/opening', 'esb-0010').expect(200, { counterId: 'c10', opened: true });
    expect(noop.headers[REPLAYED]).toBeUndefined();
    const again = await post('c10/opening', 'esb-0010').expect(200, { counterId: 'c10', opened: true });
    expect(again.headers[REPLAYED]).toBe('true');
    expect(await streamOf('counter-c10')).toHaveLength(1);
    expect((await streamOf(keyStreamOf('esb:esb-1', 'esb-0010'))).map((event) => event.data)).toEqual([
      expect.objectContaining({ created: false, answer: { counterId: 'c10', opened: true } }),
    ]);
  });

  it('answers the key on another body or another route with 409 IDEMPOTENCY_CONFLICT', async () => {
    await post('c3/opening').expect(201);
    await post('c3/increments', 'esb-0003').send({ by: 1 }).expect(201);

    const otherBody = await post('c3/increments', 'esb-0003').send({ by: 2 }).expect(409);
    expect(otherBody.body).toEqual({
      error: { code: 'IDEMPOTENCY_CONFLICT', message: expect.any(String), field: 'Idempotency-Key' },
    });
    await post('c4/opening').expect(201);
    await post('c4/increments', 'esb-0003').send({ by: 1 }).expect(409);
    expect(await streamOf('counter-c3')).toHaveLength(2);
    expect(await streamOf('counter-c4')).toHaveLength(1);
    expect(await streamOf(keyStreamOf('esb:esb-1', 'esb-0003'))).toHaveLength(1);
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
    expect(await streamOf(keyStreamOf('esb:esb-1', 'esb-0006'))).toEqual([]);
    await post('c6/opening').expect(201);

    const retried = await post('c6/increments', 'esb-0006').send({ by: 1 }).expect(201);
    expect(retried.body).toEqual({ counterId: 'c6', total: 1, revision: '1' });
    await post('c6/increments', 'esb-0006').send({ by: 1 }).expect(200, retried.body);
    expect(await streamOf('counter-c6')).toHaveLength(2);
  });

  it('runs every request without a key', async () => {
    await post('c7/opening').expect(201);
    await post('c7/increments').send({ by: 1 }).expect(201);
    await post('c7/increments').send({ by: 1 }).expect(201, { counterId: 'c7', total: 2, revision: '2' });
  });

  it('runs concurrent requests under one key once in a process: the others get its answer', async () => {
    const CONCURRENT = 5;
    resetRendezvous(CONCURRENT);
    await post('c8/opening').expect(201);
    const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => post('c8/rendezvous', 'esb-0008')));

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const [created] = answers.filter((answer) => answer.status === 201);
    expect(created?.body).toEqual({ counterId: 'c8', total: 1, revision: '1', arrival: expect.any(Number) });
    expect(created?.headers[REPLAYED]).toBeUndefined();
    for (const replay of answers.filter((answer) => answer.status === 200)) {
      expect(replay.body).toEqual(created?.body);
      expect(replay.headers[REPLAYED]).toBe('true');
    }
    expect(decisions.get('c8')).toBe(1);
    expect(await streamOf('counter-c8')).toHaveLength(2);
    expect(await streamOf(keyStreamOf('esb:esb-1', 'esb-0008'))).toHaveLength(1);
  });

  it('runs a request under one key once across two replicas that both decided it: the loser answers the winner’s record', async () => {
    await post('c11/opening').expect(201);
    const [one, two] = await Promise.all([post('c11/replicas', 'esb-0011'), post('c11/replicas', 'esb-0011')]);

    // Both decided on the key unused and the counter at 0; one commit won.
    expect(decisions.get('c11')).toBe(2);
    expect([one.status, two.status].sort()).toEqual([200, 201]);
    expect(one.body).toEqual(two.body);
    expect(one.body).toEqual({ counterId: 'c11', total: 1, revision: '1', arrival: expect.any(Number) });
    const replay = one.status === 200 ? one : two;
    expect(replay.headers[REPLAYED]).toBe('true');
    expect(await streamOf('counter-c11')).toHaveLength(2);
    expect(await streamOf(keyStreamOf('esb:esb-1', 'esb-0011'))).toHaveLength(1);
  });

  it('keeps answering from the record after a restart on the same file', async () => {
    await post('c9/opening').expect(201);
    const first = await post('c9/increments', 'esb-0009').send({ by: 3 }).expect(201);

    await app.close();
    app = await startApp();

    const again = await post('c9/increments', 'esb-0009').send({ by: 3 }).expect(200, first.body);
    expect(again.headers[REPLAYED]).toBe('true');
    expect(await streamOf('counter-c9')).toHaveLength(2);
  });
});
