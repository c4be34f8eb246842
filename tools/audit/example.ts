/**
 * `npm run audit:example`: writes docs/audit-example/ from a ledger seeded through the real deciders
 * (libs/audit/test/support): the audit of the ledger as written (clean), and of a copy with one row
 * edited behind the service's back (what a finding looks like). Same code path as the CLI.
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditLedger, summaryText } from '@app/audit';
import { SqliteEventStore } from '@app/event-store';
import { seedLedger } from '../../libs/audit/test/support/seeded-ledger';

const WORK = 'data/audit-example';
const OUT = 'docs/audit-example';

async function auditTo(path: string, name: string): Promise<void> {
  const store = SqliteEventStore.open({ path, readOnly: true });
  try {
    const report = await auditLedger(store, { store: { kind: 'sqlite', location: path } });
    const reportPath = join(OUT, `${name}.json`);
    writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(OUT, `${name}.txt`), summaryText(report, reportPath));
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  mkdirSync(OUT, { recursive: true });
  const ledger = join(WORK, 'ledger.db');
  await seedLedger(ledger);
  await auditTo(ledger, 'audit-report');

  // A refund's amount edited in the file: the row's hash no longer matches, and the figures disagree.
  const tampered = join(WORK, 'tampered.db');
  copyFileSync(ledger, tampered);
  const db = new Database(tampered);
  const row = db.prepare("SELECT position, data FROM events WHERE type = 'RefundInstructed' ORDER BY position LIMIT 1").get() as { position: number; data: string };
  db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...JSON.parse(row.data), interest: '0.00' }), row.position);
  db.close();
  await auditTo(tampered, 'tampered-report');
  process.stdout.write(`wrote ${OUT}/audit-report.{json,txt} and ${OUT}/tampered-report.{json,txt}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
