import type { Kafka } from 'kafkajs';
import type { RecordedEvent, SqliteEventStore } from '@app/event-store';
import { ReadModelStore } from '@app/projections/runner';
import { type ProjectionEvent, postingsOf } from '@app/projections';
import { at } from '../../event-store/test/event-store.contract';
import { KafkaPublisher } from '../src/kafka-publisher';
import { type PublishedLedgerAccount, type PublishedMasterAccount, applyEvent, changesOf, initialModels, masterAccountMessageKey } from '../src/published-state';
import { BANK_A, M1, TWO_LOTS, appendLog, buildSealedLotHistory, buildTwoSealedLotsHistory } from './support/histories';
import { type Decoded, allEvents, decode, deleteTopics, expectedMessages, openStore, readTopics, tempFolder, testKafka, topicNames, uniquePrefix } from './support/kafka';

/**
 * The seal on the real broker (tools/kafka, started by jest's globalSetup): money moved into or out of
 * a sealed lot shows on no topic — no message is sourced by it and no bank-level figure counts it —
 * until the lot's bids are opened, and the opening publishes the figures with it (docs/topics.md
 * "Confidentiality").
 */
const TEST_TIMEOUT_MS = 90_000;

let files: ReturnType<typeof tempFolder>;
let store: SqliteEventStore;
let readModels: ReadModelStore;
let kafka: Kafka;
let prefix: string;
let publisher: KafkaPublisher | undefined;

beforeEach(() => {
  files = tempFolder('ledger-sealed-money-');
  store = openStore(files.path('events.db'));
  readModels = ReadModelStore.open({ path: files.path('read-models.db') });
  kafka = testKafka(`sealed-money-int-${process.pid}`);
  prefix = uniquePrefix('sealed');
});

afterEach(async () => {
  await publisher?.stop().catch(() => undefined);
  publisher = undefined;
  await deleteTopics(kafka, topicNames(prefix));
  await store.close();
  readModels.close();
  files.remove();
});

const topics = () => topicNames(prefix);
/** Every message of every topic (the ESB's included), decoded. */
const readEveryTopic = async () => decode(await readTopics(kafka, Object.values(topics())));

async function publishAll(): Promise<void> {
  publisher ??= new KafkaPublisher({ store, readModels, kafka, topicPrefix: prefix, maxBatchEvents: 7, maxBatchMs: 20 });
  if (publisher.state === 'new') await publisher.start();
  await publisher.caughtUp();
}

const MASTER_KEY = masterAccountMessageKey(BANK_A, M1);
const CLEARING = `clearing:${BANK_A}`;
const lotOf = (event: { data: unknown }) => {
  const data = event.data as { lotId?: string; route?: { lotId?: string } };
  return data.lotId ?? data.route?.lotId;
};
/** A bank-level figure on the balances topic: a master account's total or a ledger account that is not a lot's sub-account. */
const isBankLevel = (m: Decoded) => m.topic === topics().balances && !m.key.startsWith('virtual:');
const figureOf = (m: Decoded) =>
  m.envelope.entity === 'master-account' ? (m.envelope.state as PublishedMasterAccount).subAccountsBalance : (m.envelope.state as PublishedLedgerAccount).balance;

/** Each bank-level key's figures in the order published, from the pure fold of these events. */
function foldedFigures(log: readonly ProjectionEvent[]): Map<string, string[]> {
  const figures = new Map<string, string[]>();
  let models = initialModels();
  for (const event of log) {
    const next = applyEvent(models, event);
    for (const change of changesOf(event, models, next)) {
      if (change.entity !== 'master-account' && (change.entity !== 'ledger-account' || change.key.startsWith('virtual:'))) continue;
      const state = change.state as { subAccountsBalance?: string; balance?: string };
      figures.set(change.key, [...(figures.get(change.key) ?? []), (state.subAccountsBalance ?? state.balance)!]);
    }
    models = next;
  }
  return figures;
}

function publishedFigures(messages: readonly Decoded[]): Map<string, string[]> {
  const figures = new Map<string, string[]>();
  for (const m of [...messages].filter(isBankLevel).sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0))) {
    figures.set(m.key, [...(figures.get(m.key) ?? []), figureOf(m)]);
  }
  return figures;
}

