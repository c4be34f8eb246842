import type { RecordedEvent } from '@app/event-store';
import type { Role } from '../../../src/platform/auth/roles';
import { bearer } from '../access-tokens';
import { LedgerHarness } from '../ledger-harness';

/**
 * Issue #15 "How it is shown": two ledgers on the same clock instant, one where bidders paid into sealed
 * lots ("paid") and one where nobody did ("unpaid"), sent the same requests in the same order. While the
 * lots are sealed, whatever a caller not entitled to the lots' money gets must be the same in both.
 */

/** Who calls: a role and the subject the token names, or nobody (no Authorization header). */
export interface Caller {
  readonly name: string;
  readonly role?: Role;
  readonly subject?: string;
}

/** How a probe's two answers are judged. */
export type Expectation =
  /** Byte-identical in both worlds (status, body, headers but Date). */
  | 'same'
  /** Bank operations or an auditor reading: may differ, and where they do the look must be on record (`SealedDataViewed`). */
  | 'look'
  /** The caller's own data (a bidder's own bond, the ESB's and the operators' own commands on money the bank handled, a center's opened lot): not compared. */
  | 'own';

export interface Probe {
  /** The route as the app serves it, `POST /v1/bonds/:bondId/forfeiture`; the method is its first word. */
  readonly route: string;
  readonly caller: Caller;
  readonly path: string;
  readonly body?: unknown;
  readonly idempotencyKey?: string;
  readonly expect: Expectation;
}

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface Exchange {
  readonly probe: Probe;
  readonly paid: Answer;
  readonly unpaid: Answer;
  /** The answers are alike after `normalised`. */
  readonly same: boolean;
  /** For a `look`: the sealed lots whose `sealed-data-views-{lotId}` stream got a `SealedDataViewed` of this very request in the paid world. */
  readonly recordedLooks: readonly string[];
}

export const methodOf = (route: string): string => route.slice(0, route.indexOf(' '));

/** The request line a `SealedDataViewed` names (`${method} ${originalUrl}`). */
export const requestLineOf = (probe: Probe): string => `${methodOf(probe.route)} ${probe.path}`;

const viewsStream = (lotId: string) => `sealed-data-views-${lotId}`;

export class TwoWorlds {
  /** Route → names of the callers sent a probe of it. */
  readonly sent = new Map<string, Set<string>>();
  private requests = 0;

  private constructor(
    readonly paid: LedgerHarness,
    readonly unpaid: LedgerHarness,
    /** The lots whose looks are looked for. */
    private readonly sealedLots: readonly string[],
  ) {}

  static async start(now: string, sealedLots: readonly string[]): Promise<TwoWorlds> {
    const [paid, unpaid] = await Promise.all([LedgerHarness.start('sealed-paid', { now }), LedgerHarness.start('sealed-unpaid', { now })]);
    return new TwoWorlds(paid, unpaid, sealedLots);
  }

  /** The same thing done in each world, paid first. */
  async both<T>(action: (ledger: LedgerHarness, world: 'paid' | 'unpaid') => Promise<T>): Promise<[T, T]> {
    const paid = await action(this.paid, 'paid');
    const unpaid = await action(this.unpaid, 'unpaid');
    return [paid, unpaid];
  }

  async advanceTo(instant: string): Promise<void> {
    await this.both((ledger) => ledger.clock.advanceTo(instant));
  }

  async close(): Promise<void> {
    await Promise.all([this.paid.close(), this.unpaid.close()]);
  }

  /**
   * Sends the probe to the paid world, then the same request (same X-Request-Id, token, body and
   * Idempotency-Key) to the unpaid one.
   */
  async send(probe: Probe): Promise<Exchange> {
    assertPathFitsRoute(probe);
    const callers = this.sent.get(probe.route) ?? new Set<string>();
    callers.add(probe.caller.name);
    this.sent.set(probe.route, callers);
    this.requests += 1;
    const requestId = `sealed-probe-${this.requests}`;
    const before = probe.expect === 'look' ? await this.lookCounts(this.paid) : undefined;
    const [paid, unpaid] = await this.both(async (ledger) => normalised(probe, await this.request(ledger, probe, requestId)));
    const recordedLooks = before === undefined ? [] : await this.newLooks(this.paid, before, requestLineOf(probe));
    return { probe, paid, unpaid, same: sameAnswers(paid, unpaid), recordedLooks };
  }

  private async request(ledger: LedgerHarness, probe: Probe, requestId: string): Promise<Answer> {
    const method = methodOf(probe.route);
    const http = ledger.http();
    let pending = method === 'GET' ? http.get(probe.path) : method === 'HEAD' ? http.head(probe.path) : http.post(probe.path);
    pending = pending.set('X-Request-Id', requestId);
    if (probe.caller.role !== undefined) pending = pending.set(bearer(probe.caller.role, probe.caller.subject));
    if (probe.idempotencyKey !== undefined) pending = pending.set('Idempotency-Key', probe.idempotencyKey);
    if (probe.body !== undefined) pending = pending.set('Content-Type', 'application/json').send(JSON.stringify(probe.body));
    // The bytes as sent, whatever the media type.
    const response = await pending.buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers as Record<string, string | string[] | undefined>)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.status, headers, body: Buffer.isBuffer(response.body) ? response.body.toString('utf8') : '' };
  }

  private async lookCounts(ledger: LedgerHarness): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const lotId of this.sealedLots) counts.set(lotId, (await ledger.streamEvents(viewsStream(lotId))).length);
    return counts;
  }

  private async newLooks(ledger: LedgerHarness, before: Map<string, number>, requestLine: string): Promise<string[]> {
    const lots: string[] = [];
    for (const lotId of this.sealedLots) {
      const added: RecordedEvent[] = (await ledger.streamEvents(viewsStream(lotId))).slice(before.get(lotId) ?? 0);
      if (added.some((event) => event.type === 'SealedDataViewed' && (event.data as { request?: unknown }).request === requestLine)) lots.push(lotId);
    }
    return lots;
  }
}

