import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { balancesOf } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import Big from 'big.js';
import { bearer } from './support/access-tokens';
import { EsbClient, acknowledged } from './support/esb-client';
import { type PlannedCredit, planCredits } from './support/esb-load';
import { type AuditedEvent, checkExactlyOnce } from './support/exactly-once';
import { BANK, creditIdOf, cstDate, lotTerms, plusDays } from './support/ledger-fixtures';
import { expectEveryPostingSetBalanced, postingSetsOf, sumOfBalances } from './support/ledger-harness';
import { type LedgerProcess, callJson, freePort, spawnLedger, waitForHealthy, within } from './support/ledger-process';

/**
 * SIGKILL under ESB load. The service runs as a child process on a SQLite file; an ESB client in this
 * process posts a few thousand inbound credits over several connections, retrying on connection errors
 * and 5xx with the same bankRef and body. The service is killed with SIGKILL three times in the middle
 * of the load and restarted on the same file and port each time; the client finishes its retries. Then
 * the log must hold every acknowledged credit exactly once, every unacknowledged one once or not at
 * all — whole, in one commit: never a receipt without its outcome or a lot's decision without its
 * receipt —, the ledger must be in double entry, and the query routes (read models resumed from whatever
 * checkpoint the kills left) must show the balances the events imply.
 */
const CREDITS = 3_000;
const CONNECTIONS = 12;
/** Acknowledgements after which the service is killed (then restarted). */
const KILL_AT = [600, 1_500, 2_400];
const START_TIMEOUT_MS = 20_000;
const EXPECTED_TYPES = new Set([
  'RateScheduleDefined',
  'TenderCenterRegistered',
  'MasterAccountOpened',
  'LotRegistered',
  'VirtualAccountIssued',
  'DepositsClosed',
  'BidsOpened',
  'InboundCreditReceived',
  'CreditClassified',
  'CreditSuspended',
  'CreditReturned',
  'BondCredited',
  'CreditRefused',
]);

