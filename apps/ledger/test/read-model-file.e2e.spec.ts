import { copyFile, mkdtemp, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { bearer } from './support/access-tokens';
import { BANK } from './support/ledger-fixtures';
import { type LedgerProcess, callJson, freePort, spawnLedger, waitForHealthy, within } from './support/ledger-process';

/**
 * The read-model file (READ_MODEL_DB_PATH) knows the event store it was built from, as the real entry
 * point runs it: a file built from another store is rebuilt with a warning, and a file ahead of its own
 * store (the store restored from an older copy) stops the start with a message that says what to do.
 */
const START_TIMEOUT_MS = 20_000;
const EXIT_TIMEOUT_MS = 10_000;
const WARNING = 'read models belonged to another event store; rebuilding them';

describe('the read-model file and the event store it was built from (e2e)', () => {
  let folder: string;
  let port: number;
  let running: LedgerProcess | undefined;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-read-model-file-'));
    port = await freePort();
  });

  afterEach(async () => {
    // Only reached with a live child when an assertion failed midway.
    if (running?.child.exitCode === null) running.child.kill('SIGKILL');
    running = undefined;
    await rm(folder, { recursive: true, force: true });
  });

  const url = (path: string) => `http://127.0.0.1:${port}${path}`;

  async function start(ledgerDbPath: string, readModelDbPath: string): Promise<LedgerProcess> {
    const ledger = (running = spawnLedger({ PORT: String(port), LEDGER_DB_PATH: ledgerDbPath, READ_MODEL_DB_PATH: readModelDbPath, LOG_LEVEL: 'info' }));
    await waitForHealthy(ledger, url('/health'), START_TIMEOUT_MS);
    return ledger;
  }

  async function stop(ledger: LedgerProcess): Promise<void> {
    ledger.child.kill('SIGTERM');
    expect(await within(ledger.exit, EXIT_TIMEOUT_MS, 'shutdown')).toEqual({ code: 0, signal: null });
  }

  const call = (method: 'GET' | 'POST', path: string, body?: object) => callJson(url(path), method, bearer('operator'), body);

  /** A tender center with its master account, through the API. */
  async function setUpCenter(centerId: string, accountNo: string): Promise<void> {
    expect((await call('POST', '/v1/tender-centers', { centerId, name: `Center ${centerId}` })).status).toBe(201);
    const opened = await call('POST', `/v1/tender-centers/${centerId}/master-accounts`, { bankCode: BANK, accountNo, accountName: `${centerId} custody` });
    expect(opened.status).toBe(201);
  }

  /** The master account as the read models serve it: its center, or the status of the answer. */
  async function servedCenterOf(accountNo: string): Promise<string | number> {
    const answer = await call('GET', `/v1/master-accounts/${accountNo}/balance`);
    return answer.status === 200 ? answer.body.centerId : answer.status;
  }

  function logRecords(ledger: LedgerProcess): Array<Record<string, unknown>> {
    return ledger
      .stdout()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async function identityOf(ledgerDbPath: string): Promise<string> {
    const store = SqliteEventStore.open({ path: ledgerDbPath, readOnly: true });
    try {
      return await store.identity();
    } finally {
      await store.close();
    }
  }

  it(
    'rebuilds, with a warning, read models another store built in the same READ_MODEL_DB_PATH, and serves its own data',
    async () => {
      const readModelDbPath = join(folder, 'shared', 'read-models.db');
      const first = join(folder, 'first', 'ledger.db');
      const second = join(folder, 'second', 'ledger.db');

      const one = await start(first, readModelDbPath);
      await setUpCenter('RM-ONE', '44201500000000000101');
      expect(await servedCenterOf('44201500000000000101')).toBe('RM-ONE');
      await stop(one);
      expect(logRecords(one)).not.toContainEqual(expect.objectContaining({ msg: WARNING }));

      const two = await start(second, readModelDbPath);
      expect(await servedCenterOf('44201500000000000101')).toBe(404);
      await setUpCenter('RM-TWO', '44201500000000000202');
      expect(await servedCenterOf('44201500000000000202')).toBe('RM-TWO');
      await stop(two);

      const warnings = logRecords(two).filter((record) => record.msg === WARNING);
      expect(warnings).toEqual([
        expect.objectContaining({
          level: 'warn',
          readModelDbPath,
          previousStoreIdentity: await identityOf(first),
          storeIdentity: await identityOf(second),
        }),
      ]);
      expect(await identityOf(first)).not.toBe(await identityOf(second));
    },
    2 * (START_TIMEOUT_MS + EXIT_TIMEOUT_MS) + 10_000,
  );

  it(
    'refuses to start on a store restored from an older copy while the read-model file is ahead of it, saying what to do',
    async () => {
      const ledgerDbPath = join(folder, 'ledger.db');
      const readModelDbPath = join(folder, 'read-models.db');
      const backup = join(folder, 'backup-ledger.db');

      const before = await start(ledgerDbPath, readModelDbPath);
      await setUpCenter('RM-KEPT', '44201500000000000303');
      await stop(before);
      await copyFile(ledgerDbPath, backup);

      const after = await start(ledgerDbPath, readModelDbPath);
      await setUpCenter('RM-LOST', '44201500000000000404');
      expect(await servedCenterOf('44201500000000000404')).toBe('RM-LOST');
      await stop(after);

      // The store goes back to the copy; the read-model file stays ahead of it.
      for (const companion of ['-wal', '-shm']) await rm(ledgerDbPath + companion, { force: true });
      await copyFile(backup, ledgerDbPath);
      const refused = (running = spawnLedger({ PORT: String(port), LEDGER_DB_PATH: ledgerDbPath, READ_MODEL_DB_PATH: readModelDbPath, LOG_LEVEL: 'info' }));
      const exit = await within(refused.exit, START_TIMEOUT_MS, 'refused start');
      expect(exit.code).toBe(1);
      expect(refused.stderr()).toContain('ReadModelsAheadOfStoreError');
      expect(refused.stderr()).toContain(
        'the read models were built from this event store when it held more events, so the store went back (restored from an older backup?); ' +
          'stop the ledger, move the read-model file (READ_MODEL_DB_PATH) away and start again',
      );
      expect(logRecords(refused)).not.toContainEqual(expect.objectContaining({ msg: WARNING }));

      // Doing what it says: the read models are rebuilt from the restored store.
      await rename(readModelDbPath, join(folder, 'read-models.db.ahead'));
      expect(existsSync(readModelDbPath)).toBe(false);
      const restored = await start(ledgerDbPath, readModelDbPath);
      expect(await servedCenterOf('44201500000000000303')).toBe('RM-KEPT');
      expect(await servedCenterOf('44201500000000000404')).toBe(404);
      await stop(restored);
    },
    4 * (START_TIMEOUT_MS + EXIT_TIMEOUT_MS) + 10_000,
  );
});
