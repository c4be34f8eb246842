import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { Decimal, type Posting, addAmounts, balancesOf, formatAmount } from '@app/domain';
import { chainLink } from '@app/event-store';
import { at } from '../../event-store/test/event-store.contract';
import { readReport, runAuditCli, tempFolder } from './support/audit-cli';
import { BANK_A, BANK_B, M1, seedLedger } from './support/seeded-ledger';

/**
 * `npm run audit -- replay` as a child process over a seeded SQLite file (the real deciders through
 * the real store). Expected figures are computed here from the file's rows with plain SQL and the
 * domain's balancesOf, not by the audit's own code.
 */

interface Row {
  position: number;
  stream: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

interface MasterFigures {
  virtualAccounts: number;
  balance: string;
}

/** M1's figures at a bank; the test fails when the rows have none. */
function m1At(byRows: Record<string, MasterFigures>, bankCode: string): MasterFigures {
  const figures = byRows[`${bankCode} ${M1}`];
  if (figures === undefined) throw new Error(`no master account ${M1} at bank ${bankCode} in the rows`);
  return figures;
}

/**
 * Per master account, by bank and number (`{bankCode} {accountNo}`): its virtual accounts (the
 * VirtualAccountIssued rows naming it) and the sum of their balances over the rows' postings.
 */
function masterAccountsOfRows(list: readonly Row[]): Record<string, MasterFigures> {
  const balances = balancesOfRows(list);
  const masters: Record<string, MasterFigures> = {};
  for (const row of list.filter((r) => r.type === 'VirtualAccountIssued')) {
    const { virtualAccountNo, masterAccountNo, bankCode } = JSON.parse(row.data) as { virtualAccountNo: string; masterAccountNo: string; bankCode: string };
    const master = masters[`${bankCode} ${masterAccountNo}`] ?? { virtualAccounts: 0, balance: '0.00' };
    masters[`${bankCode} ${masterAccountNo}`] = {
      virtualAccounts: master.virtualAccounts + 1,
      balance: formatAmount(addAmounts(Decimal(master.balance), Decimal(balances[`virtual:${virtualAccountNo}`] ?? '0.00'))),
    };
  }
  return masters;
}

const files = tempFolder('ledger-audit-cli-');
const seeded = files.path('seeded.db');

function rows(path: string): Row[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT * FROM events ORDER BY position').all() as Row[];
  } finally {
    db.close();
  }
}

