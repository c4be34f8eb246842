import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { auditLedger, type Finding } from '@app/audit';
import {
  type InboundCreditRequest,
  type RefundInstructed,
  Decimal,
  addAmounts,
  creditIdFor,
  creditRefOf,
  formatAmount,
  inboundCreditStream,
  isRejection,
  lotDecider,
  lotEvents,
  lotStream,
  rateScheduleDecider,
  rateScheduleEvents,
  rateScheduleStream,
  replay, lotBonds } from '@app/domain';
import {
  type EventStore,
  type JsonObject,
  NO_STREAM,
  type ProposedEvent,
  type RecordedEvent,
  STORE_IDENTIFIED_EVENT_TYPE,
  STORE_IDENTITY_STREAM,
  SqliteEventStore,
} from '@app/event-store';
import { at } from '../../event-store/test/event-store.contract';
import { tempFolder } from './support/audit-cli';
import { LedgerSeeder } from './support/ledger-seeder';
import { BANK_A, BANKS, seedLedger, type SeededLedger } from './support/seeded-ledger';

/**
 * Events written past the deciders (straight into the store, or into the file), and commands of the
 * service stopped half-way on a store that commits streams one by one, and what the audit names. Run
 * through the library on a store, as the CLI does.
 */

const files = tempFolder('ledger-audit-findings-');
const seededPath = files.path('seeded.db');
let seeded: SeededLedger;
let store: SqliteEventStore;
let seeder: LedgerSeeder | undefined;

beforeAll(async () => {
  seeded = await seedLedger(seededPath);
}, 60_000);
afterAll(() => files.remove());
afterEach(async () => {
  // A seeder's store is `store`: closed with it.
  await (seeder ?? store)?.close();
  seeder = undefined;
});

const openCopy = () => (store = SqliteEventStore.open({ path: files.copy(seededPath) }));
/** The service's commands on a copy of the seeded file, a day after its last event; `store` reads the same file. */
function seederOnCopy(ids: string): LedgerSeeder {
  seeder = LedgerSeeder.open(files.copy(seededPath), BANKS, { ids });
  store = seeder.store;
  return seeder.at(new Date(Date.parse(seeded.endedAt) + 86_400_000).toISOString());
}
const typesOf = async (stream: string) => (await collect(store.readStream(stream))).map((event) => event.type);
const audit = (eventStore: EventStore) => auditLedger(eventStore, { store: { kind: 'sqlite', location: 'test' } });

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const list: RecordedEvent[] = [];
  for await (const event of iterable) list.push(event);
  return list;
}

function proposed(type: string, data: object): ProposedEvent {
  const id = randomUUID();
  return { id, type, data: data as JsonObject, metadata: { correlationId: id, causationId: id, actor: 'test:intruder', schemaVersion: 1 } };
}

/** Appends after the stream's last event and returns what the store recorded. */
async function appendAfter(stream: string, events: [ProposedEvent, ...ProposedEvent[]]): Promise<[RecordedEvent, ...RecordedEvent[]]> {
  const last = at(await collect(store.readStream(stream, { direction: 'backwards', maxCount: 1 })), 0);
  await store.appendToStream(stream, events, { expectedRevision: last.revision });
  const [first, ...rest] = (await collect(store.readStream(stream))).slice(-events.length);
  if (first === undefined) throw new Error(`nothing appended to ${stream}`);
  return [first, ...rest];
}

const refOf = (event: RecordedEvent) => ({ stream: event.streamName, revision: String(event.revision), position: String(event.position), id: event.id, type: event.type });
const named = (findings: readonly Finding[]) => findings.map((finding) => ({ check: finding.check, code: finding.code, event: finding.event && { ...finding.event, recordedAt: undefined } }));