/** A route template as a pattern: `:name` one segment, `*` anything. */
function assertPathFitsRoute(probe: Probe): void {
  const template = probe.route.slice(probe.route.indexOf(' ') + 1);
  const pattern = new RegExp(`^${template.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/?]+').replace(/\*/g, '.*')}(\\?.*)?$`);
  if (!pattern.test(probe.path)) throw new Error(`probe ${probe.path} is not of route ${probe.route}`);
}

/**
 * What is normalised, and only that:
 * - the `Date` header (the wall clock's second);
 * - GET /health/live's `eventLoopDelayMs` (a timing), and the ETag and Content-Length computed over it;
 * - in the raw event log's pages (GET/HEAD /v1/streams/{stream}, /v1/events) each event's `id` (a random
 *   UUID), `metadata.recordedAt` (the store's wall clock, not the test clock), `metadata.correlationId` and
 *   `causationId` (random for set-up requests sent without X-Request-Id) and `metadata.chain` (hashes over
 *   all of those), and the page's ETag, a hash over the same. Revisions, positions, types and data are kept.
 * X-Request-Id is not normalised: both worlds get the same one.
 */
export function normalised(probe: Probe, answer: Answer): Answer {
  const { date: _date, ...headers } = answer.headers;
  const path = probe.route.slice(probe.route.indexOf(' ') + 1);
  if (path === '/health/live' && answer.status === 200) {
    const { etag: _etag, 'content-length': _length, ...rest } = headers;
    return { ...answer, headers: rest, body: answer.body.replace(/"eventLoopDelayMs":\d+/, '"eventLoopDelayMs":0') };
  }
  if (path === '/v1/streams/:stream' || path === '/v1/events') {
    const { etag: _etag, ...rest } = headers;
    return { ...answer, headers: rest, body: withoutRandomEventFields(answer.body) };
  }
  return { ...answer, headers };
}

function withoutRandomEventFields(body: string): string {
  let page: unknown;
  try {
    page = JSON.parse(body);
  } catch {
    return body;
  }
  const events = (page as { events?: unknown }).events;
  if (!Array.isArray(events)) return body;
  for (const event of events as Array<Record<string, unknown>>) {
    event.id = '<id>';
    const metadata = event.metadata as Record<string, unknown> | undefined;
    if (metadata === undefined) continue;
    for (const field of ['recordedAt', 'correlationId', 'causationId', 'chain']) if (field in metadata) metadata[field] = `<${field}>`;
  }
  return JSON.stringify(page);
}

function sameAnswers(a: Answer, b: Answer): boolean {
  return a.status === b.status && a.body === b.body && JSON.stringify(sortedHeaders(a.headers)) === JSON.stringify(sortedHeaders(b.headers));
}

const sortedHeaders = (headers: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(headers).sort(([a], [b]) => a.localeCompare(b)));

const WHOLE = 900;

/** The two answers side by side: whole when short, else around the first difference. */
export function describeDifference(exchange: Exchange): string {
  const { probe, paid, unpaid } = exchange;
  const lines = [`${probe.caller.name}: ${requestLineOf(probe)}${probe.body === undefined ? '' : ` ${JSON.stringify(probe.body)}`}`];
  const headerDiffs = Object.keys({ ...paid.headers, ...unpaid.headers })
    .filter((name) => paid.headers[name] !== unpaid.headers[name] && name !== 'etag' && name !== 'content-length')
    .map((name) => `${name}: ${JSON.stringify(paid.headers[name])} vs ${JSON.stringify(unpaid.headers[name])}`);
  if (paid.body === unpaid.body && paid.status === unpaid.status) {
    lines.push(`  same status and body (${paid.status}); headers differ: ${['etag', 'content-length'].filter((name) => paid.headers[name] !== unpaid.headers[name]).concat(headerDiffs).join('; ')}`);
    if (paid.body === '') lines.push(`  paid:   ${JSON.stringify(paid.headers)}`, `  unpaid: ${JSON.stringify(unpaid.headers)}`);
    return lines.join('\n');
  }
  const [left, right] = excerpts(paid.body, unpaid.body);
  lines.push(`  paid:   ${paid.status} ${left}`, `  unpaid: ${unpaid.status} ${right}`);
  if (headerDiffs.length > 0) lines.push(`  headers: ${headerDiffs.join('; ')}`);
  return lines.join('\n');
}

function excerpts(a: string, b: string): [string, string] {
  if (a.length <= WHOLE && b.length <= WHOLE) return [a, b];
  let first = 0;
  while (first < a.length && first < b.length && a[first] === b[first]) first += 1;
  const from = Math.max(0, first - 250);
  const cut = (text: string) => `${from > 0 ? '…' : ''}${text.slice(from, from + 700)}${text.length > from + 700 ? `… (${text.length} chars)` : ''}`;
  return [cut(a), cut(b)];
}
