import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENAPI_FILE, openApiDocument, openApiText } from '../src/openapi';
import { LedgerHarness } from './support/ledger-harness';

const REPO_ROOT = join(__dirname, '..', '..', '..');

describe('OpenAPI document (e2e)', () => {
  let ledger: LedgerHarness;

  beforeAll(async () => {
    ledger = await LedgerHarness.start('openapi');
  });

  afterAll(async () => {
    await ledger.close();
  });

  it(`matches ${OPENAPI_FILE}: run \`npm run openapi\` after changing a route or a DTO`, () => {
    expect(readFileSync(join(REPO_ROOT, OPENAPI_FILE), 'utf8')).toBe(openApiText(openApiDocument(ledger.app)));
  });

  it('documents every command and query route of shared/API.md with its body and bearer security', async () => {
    const served = await ledger.http().get('/docs-json').expect(200);
    const paths = served.body.paths as Record<string, Record<string, { security?: unknown[]; requestBody?: unknown }>>;
    expect(paths['/v1/inbound-credits'].post.requestBody).toBeDefined();
    expect(paths['/v1/inbound-credits'].post.security).toEqual([{ bearer: [] }]);
    expect(paths['/v1/lots/{lotId}/bonds'].get.security).toEqual([{ bearer: [] }]);
    expect(paths['/health'].get.security).toBeUndefined();
    expect(Object.keys(paths).filter((path) => path.startsWith('/v1/'))).toHaveLength(24);
  });
});