async function anchorsWhere(test: (types: string[]) => boolean): Promise<string[]> {
  const types = new Map<string, string[]>();
  for await (const event of store.readAll()) {
    if (event.streamName.startsWith('inbound-credit-')) types.set(event.streamName, [...(types.get(event.streamName) ?? []), event.type]);
  }
  return [...types].filter(([, list]) => test(list)).map(([stream]) => stream);
}

describe('audit findings', () => {
  it("finds nothing in EventStoreDB's store identity (EventStoreIdentified, a stream of no aggregate)", async () => {
    openCopy();
    const before = await audit(store);
    expect(before.result).toBe('CLEAN');
    // As the EventStoreDB adapter records it (`identity()`); on SQLite the identity is in the file instead.
    const identified = proposed(STORE_IDENTIFIED_EVENT_TYPE, { identity: randomUUID() });
    identified.metadata.actor = 'system:event-store';
    await store.appendToStream(STORE_IDENTITY_STREAM, [identified], { expectedRevision: NO_STREAM });
    const report = await audit(store);
    expect(report.findings).toEqual([]);
    expect(report.result).toBe('CLEAN');
    expect(report.replayed.events).toBe(before.replayed.events + 1);
  });

  it('names an unbalanced posting set appended past the deciders (and the custody it breaks)', async () => {
    openCopy();
    const open = at(await anchorsWhere((types) => types[types.length - 1] === 'CreditSuspended'), 0);
    const opened = await collect(store.readStream(open));
    const [received, suspended] = [at(opened, 0), at(opened, 1)];
    const { creditId, amount, payer } = received.data as { creditId: string; amount: string; payer: JsonObject };
    const { bankCode } = suspended.data as { bankCode: string };
    const short = formatAmount(Decimal(amount).minus('0.01'));
    const [forged] = await appendAfter(open, [
      proposed('SuspenseReturned', {
        creditId, bankCode, returnTo: payer, amount,
        postings: [
          { account: `suspense:${bankCode}`, side: 'DEBIT', amount },
          { account: `clearing:${bankCode}`, side: 'CREDIT', amount: short },
        ],
      }),
    ]);

    const report = await audit(store);
    expect(report.result).toBe('FINDINGS');
    expect(named(report.findings)).toContainEqual({ check: 'postings', code: 'UNBALANCED_POSTINGS', event: { ...refOf(forged), recordedAt: undefined } });
    expect(report.findings.every((finding) => finding.event?.id === forged.id)).toBe(true);
  });

  it('recomputes a refund whose interest was raised by a fen, and names it alone', async () => {
    openCopy();
    const lotId = seeded.lotWithRefundsDue;
    const history = await collect(store.readStream(lotStream(lotId)));
    const state = replay(lotDecider, history.map((event) => lotEvents.decode(event)));
    const schedule = replay(rateScheduleDecider, (await collect(store.readStream(rateScheduleStream(state.terms!.rateScheduleId)))).map((e) => rateScheduleEvents.decode(e)));
    if (!schedule.exists) throw new Error('no schedule');
    const decided = lotDecider.decide({ type: 'RefundBonds', refundOn: '2026-12-21', schedule: schedule.schedule, now: '2026-12-21T18:00:00+08:00' }, state);
    if (isRejection(decided)) throw new Error(decided.message);
    expect(decided.length).toBeGreaterThan(1);

    const honest = at(decided, 0) as RefundInstructed;
    const fen = (amount: string) => formatAmount(addAmounts(Decimal(amount), Decimal('0.01')));
    const raised: RefundInstructed['data'] = {
      ...honest.data,
      interest: fen(honest.data.interest),
      total: fen(honest.data.total),
      postings: honest.data.postings.map((posting) =>
        posting.account.startsWith('interest-expense:') || posting.account.startsWith('clearing:') ? { ...posting, amount: fen(posting.amount) } : posting,
      ),
    };
    expect(raised.postings.some((posting) => posting.account.startsWith('interest-expense:'))).toBe(true);
    const [forged] = await appendAfter(lotStream(lotId), [proposed(honest.type, raised), ...decided.slice(1).map((event) => proposed(event.type, event.data))]);

    const report = await audit(store);
    expect(named(report.findings)).toEqual([{ check: 'refund-interest', code: 'INTEREST_MISMATCH', event: { ...refOf(forged), recordedAt: undefined } }]);
    expect(at(report.findings, 0).details).toMatchObject({ recorded: raised.interest, recomputed: honest.data.interest, refundId: honest.data.refundId });
  });

  it('names a forfeiture the lot gave no ground for (Art. 35, 74), its postings balanced', async () => {
    openCopy();
    const lotId = seeded.lotWithRefundsDue;
    const state = replay(lotDecider, (await collect(store.readStream(lotStream(lotId)))).map((event) => lotEvents.decode(event)));
    if (!state.terms) throw new Error('no lot');
    const bond = lotBonds(state).find((candidate) => candidate.status === 'REFUND_DUE' && !candidate.forfeitable);
    if (!bond) throw new Error('no bond due for refund');
    const { lotId: forfeitedLot, centerId } = state.terms;
    const [forged] = await appendAfter(lotStream(lotId), [
      proposed('BondForfeited', {
        lotId: forfeitedLot, bondId: bond.bondId, centerId, reason: 'kept anyway', ground: 'WITHDRAWN_AFTER_DEADLINE', amount: bond.principal,
        postings: [
          ...bond.tranches.map((tranche) => ({ account: `virtual:${tranche.virtualAccountNo}`, side: 'DEBIT', amount: tranche.amount })),
          { account: `center-settlement:${centerId}`, side: 'CREDIT', amount: bond.principal },
        ],
      }),
    ]);

    const report = await audit(store);
    expect(named(report.findings)).toContainEqual({ check: 'forfeitures', code: 'FORFEITURE_WITHOUT_GROUND', event: { ...refOf(forged), recordedAt: undefined } });
    expect(report.findings.filter((finding) => finding.check === 'postings')).toEqual([]);
  });

  it('names a credit recorded with a second outcome', async () => {
    openCopy();
    const classified = at(await anchorsWhere((types) => types.join() === 'InboundCreditReceived,CreditClassified'), 0);
    const received = at(await collect(store.readStream(classified)), 0);
    const { creditId, amount, payer } = received.data as { creditId: string; amount: string; payer: JsonObject };
    const [forged] = await appendAfter(classified, [proposed('CreditReturned', { creditId, reason: 'LOT_CLOSED', returnTo: payer, amount })]);

    const report = await audit(store);
    expect(named(report.findings)).toEqual([{ check: 'inbound-credits', code: 'OUTCOME_COUNT', event: { ...refOf(forged), recordedAt: undefined } }]);
  });

  it('names a credit claimed for its lot and stopped before its outcome, which the ESB\'s retry finishes', async () => {
    const s = seederOnCopy('intake-stopped');
    const request: InboundCreditRequest = {
      bankRef: 'HVPS2026LATE01',
      channel: 'HVPS',
      receivedAt: '2026-12-24T10:00:00+08:00',
      valueDate: '2026-12-24',
      amount: '10000.00',
      currency: 'CNY',
      payer: { accountNo: '6222020000099', name: 'Late Payer Co', bankCode: '105100000017' },
      payeeAccountNo: seeded.lotAccounts[seeded.lotWithRefundsDue],
    };
    // On a store that commits streams one by one: the claim, the lot's decision (after its deadline), then the stop.
    await s.stoppedAfter(2, (commands, call) => commands.recordInboundCredit(request, call));
    const anchor = inboundCreditStream(BANK_A.bankCode, request.bankRef);
    const claim = at(await collect(store.readStream(anchor)), 0);
    expect(await typesOf(anchor)).toEqual(['InboundCreditReceived']);
    expect((await typesOf(lotStream(seeded.lotWithRefundsDue))).slice(-1)).toEqual(['CreditRefused']);

    const report = await audit(store);
    expect(named(report.findings)).toEqual([{ check: 'inbound-credits', code: 'INTAKE_UNFINISHED', event: { ...refOf(claim), recordedAt: undefined } }]);
    expect(at(report.findings, 0).details).toMatchObject({ creditId: creditIdFor(BANK_A.bankCode, request.bankRef), lotId: seeded.lotWithRefundsDue });

    // The ESB posts the bank reference again: the lot's decision stands, the credit gets its outcome.
    expect(await s.receive(request)).toMatchObject({ outcome: 'RETURNED', reason: 'AFTER_DEADLINE', lotId: seeded.lotWithRefundsDue });
    expect(await typesOf(anchor)).toEqual(['InboundCreditReceived', 'CreditReturned']);
    expect((await typesOf(lotStream(seeded.lotWithRefundsDue))).filter((type) => type === 'CreditRefused')).toHaveLength(1);
    expect((await audit(store)).result).toBe('CLEAN');
  });

  it('names a suspense match its lot took but the credit never recorded, which the next command on the credit finishes', async () => {
    const s = seederOnCopy('match-stopped');
    const lotId = seeded.lotWithRefundsDue;
    // The request on the credit, the lot's BondCredited from suspense, then the stop before SuspenseMatched.
    await s.stoppedAfter(2, (commands, call) => commands.resolveSuspense(seeded.inSuspense, { action: 'MATCH', virtualAccountNo: seeded.lotAccounts[lotId] }, call), 'operator:ops-1');
    const ref = creditRefOf(seeded.inSuspense)!;
    const anchor = inboundCreditStream(ref.bankCode, ref.bankRef);
    const events = await collect(store.readStream(anchor));
    expect(events.map((event) => event.type)).toEqual(['InboundCreditReceived', 'CreditSuspended', 'SuspenseMatchRequested']);
    expect((await typesOf(lotStream(lotId))).slice(-1)).toEqual(['BondCredited']);

    const report = await audit(store);
    expect(named(report.findings)).toEqual([{ check: 'inbound-credits', code: 'MATCH_UNFINISHED', event: { ...refOf(at(events, 2)), recordedAt: undefined } }]);
    expect(at(report.findings, 0).details).toMatchObject({ creditId: seeded.inSuspense, lotId, status: 'SUSPENDED' });

    // An operator's RETURN finds the match unfinished: it records the lot's answer first, then is refused.
    await expect(s.returnFromSuspense(seeded.inSuspense)).rejects.toMatchObject({ rejection: { code: 'NOT_IN_SUSPENSE' } });
    expect((await typesOf(anchor)).slice(-2)).toEqual(['SuspenseMatchRequested', 'SuspenseMatched']);
    expect((await s.credit(seeded.inSuspense)).status).toBe('MATCHED');
    expect((await audit(store)).result).toBe('CLEAN');
  });

  it("names a lot's credit whose whole inbound-credit stream was deleted, which no hash chain can show", async () => {
    const path = files.copy(seededPath);
    store = SqliteEventStore.open({ path });
    const classified = at(await anchorsWhere((types) => types.join() === 'InboundCreditReceived,CreditClassified'), 0);
    const creditId = (at(await collect(store.readStream(classified)), 0).data as { creditId: string }).creditId;
    const bondCredited = (await collect(store.readAll())).find((event) => event.type === 'BondCredited' && (event.data as { creditId: string }).creditId === creditId)!;
    await store.close();
    const raw = new Database(path);
    raw.prepare('DELETE FROM events WHERE stream = ?').run(classified);
    raw.close();
    store = SqliteEventStore.open({ path, readOnly: true });

    const report = await audit(store);
    expect(report.checks['hash-chain']?.findings).toBe(0);
    expect(named(report.findings)).toEqual([{ check: 'inbound-credits', code: 'NO_INBOUND_RECORD', event: { ...refOf(bondCredited), recordedAt: undefined } }]);
  });
});
