import { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Posting, balancesOf } from '@app/domain';
import type { EventStore, JsonValue, RecordedEvent } from '@app/event-store';
import Big from 'big.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { LedgerCommands } from '../../src/write/ledger-commands';
import { loadLedgerConfig } from '../../src/platform/config/ledger-config';
import { EVENT_STORE } from '../../src/platform/event-store/event-store.token';
import type { Role } from '../../src/platform/auth/roles';
import { LEDGER_APP_OPTIONS, initLedgerApp } from '../../src/ledger-app';
import { LedgerModule } from '../../src/ledger.module';
import { CLOCK, TIMERS } from '../../src/platform/clock.module';
import { ledgerHttpAdapter } from '../../src/platform/http/ledger-http-adapter';
import { bearer, callerForPost } from './access-tokens';
import { BANK, type InboundCredit, type LotTerms, type Payer } from './ledger-fixtures';
import { TestClock } from './test-clock';

export interface HarnessOptions {
  /** Configuration variables over the defaults (e.g. VIRTUAL_ACCOUNT_PREFIXES for several banks); kept across restarts. */
  env?: Record<string, string>;
  /** Where the test clock starts; by default the wall time at start. */
  now?: Date | number | string;
}

/**
 * One ledger app on a SQLite file in a temp folder, as `npm start` would build it (real lot clock,
 * real config defaults, bank 102100099996 with virtual-account prefix 955880) but on a `TestClock`
 * (kept across restarts), and the ways the e2e tests look at it: HTTP through supertest, the raw store
 * for events and postings, and the set-up through the API. Time moves only when the test moves `clock`;
 * bodies take their instants from it.
 */
export class LedgerHarness {
  /** Lot id → center id, of the lots registered through `post`: the center that may run their life cycle. */
  private readonly lotCenters = new Map<string, string>();

  private constructor(
    readonly folder: string,
    readonly dbPath: string,
    readonly clock: TestClock,
    private current: INestApplication,
    private readonly env: Record<string, string>,
  ) {}

  static async start(name: string, { env = {}, now = Date.now() }: HarnessOptions = {}): Promise<LedgerHarness> {
    const folder = await mkdtemp(join(tmpdir(), `ledger-${name}-`));
    const dbPath = join(folder, 'ledger.db');
    const clock = new TestClock(now);
    return new LedgerHarness(folder, dbPath, clock, await bootApp(folder, env, clock), env);
  }

  get app(): INestApplication {
    return this.current;
  }

  get store(): EventStore {
    return this.current.get<EventStore>(EVENT_STORE);
  }

  /** The ledger's commands, without HTTP (the race tests drive them directly). */
  get commands(): LedgerCommands {
    return this.current.get(LedgerCommands);
  }

  http() {
    return request(this.current.getHttpServer());
  }

  /**
   * POST with a JSON body (an object, or a raw string sent as is with Content-Type: application/json),
   * with the bearer token of whoever would post it in real life (see `callerForPost`) unless `headers`
   * carry an Authorization of their own.
   */
  post(path: string, body?: object | string, headers: Record<string, string> = {}) {
    let pending = this.http().post(path);
    this.rememberLotCenter(path, body);
    const caller = callerForPost(path, (lotId) => this.lotCenters.get(lotId));
    const withToken = { ...bearer(caller.role, caller.subject), ...headers };
    for (const [name, value] of Object.entries(withToken)) pending = pending.set(name, value);
    if (body === undefined) return pending;
    return pending.set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
  }

  /** GET as `role` (with `subject`: a center id, a bidder id). */
  get(path: string, role: Role, subject?: string) {
    return this.http().get(path).set(bearer(role, subject));
  }

  private rememberLotCenter(path: string, body: object | string | undefined): void {
    if (path !== '/v1/lots' || typeof body !== 'object') return;
    const { lotId, centerId } = body as { lotId?: unknown; centerId?: unknown };
    if (typeof lotId === 'string' && typeof centerId === 'string' && !this.lotCenters.has(lotId)) this.lotCenters.set(lotId, centerId);
  }

  /** Closes the app (HTTP server, lot clock, store) without deleting the file. */
  async stop(): Promise<void> {
    await this.current.close();
  }

  /** A new app on the same file, as after a process restart. */
  async restart(): Promise<void> {
    this.current = await bootApp(this.folder, this.env, this.clock);
  }

  async close(): Promise<void> {
    await this.current.close().catch(() => undefined);
    await rm(this.folder, { recursive: true, force: true });
  }

  // ---- set-up through the API, asserting success ----

  async registerCenter(centerId: string, name = `Tender center ${centerId}`): Promise<void> {
    await this.post('/v1/tender-centers', { centerId, name }).expect(201);
  }

  async openMasterAccount(centerId: string, accountNo: string): Promise<void> {
    await this.post(`/v1/tender-centers/${centerId}/master-accounts`, { bankCode: BANK, accountNo, accountName: `${centerId} bid-bond custody account` }).expect(201);
  }

  /** A tender center and its master account at the ledger's bank: where a test's lots are kept. */
  async registerCenterWithMasterAccount(centerId: string, masterAccountNo: string): Promise<void> {
    await this.registerCenter(centerId);
    await this.openMasterAccount(centerId, masterAccountNo);
  }

  async registerLot(terms: LotTerms): Promise<void> {
    await this.post('/v1/lots', terms).expect(201);
  }