describe('KafkaPublisher and sealed lots', () => {
  it(
    "after credits into sealed lots a scan of every topic finds no message moved by them, and after each lot's opening the balances include them",
    async () => {
      // Given A1 and A2 sealed on one master account: five credits, a withdrawal refunded (failed once, paid again).
      const two = buildTwoSealedLotsHistory();
      await appendLog(store, two.log.slice(0, two.beforeA1Opening));
      await publishAll();
      const events = await allEvents(store);
      const moving = events.filter((e) => postingsOf(e).length > 0);
      expect(moving.map((e) => `${e.type} ${lotOf(e)}`)).toEqual([
        'BondCredited A1',
        'BondCredited A1',
        'BondCredited A2',
        'BondCredited A2',
        'RefundInstructed A2',
        'RefundFailed A2',
        'RefundInstructed A2',
      ]);
      // Everything that happened to the credits: the lot's event and the inbound credit's own.
      const ofCredits = new Set(events.filter((e) => lotOf(e) !== undefined && /^(InboundCreditReceived|CreditClassified|BondCredited)$/.test(e.type)).map((e) => e.id));
      expect(ofCredits.size).toBe(12);

      const sealedTime = await readEveryTopic();
      // No message on any topic is sourced by a credit; only the ESB's topic by the refund (it must pay it).
      expect(sealedTime.filter((m) => ofCredits.has(m.envelope.sourceEventId))).toEqual([]);
      const byMoneyOfSealedLots = sealedTime.filter((m) => moving.some((e) => e.id === m.envelope.sourceEventId));
      expect(byMoneyOfSealedLots.map((m) => [m.topic, m.envelope.sourceEventType])).toEqual([
        [topics().refundInstructions, 'RefundInstructed'],
        [topics().refundInstructions, 'RefundFailed'],
        [topics().refundInstructions, 'RefundInstructed'],
      ]);
      // No figure counts them: the only bank-level message is the master account as opened, at 0.00; the
      // clearing account, which only this money moved, has no key at all.
      expect(sealedTime.filter(isBankLevel).map((m) => [m.key, m.envelope.sourceEventType, figureOf(m)])).toEqual([[MASTER_KEY, 'MasterAccountOpened', '0.00']]);

      // When A1 is opened, its money is published with the opening; A2's credit after that shows nowhere.
      await appendLog(store, two.log.slice(two.beforeA1Opening, two.beforeA2Opening));
      await publishAll();
      const a1 = (await readEveryTopic()).filter((m) => m.position > at(events, -1).position);
      const a1Total = '123333.33';
      expect(TWO_LOTS.a1.credits.map(Number).reduce((x, y) => x + y, 0).toFixed(2)).toBe(a1Total);
      expect(a1.filter(isBankLevel).map((m) => [m.key, m.envelope.sourceEventType, figureOf(m)]).sort()).toEqual([
        [CLEARING, 'BidsOpened', a1Total],
        [MASTER_KEY, 'BidsOpened', `-${a1Total}`],
      ]);
      const lateCredit = (await allEvents(store)).filter((e) => e.type === 'BondCredited' && lotOf(e) === 'A2' && e.position > at(events, -1).position);
      expect(lateCredit).toHaveLength(1);
      expect(a1.filter((m) => m.envelope.sourceEventId === at(lateCredit, 0).id)).toEqual([]);

      // When A2 is opened, the figures are the bank's books, every sealed payment in.
      await appendLog(store, two.log.slice(two.beforeA2Opening));
      await publishAll();
      const final = await readEveryTopic();
      const a2Opening = final.filter((m) => isBankLevel(m) && m.position === final.reduce((max, n) => (n.position > max ? n.position : max), 0n));
      expect(a2Opening.map((m) => [m.key, m.envelope.sourceEventType, figureOf(m)]).sort()).toEqual([
        [CLEARING, 'BidsOpened', '251107.91'],
        [`interest-expense:${BANK_A}`, 'BidsOpened', '3.19'],
        [MASTER_KEY, 'BidsOpened', '-251111.10'],
      ]);
      const { messages: expected } = await expectedMessages(store, topics());
      expect(final.map((m) => `${m.topic} ${m.value}`).sort()).toEqual(expected.map((m) => `${m.topic} ${m.value}`).sort());
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'publishes, before a lot is opened, the bank-level figures of a ledger where that lot never took money, key by key and message by message',
    async () => {
      // Given S1 sealed while P1 is paid, awarded and refunded in public, and money stays in suspense.
      const sealed = buildSealedLotHistory();
      await appendLog(store, sealed.log.slice(0, sealed.beforeOpening));
      await publishAll();
      const events: RecordedEvent[] = await allEvents(store);
      const s1Money = events.filter((e) => lotOf(e) === 'S1' && postingsOf(e).length > 0);
      expect(s1Money.map((e) => e.type).sort()).toEqual([...Array<string>(7).fill('BondCredited'), 'CreditReversed', 'RefundInstructed'].sort());

      const received = await readEveryTopic();
      const reporting = received.filter((m) => m.topic !== topics().refundInstructions);
      expect(reporting.filter((m) => s1Money.some((e) => e.id === m.envelope.sourceEventId))).toEqual([]);
      // The balances the topic carried, per key in order, are those of the log without S1's money.
      const withoutS1 = sealed.log.slice(0, sealed.beforeOpening).filter((e) => !(lotOf(e) === 'S1' && postingsOf(e).length > 0));
      const published = publishedFigures(received);
      expect(published).toEqual(foldedFigures(withoutS1));
      expect(at(published.get(MASTER_KEY)!, -1)).toBe('0.00');

      // Then the opening: the master account's total is S1's money held (x, y, z's two tranches, v matched from suspense).
      await appendLog(store, sealed.log.slice(sealed.beforeOpening));
      await publishAll();
      const s1Opening = (await allEvents(store)).find((e) => e.type === 'BidsOpened' && lotOf(e) === 'S1')!;
      const opened = (await readEveryTopic()).filter((m) => isBankLevel(m) && m.envelope.sourceEventId === s1Opening.id);
      expect(opened.map((m) => m.key).sort()).toEqual([CLEARING, `interest-expense:${BANK_A}`, MASTER_KEY, `suspense:${BANK_A}`].sort());
      expect(figureOf(opened.find((m) => m.key === MASTER_KEY)!)).toBe('-320002.63');
      expect(figureOf(opened.find((m) => m.key === `suspense:${BANK_A}`)!)).toBe('-3333.33');
    },
    TEST_TIMEOUT_MS,
  );
});
