import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/access.decorators';
import { LedgerMetrics } from './ledger-metrics';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { Registry } from 'prom-client';

/**
 * Prometheus scrape endpoint. Unauthenticated on purpose (scrapers carry no ledger credentials), so it
 * must be reachable only inside the cluster (docs/operations.md); it carries no business data, only
 * counts and timings.
 */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: LedgerMetrics) {}

  /** Written to the Node response as it always was: a scrape is never conditional, so it carries no ETag. */
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({ description: 'the Prometheus text format', schema: { type: 'string' } })
  @Get()
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const text = await this.metrics.scrape();
    reply.hijack();
    reply.raw.setHeader('Content-Type', this.metrics.contentType);
    reply.raw.end(text);
  }
}