function balancesOfRows(list: readonly Row[]): Record<string, string> {
  const sets = list.map((row) => (JSON.parse(row.data) as { postings?: Posting[] }).postings).filter((p): p is Posting[] => p !== undefined);
  return Object.fromEntries([...balancesOf(sets)].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const refOf = (row: Row) => ({ stream: row.stream, revision: String(row.revision), position: String(row.position), id: row.event_id, type: row.type });

async function audit(path: string, ...args: string[]) {
  const report = files.path(`report-${Math.random().toString(36).slice(2)}.json`);
  const run = await runAuditCli(['replay', '--report', report, ...args], { LEDGER_DB_PATH: path });
  return { ...run, report: () => readReport(report) };
}

beforeAll(() => seedLedger(seeded), 60_000);
afterAll(() => files.remove());

describe('audit replay (CLI)', () => {
  it('finds a seeded ledger clean, with the counts and balances of its rows, and leaves the copied file as it was', async () => {
    const copy = files.copy(seeded);
    const before = readFileSync(copy);
    const run = await audit(copy);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = run.report();
    const all = rows(copy);
    expect(report.result).toBe('CLEAN');
    expect(report.findings).toEqual([]);
    expect(report.replayed.events).toBe(all.length);
    expect(report.replayed.streams).toBe(new Set(all.map((row) => row.stream)).size);
    expect(report.replayed.lastEvent).toMatchObject(refOf(at(all, -1)));
    expect(report.checks['hash-chain']?.checked).toBe(all.length);
    expect(report.checks.postings?.checked).toBe(all.filter((row) => 'postings' in JSON.parse(row.data)).length);
    expect(report.checks['refund-interest']?.checked).toBe(all.filter((row) => row.type === 'RefundInstructed').length);
    expect(report.checks['inbound-credits']?.checked).toBe(all.filter((row) => row.type === 'InboundCreditReceived').length);
    expect(report.balances.accounts).toEqual(balancesOfRows(all));
    expect(report.balances.allAccounts).toBe('0.00');
    // The seeded ledger moves money through every kind of account, so the identities were really exercised.
    expect(Object.keys(report.balances.totalsByKind).sort()).toEqual(['center-settlement', 'clearing', 'interest-expense', 'suspense', 'virtual']);
    expect(report.balances.banks.map((bank) => [bank.bankCode, bank.masterAccounts.length])).toEqual([[BANK_A.bankCode, 2], [BANK_B.bankCode, 2]]);
    // M1 is opened at both banks: two master accounts, each listed with its bank, center and own figures.
    const byRows = masterAccountsOfRows(all);
    expect(report.balances.masterAccounts.map((m) => `${m.bankCode} ${m.accountNo}`).sort()).toEqual(Object.keys(byRows).sort());
    expect(report.balances.masterAccounts.filter((m) => m.accountNo === M1).map((m) => [m.bankCode, m.centerId, m.virtualAccounts, m.projected])).toEqual([
      [BANK_A.bankCode, 'C-GZ', m1At(byRows, BANK_A.bankCode).virtualAccounts, m1At(byRows, BANK_A.bankCode).balance],
      [BANK_B.bankCode, 'C-SZ', m1At(byRows, BANK_B.bankCode).virtualAccounts, m1At(byRows, BANK_B.bankCode).balance],
    ]);
    expect(run.stdout).toContain(`master account ${M1} (bank ${BANK_A.bankCode}, center C-GZ`);
    expect(run.stdout).toContain(`master account ${M1} (bank ${BANK_B.bankCode}, center C-SZ`);
    expect(run.stdout).toContain('Findings: none. CLEAN');
    expect(readFileSync(copy).equals(before)).toBe(true);
  });

  it('names the first broken link when a row was edited behind the service', async () => {
    const copy = files.copy(seeded);
    const credits = rows(copy).filter((row) => row.type === 'BondCredited');
    const target = at(credits, Math.floor(credits.length / 2));
    const edited = { ...JSON.parse(target.data), amount: '1.00' };
    const db = new Database(copy);
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(edited), target.position);
    db.close();

    const run = await audit(copy);
    expect(run.code).toBe(1);
    const chain = run.report().findings.filter((finding) => finding.check === 'hash-chain');
    expect(chain).toEqual([expect.objectContaining({ code: 'HASH_MISMATCH', event: expect.objectContaining(refOf(target)) })]);
    expect(run.stdout).toContain(`[hash-chain] HASH_MISMATCH`);
    expect(run.stdout).toContain(`at ${target.stream}@${target.revision} (position ${target.position})`);
  });

  it('names the next event when the edited row was re-hashed, and the event after a deleted row', async () => {
    const copy = files.copy(seeded);
    const lot = rows(copy).filter((row) => row.stream === 'lot-L1');
    const [edited, next] = [at(lot, 3), at(lot, 4)];
    const metadata = JSON.parse(edited.metadata);
    const data = { ...JSON.parse(edited.data), valueDate: '2026-11-01' };
    const rehashed = chainLink(metadata.chain.prev, { streamName: edited.stream, revision: BigInt(edited.revision), id: edited.event_id, type: edited.type, data, metadata });
    const gone = at(rows(copy).filter((row) => row.stream === 'lot-L2'), 2);
    const db = new Database(copy);
    db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(JSON.stringify(data), JSON.stringify({ ...metadata, chain: rehashed }), edited.position);
    db.prepare('DELETE FROM events WHERE position = ?').run(gone.position);
    db.close();

    const run = await audit(copy);
    expect(run.code).toBe(1);
    const chain = run.report().findings.filter((finding) => finding.check === 'hash-chain');
    const afterGone = rows(copy).find((row) => row.stream === 'lot-L2' && row.revision === gone.revision + 1)!;
    expect(chain.map((finding) => [finding.code, finding.event])).toEqual(
      [
        ['PREV_MISMATCH', expect.objectContaining(refOf(next))],
        ['REVISION_GAP', expect.objectContaining(refOf(afterGone))],
      ].sort((a, b) => Number((a[1] as { position: string }).position) - Number((b[1] as { position: string }).position)),
    );
  });

  it('stops at --as-of-position: the prefix of the log, balanced as its own rows are', async () => {
    const copy = files.copy(seeded);
    const all = rows(copy);
    const firstRefund = all.findIndex((row) => row.type === 'RefundInstructed');
    const cut = at(all, firstRefund - 1).position;
    const run = await audit(copy, '--as-of-position', String(cut));
    expect(run.code).toBe(0);
    const report = run.report();
    const prefix = all.filter((row) => row.position <= cut);
    expect(report.replayed.events).toBe(prefix.length);
    expect(report.replayed.lastEvent).toMatchObject(refOf(at(all, firstRefund - 1)));
    expect(report.asOf).toEqual({ position: String(cut), stoppedBefore: expect.objectContaining(refOf(at(all, firstRefund))) });
    expect(report.balances.accounts).toEqual(balancesOfRows(prefix));
    expect(report.checks['refund-interest']?.checked).toBe(0);
    expect(report.balances.accounts).not.toEqual((await audit(copy)).report().balances.accounts);
  });

  it('stops at --as-of, a business day in China Standard Time, by recordedAt', async () => {
    const copy = files.copy(seeded);
    const cut = Date.parse('2026-12-06T00:00:00+08:00');
    const all = rows(copy);
    const recorded = (row: Row) => Date.parse(JSON.parse(row.metadata).recordedAt);
    const expected = all.slice(0, all.findIndex((row) => recorded(row) >= cut));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    const run = await audit(copy, '--as-of', '2026-12-05');
    expect(run.code).toBe(0);
    const report = run.report();
    expect(report.replayed.events).toBe(expected.length);
    expect(report.asOf?.recordedBefore).toBe('2026-12-05');
    expect(Date.parse(report.asOf!.stoppedBefore!.recordedAt!)).toBeGreaterThanOrEqual(cut);
    expect(report.balances.accounts).toEqual(balancesOfRows(expected));
    // Money held at that point under both accounts of M1, apart: each account's sum is its own sub-accounts'.
    const byRows = masterAccountsOfRows(expected);
    const m1 = report.balances.masterAccounts.filter((m) => m.accountNo === M1);
    expect(m1.map((m) => [m.bankCode, m.projected, m.fromPostings, m.fromFacts])).toEqual(
      [BANK_A.bankCode, BANK_B.bankCode].map((bank) => [bank, ...Array(3).fill(m1At(byRows, bank).balance)]),
    );
    expect(m1.every((m) => m.projected !== '0.00')).toBe(true);
    expect(at(m1, 0).projected).not.toBe(at(m1, 1).projected);
  });

  it.each([
    [['replay', '--as-of', '2026-12-05T10:00:00'], /instant with its offset/],
    [['replay', '--as-of-position', '12x'], /non-negative integer/],
    [['replay', '--kafka-brokers', 'localhost:9092', '--as-of-position', '3'], /cannot be combined/],
    [['rebuild'], /unknown command/],
    [['replay', '--nope'], /Unknown option/],
  ])('answers %j with exit code 2 and the usage', async (args, message) => {
    const run = await runAuditCli(args, { LEDGER_DB_PATH: seeded });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('Usage: npm run audit -- replay');
  });

  it('exits 2 without a report when the store cannot be opened', async () => {
    const report = files.path('never.json');
    const run = await runAuditCli(['replay', '--report', report], { LEDGER_DB_PATH: files.path('missing.db') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('could not audit sqlite');
    expect(() => readFileSync(report)).toThrow();
  });

  it('prints its usage on --help', async () => {
    const run = await runAuditCli(['--help'], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--as-of-position');
  });
});
