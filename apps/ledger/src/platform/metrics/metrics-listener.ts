import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsListenerConfig } from '../config/ledger-config';
import { LedgerMetrics } from './ledger-metrics';

export const METRICS_PATH = '/metrics';

/**
 * The Prometheus scrape on a listener of its own (METRICS_HOST:METRICS_PORT, loopback by default), never
 * on the API's port: a scrape needs no token, and counts such as inbound credits by outcome tell, on a
 * quiet day, how many paid into a lot (docs/security.md#metrics). A plain Node server: no API route,
 * access control or request log applies to it, and the API's request metrics never count a scrape.
 */
@Injectable()
export class MetricsListener implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | undefined;

  constructor(private readonly metrics: LedgerMetrics) {}

  /** Starts serving `GET /metrics`; resolves once listening, with the scrape URL (port 0 takes a free port). */
  async listen({ host, port }: MetricsListenerConfig): Promise<string> {
    if (this.server !== undefined) throw new Error(`metrics are already served at ${this.url}`);
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((listening, failed) => {
      server.once('error', failed);
      server.listen(port, host, () => {
        server.off('error', failed);
        listening();
      });
    });
    this.server = server;
    return this.url!;
  }

  /** The scrape URL while listening (with the port actually bound). */
  get url(): string | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (address === null || address === undefined) return undefined;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}${METRICS_PATH}`;
  }

  /**
   * After the drain (onModuleDestroy), so a scrape still sees the shutdown's first seconds; Node's close
   * also drops the idle keep-alive connections a scraper holds.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((closed) => server.close(() => closed()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== METRICS_PATH) return plain(response, 404, 'not found: metrics are at /metrics\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return plain(response, 405, 'method not allowed\n');
    }
    try {
      const text = await this.metrics.scrape();
      response.writeHead(200, { 'Content-Type': this.metrics.contentType });
      response.end(request.method === 'HEAD' ? undefined : text);
    } catch (error) {
      this.logger.error({ msg: 'metrics scrape failed', error: error instanceof Error ? error.message : String(error) });
      plain(response, 500, 'metrics scrape failed\n');
    }
  }
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}
