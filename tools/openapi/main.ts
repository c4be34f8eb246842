/**
 * `npm run openapi` — writes docs/openapi.json from the routes as built (a test fails when it is stale).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLedgerConfig } from '../../apps/ledger/src/platform/config/ledger-config';
import { createLedgerApp } from '../../apps/ledger/src/ledger-app';
import { OPENAPI_FILE, openApiDocument, openApiText } from '../../apps/ledger/src/platform/http/openapi';

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
  const app = await createLedgerApp(loadLedgerConfig({ LOG_LEVEL: 'silent', LEDGER_DB_PATH: join(folder, 'ledger.db'), READ_MODEL_DB_PATH: join(folder, 'read-models.db') }));
  try {
    writeFileSync(OPENAPI_FILE, openApiText(openApiDocument(app)));
    process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
  } finally {
    await app.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

void main();
