import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { tokenFor } from '../../../ledger/test/support/access-tokens';
import { BANK, type InboundCredit, type LotTerms, type Payer, UNISSUED_VIRTUAL_ACCOUNT, cstDate, cstInstant, inboundCredit, lotTerms, payer, plusDays, withWrongCheckDigit } from '../../../ledger/test/support/ledger-fixtures';
import { type HarnessOptions, LedgerHarness } from '../../../ledger/test/support/ledger-harness';
import type { TestClock } from '../../../ledger/test/support/test-clock';

// The ledger's test vocabulary, re-exported so the console's specs reach the service's support only here.
export { BANK, UNISSUED_VIRTUAL_ACCOUNT, cstDate, cstInstant, inboundCredit, lotTerms, payer, plusDays, tokenFor, withWrongCheckDigit };
export type { InboundCredit, LotTerms, Payer };

export type Role = 'center' | 'bidder' | 'operator' | 'auditor' | 'esb';

const REPO_ROOT = resolve(__dirname, '../../../..');
/** Where `npm run build:console` (vite build) writes the console, and the service serves it from. */
export const CONSOLE_DIST = resolve(REPO_ROOT, 'dist/console');

/** Fails at once, with what to run, when the console has not been built. */
export function assertConsoleBuilt(): void {
  const index = resolve(CONSOLE_DIST, 'index.html');
  if (!existsSync(index)) throw new Error(`${index} is missing: run npm run build:console (npm test builds it before jest)`);
}

export interface ApiAnswer {
  status: number;
  contentType: string;
  headers: Headers;
  /** The parsed JSON body when the answer is JSON, else undefined. */
  body: any;
  bytes: Buffer;
}

/**
 * The real service, as `npm start` builds it (the ledger's own test harness: SQLite in a temp folder, a
 * `TestClock` the test moves), listening on a free port of 127.0.0.1 and serving the built console at
 * /console; and the API calls a test's set-up makes as the callers who would make them in real life.
 */
export class ConsoleService {
  private constructor(
    readonly ledger: LedgerHarness,
    /** `http://127.0.0.1:<port>`. */
    readonly baseUrl: string,
  ) {}

  static async start(name: string, options: HarnessOptions = {}): Promise<ConsoleService> {
    assertConsoleBuilt();
    const ledger = await LedgerHarness.start(`console-${name}`, options);
    try {
      await ledger.app.listen(0, '127.0.0.1');
      const address = ledger.app.getHttpServer().address();
      if (address === null || typeof address === 'string') throw new Error(`unexpected listening address ${String(address)}`);
      return new ConsoleService(ledger, `http://127.0.0.1:${address.port}`);
    } catch (error) {
      await ledger.close();
      throw error;
    }
  }

  get clock(): TestClock {
    return this.ledger.clock;
  }

  /** The console's address; `route` after the `#` when the console routes by hash, else after /console/. */
  consoleUrl(route = ''): string {
    return `${this.baseUrl}/console/${route}`;
  }

  /**
   * Opens the console as `role` the way production does: the embedding system hands over a token in
   * the fragment (`/console/#token=<jwt>`); the console keeps it in sessionStorage and drops it from the URL.
   */
  async openAs(page: Page, role: Role, subject?: string): Promise<void> {
    await page.goto(`${this.consoleUrl()}#token=${encodeURIComponent(tokenFor(role, subject))}`);
  }

  /** A call to the API over HTTP as `role` (`subject`: a center id, a bidder id). */
  async api(method: 'GET' | 'POST', path: string, role: Role, subject?: string, body?: object): Promise<ApiAnswer> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${tokenFor(role, subject)}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const contentType = response.headers.get('content-type') ?? '';
    const json = /json/.test(contentType) && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : undefined;
    return { status: response.status, contentType, headers: response.headers, body: json, bytes };
  }

  /** As `api`, failing with the answer when its status is not `status`. */
  async expectApi(status: number, method: 'GET' | 'POST', path: string, role: Role, subject?: string, body?: object): Promise<any> {
    const answer = await this.api(method, path, role, subject, body);
    if (answer.status !== status) {
      throw new Error(`${method} ${path} as ${role}${subject === undefined ? '' : ` ${subject}`}: ${answer.status}, expected ${status}: ${answer.bytes.toString('utf8').slice(0, 500)}`);
    }
    return answer.body;
  }

  // ---- set-up through the API, each call by whoever makes it in real life ----

  /** Bank operations register the center and open its master account at the ledger's bank. */
  async setUpCenter(centerId: string, masterAccountNo: string, name = `${centerId} 公共资源交易中心`): Promise<void> {
    await this.expectApi(201, 'POST', '/v1/tender-centers', 'operator', undefined, { centerId, name });
    await this.expectApi(201, 'POST', `/v1/tender-centers/${centerId}/master-accounts`, 'operator', undefined, { bankCode: BANK, accountNo: masterAccountNo, accountName: '投标保证金专户' });
  }

  /** Bank operations record a bidder's basic account (基本账户). */
  async declareBasicAccount(bidderId: string, account: Payer): Promise<void> {
    await this.expectApi(201, 'POST', `/v1/bidders/${bidderId}/basic-account`, 'operator', undefined, { accountNo: account.accountNo, accountName: account.name, bankCode: account.bankCode });
  }

  /** The center registers a lot through the API (the console's own form is what the scenarios test). */
  async registerLot(terms: LotTerms): Promise<void> {
    await this.expectApi(201, 'POST', '/v1/lots', 'center', terms.centerId, terms);
  }

  /** The center opens a lot-level (or, with `bidderId`, a per-bidder) virtual account: its number. */
  async issueVirtualAccount(centerId: string, lotId: string, masterAccountNo: string, bidderId?: string): Promise<string> {
    const body = await this.expectApi(201, 'POST', `/v1/lots/${lotId}/virtual-accounts`, 'center', centerId, bidderId === undefined ? { masterAccountNo } : { masterAccountNo, bidderId });
    return body.virtualAccountNo as string;
  }

  /** The ESB posts an inbound credit, as the bank's gateway does: the ledger's answer (outcome, bondId, ...). */
  async postCredit(credit: InboundCredit): Promise<any> {
    return this.expectApi(201, 'POST', '/v1/inbound-credits', 'esb', undefined, credit);
  }

  /** Moves the service's clock to `instant`; the lot clock's tick (bids opening, refunds falling overdue) has run when this resolves. */
  async advanceTo(instant: Date | number | string): Promise<void> {
    await this.ledger.clock.advanceTo(instant);
  }

  async close(): Promise<void> {
    await this.ledger.close();
  }
}
