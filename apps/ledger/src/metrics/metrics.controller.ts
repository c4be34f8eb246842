import { Controller, Get, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Public } from '../auth/access.decorators';
import { LedgerMetrics } from './ledger-metrics';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { Registry } from 'prom-client';

/**
 * Prometheus scrape endpoint. Unauthenticated on purpose (scrapers carry no ledger credentials), so it
 * must be reachable only inside the cluster; it carries no business data, only counts and timings.
 */
/** Scraped without a token: expose it inside the cluster only (docs/operations.md). */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: LedgerMetrics) {}

  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({ description: 'the Prometheus text format', schema: { type: 'string' } })
  @Get()
  async scrape(@Res() response: ServerResponse): Promise<void> {
    const text = await this.metrics.scrape();
    response.setHeader('Content-Type', this.metrics.contentType);
    response.end(text);
  }
}