describe('SIGKILL under ESB load (e2e)', () => {
  const CENTER = 'CL-C';
  const MASTER = '44201500000000000888';
  // Many lots, so no lot's stream grows long: every command on a lot replays its whole stream.
  const LOTS = Array.from({ length: 20 }, (_, i) => `CL-L${i + 1}`);
  const TODAY = cstDate(Date.now());

  let folder: string;
  let port: number;
  let ledger: LedgerProcess;
  const env = () => ({
    PORT: String(port),
    LEDGER_DB_PATH: join(folder, 'ledger.db'),
    READ_MODEL_DB_PATH: join(folder, 'read-models.db'),
    LOG_LEVEL: 'error',
  });
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;

  async function start(): Promise<void> {
    ledger = spawnLedger(env());
    await waitForHealthy(ledger, url('/health'), START_TIMEOUT_MS);
  }

  const call = (method: 'GET' | 'POST', path: string, role: Parameters<typeof bearer>[0], body?: object) => callJson(url(path), method, bearer(role), body);

  async function setUp(path: string, body: object): Promise<any> {
    const answer = await call('POST', path, 'operator', body);
    if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** The whole log, as an auditor reads it (GET /v1/events, a page at a time). */
  async function auditedEvents(): Promise<AuditedEvent[]> {
    const events: AuditedEvent[] = [];
    for (let from: string | undefined = '0'; from !== undefined; ) {
      const page = await call('GET', `/v1/events?fromPosition=${from}&maxCount=1000`, 'auditor');
      expect(page.status).toBe(200);
      events.push(...page.body.events);
      from = page.body.nextPosition;
    }
    return events;
  }

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-crash-load-'));
    port = await freePort();
    await start();
  });

  afterAll(async () => {
    if (ledger?.child.exitCode === null) {
      ledger.child.kill('SIGTERM');
      await within(ledger.exit, 15_000, 'shutdown').catch(() => ledger.child.kill('SIGKILL'));
    }
    await rm(folder, { recursive: true, force: true });
  });

  it(
    'posts every acknowledged credit exactly once across three SIGKILLs, keeps double entry, and the read models converge',
    async () => {
      // Lots whose deadline passed two days ago: credits received the day before are classified, yesterday's
      // returned (yesterday's, not today's: at 10:00 today may still be ahead, and a credit from the future is suspended).
      await setUp('/v1/tender-centers', { centerId: CENTER, name: 'Crash-load tender center' });
      await setUp(`/v1/tender-centers/${CENTER}/master-accounts`, { bankCode: BANK, accountNo: MASTER, accountName: 'Crash-load custody account' });
      const virtualAccounts: string[] = [];
      for (const lotId of LOTS) {
        const deadlineDay = plusDays(TODAY, -2);
        await setUp('/v1/lots', lotTerms({ lotId, centerId: CENTER, basicAccountPolicy: 'OFF', depositDeadline: `${deadlineDay}T09:00:00+08:00`, bidOpeningTime: `${deadlineDay}T09:30:00+08:00` }));
        virtualAccounts.push((await setUp(`/v1/lots/${lotId}/virtual-accounts`, { masterAccountNo: MASTER })).virtualAccountNo);
      }
      virtualAccounts.push((await setUp(`/v1/lots/${LOTS[0]}/virtual-accounts`, { masterAccountNo: MASTER, bidderId: 'CL-PB1' })).virtualAccountNo);

      const credits = planCredits({ virtualAccounts, lateOn: plusDays(TODAY, -1), count: CREDITS, tag: randomUUID().slice(0, 6).toUpperCase() });
      const kills: Promise<void>[] = [];
      // A restart that fails ends the test at once instead of leaving the ESB retrying for ever.
      let restartFailed: (error: unknown) => void = () => undefined;
      const restartFailure = new Promise<never>((_, reject) => (restartFailed = reject));
      const esb = new EsbClient({
        port,
        authorization: bearer('esb').Authorization,
        connections: CONNECTIONS,
        onAcknowledged: (count) => {
          if (!KILL_AT.includes(count)) return;
          const dying = ledger;
          dying.child.kill('SIGKILL');
          const restarted = dying.exit.then(async ({ signal }) => {
            expect(signal).toBe('SIGKILL');
            await start();
          });
          restarted.catch(restartFailed);
          kills.push(restarted);
        },
      });
      try {
        await Promise.race([esb.deliverAll(credits), restartFailure]);
        await Promise.all(kills);
      } finally {
        esb.close();
      }

      // The kills landed mid-load: requests were cut off or refused, and the retries went on after them.
      expect(kills).toHaveLength(KILL_AT.length);
      expect(credits.filter((credit) => credit.failures.length > 0).length).toBeGreaterThan(0);
      const patient = credits.filter((credit) => !credit.impatient);
      expect(patient.filter((credit) => !acknowledged(credit))).toEqual([]);
      const unacknowledged = credits.filter((credit) => !acknowledged(credit));

      const afterLoad = checkExactlyOnce(credits, await auditedEvents());
      expect(afterLoad.problems).toEqual([]);
      expect(afterLoad.absent + afterLoad.recorded).toBe(unacknowledged.length);

      // The impatient ESB comes back for what it never got an answer to: each is answered, none posted twice.
      const reconcile = new EsbClient({ port, authorization: bearer('esb').Authorization, connections: CONNECTIONS });
      const sample = credits.filter((credit, i) => acknowledged(credit) && i % 10 === 0);
      for (const credit of unacknowledged) credit.impatient = false;
      try {
        await reconcile.deliverAll([...unacknowledged, ...sample]);
      } finally {
        reconcile.close();
      }
      const events = await auditedEvents();
      const final = checkExactlyOnce(credits, events);
      expect(final.problems).toEqual([]);
      expect(credits.filter((credit) => !acknowledged(credit))).toEqual([]);
      expect(final.absent).toBe(0);
      // Nothing else was written: set-up, the lot clock, and the credits' own events.
      expect([...new Set(events.map((event) => event.type))].filter((type) => !EXPECTED_TYPES.has(type))).toEqual([]);
      for (const credit of sample) expect(credit.answers.at(-1)).toEqual({ status: 200, body: credit.answers[0]?.body });

      // Double entry over the whole log.
      const recorded = events.map((event) => ({ ...event, revision: BigInt(event.revision), position: BigInt(event.position) })) as unknown as RecordedEvent[];
      expect(expectEveryPostingSetBalanced(recorded)).toBeGreaterThan(CREDITS * 0.8);
      const balances = balancesOf(postingSetsOf(recorded));
      expect(sumOfBalances(balances)).toBe('0.00');

      // What the ESB was told implies every balance.
      const classifiedTo = (account: string) => sum(credits.filter((c) => c.expected.outcome === 'CLASSIFIED' && c.expected.virtualAccountNo === account));
      const suspended = sum(credits.filter((c) => c.expected.outcome === 'SUSPENDED'));
      for (const account of virtualAccounts) expect({ account, balance: balances.get(`virtual:${account}`) }).toEqual({ account, balance: classifiedTo(account).times(-1).toFixed(2) });
      expect(balances.get(`suspense:${BANK}`)).toBe(suspended.times(-1).toFixed(2));

      // The read models, resumed after three SIGKILLs, converge to the same figures.
      for (const account of virtualAccounts) {
        const answer = await call('GET', `/v1/virtual-accounts/${account}/balance`, 'auditor');
        expect({ account, status: answer.status, balance: answer.body.balance }).toEqual({ account, status: 200, balance: classifiedTo(account).toFixed(2) });
      }
      const master = await call('GET', `/v1/master-accounts/${MASTER}/balance`, 'auditor');
      expect(master.body.balance).toBe(sum(credits.filter((c) => c.expected.outcome === 'CLASSIFIED')).toFixed(2));
      const suspense = await call('GET', '/v1/suspense?status=SUSPENDED', 'auditor');
      expect(suspense.body.balances[BANK]).toBe(suspended.toFixed(2));
      expect(suspense.body.items.map((item: { creditId: string }) => item.creditId).sort()).toEqual(
        credits.filter((c) => c.expected.outcome === 'SUSPENDED').map((c) => creditIdOf(c.bankRef)).sort(),
      );
      for (const lotId of LOTS) {
        const bonds = await call('GET', `/v1/lots/${lotId}/bonds`, 'auditor');
        const inLot = events.filter((event) => event.type === 'BondCredited' && event.streamName === `lot-${lotId}`);
        const principals = (bonds.body.bonds as { principal: string; tranches: { creditId: string }[] }[]).reduce((total, bond) => total.plus(bond.principal), new Big(0));
        expect({ lotId, principal: principals.toFixed(2) }).toEqual({ lotId, principal: inLot.reduce((total, event) => total.plus(String(event.data.amount)), new Big(0)).toFixed(2) });
        const tranches = (bonds.body.bonds as { tranches: { creditId: string }[] }[]).flatMap((bond) => bond.tranches.map((tranche) => tranche.creditId));
        expect(tranches.sort()).toEqual(inLot.map((event) => String(event.data.creditId)).sort());
      }

      // The lot clock, restarted three times, recorded each lot's deadline and opening once.
      for (const lotId of LOTS) {
        const types = events.filter((event) => event.streamName === `lot-${lotId}`).map((event) => event.type);
        expect({ lotId, closed: types.filter((t) => t === 'DepositsClosed').length, opened: types.filter((t) => t === 'BidsOpened').length }).toEqual({ lotId, closed: 1, opened: 1 });
      }
    },
    120_000,
  );
});

function sum(credits: readonly PlannedCredit[]): Big {
  return credits.reduce((total, credit) => total.plus(credit.amount), new Big(0));
}