  /** The number of a new virtual account of the lot under `masterAccountNo` (bound to `bidderId` if given). */
  async issueVirtualAccount(lotId: string, masterAccountNo: string, bidderId?: string): Promise<string> {
    const body = bidderId === undefined ? { masterAccountNo } : { masterAccountNo, bidderId };
    const response = await this.post(`/v1/lots/${lotId}/virtual-accounts`, body).expect(201);
    return response.body.virtualAccountNo as string;
  }

  /** A lot and its lot-level virtual account under `masterAccountNo`: the account's number. */
  async registerLotWithVirtualAccount(terms: LotTerms, masterAccountNo: string): Promise<string> {
    await this.registerLot(terms);
    return this.issueVirtualAccount(terms.lotId, masterAccountNo);
  }

  async declareBasicAccount(bidderId: string, account: Payer): Promise<void> {
    await this.post(`/v1/bidders/${bidderId}/basic-account`, { accountNo: account.accountNo, accountName: account.name, bankCode: account.bankCode }).expect(201);
  }

  /** Each bidder's basic account, in order. */
  async declareBasicAccounts(accounts: Record<string, Payer>): Promise<void> {
    for (const [bidderId, account] of Object.entries(accounts)) await this.declareBasicAccount(bidderId, account);
  }

  postCredit(credit: InboundCredit, status = 201) {
    return this.post('/v1/inbound-credits', credit).expect(status);
  }

  // ---- reading events back ----

  async allEvents(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readAll()) events.push(event);
    return events;
  }

  async eventCount(): Promise<number> {
    let count = 0;
    for await (const _event of this.store.readAll()) count += 1;
    return count;
  }

  async streamEvents(stream: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readStream(stream)) events.push(event);
    return events;
  }

  /** The last event of a stream that has some. */
  async lastEvent(stream: string): Promise<RecordedEvent> {
    const events = await this.streamEvents(stream);
    const last = events[events.length - 1];
    if (last === undefined) throw new Error(`no events in ${stream}`);
    return last;
  }

  async streamTypes(stream: string): Promise<string[]> {
    return (await this.streamEvents(stream)).map((event) => event.type);
  }

  /** Every ledger account's balance (debits minus credits) over every posting set of every event. */
  async balances(): Promise<Map<string, string>> {
    return balances(this.store);
  }
}

/** Folds `balancesOf` over every postings array in the data of every event of `readAll()`. */
export async function balances(store: EventStore): Promise<Map<string, string>> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return balancesOf(postingSetsOf(events));
}

/** The app on `folder`'s ledger.db and read-models.db, built as `createLedgerApp` builds it, on `clock`. */
async function bootApp(folder: string, env: Record<string, string>, clock: TestClock): Promise<INestApplication> {
  const config = loadLedgerConfig({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...env, LEDGER_DB_PATH: join(folder, 'ledger.db'), READ_MODEL_DB_PATH: join(folder, 'read-models.db') });
  const moduleRef = await Test.createTestingModule({ imports: [LedgerModule.forConfig(config)] })
    .overrideProvider(CLOCK)
    .useValue(clock.now)
    .overrideProvider(TIMERS)
    .useValue(clock)
    .compile();
  return initLedgerApp(moduleRef.createNestApplication<NestFastifyApplication>(ledgerHttpAdapter(), LEDGER_APP_OPTIONS));
}

/** Every `postings` array found anywhere in the data of the events. */
export function postingSetsOf(events: readonly RecordedEvent[]): Posting[][] {
  const sets: Posting[][] = [];
  const visit = (value: JsonValue): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key !== 'postings' || !Array.isArray(item)) visit(item);
        else sets.push(item as unknown as Posting[]);
      }
    }
  };
  for (const event of events) visit(event.data);
  return sets;
}

/**
 * Checks double entry on every event that carries postings, independently of the domain's own check:
 * at least one posting, each a strictly positive two-decimal amount on DEBIT or CREDIT, debits = credits.
 * Returns the number of posting sets checked.
 */
export function expectEveryPostingSetBalanced(events: readonly RecordedEvent[]): number {
  let checked = 0;
  for (const event of events) {
    const postings = (event.data as { postings?: unknown }).postings;
    if (postings === undefined) continue;
    const where = `${event.type} at ${event.streamName}@${event.revision}`;
    if (!Array.isArray(postings)) throw new Error(`${where}: postings is not an array`);
    let debits = new Big(0);
    let credits = new Big(0);
    for (const posting of postings as Posting[]) {
      if (!/^\d+\.\d{2}$/.test(posting.amount) || new Big(posting.amount).lte(0)) {
        throw new Error(`${where}: bad amount ${JSON.stringify(posting.amount)}`);
      }
      if (posting.side === 'DEBIT') debits = debits.plus(posting.amount);
      else if (posting.side === 'CREDIT') credits = credits.plus(posting.amount);
      else throw new Error(`${where}: bad side ${JSON.stringify(posting.side)}`);
    }
    if (postings.length === 0) throw new Error(`${where}: empty postings`);
    if (!debits.eq(credits)) throw new Error(`${where}: debits ${debits.toFixed(2)} != credits ${credits.toFixed(2)}`);
    checked += 1;
  }
  return checked;
}

/** Sum of every balance: zero when the whole ledger is in double entry. */
export function sumOfBalances(balances: Map<string, string>): string {
  return [...balances.values()].reduce((sum, balance) => sum.plus(balance), new Big(0)).toFixed(2);
}
