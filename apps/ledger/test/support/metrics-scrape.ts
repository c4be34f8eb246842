import type { INestApplication } from '@nestjs/common';
import { MetricsListener } from '../../src/platform/metrics/metrics-listener';

/**
 * Scrapes an app's metrics listener as Prometheus would: over HTTP, on the listener main.ts starts beside
 * the API (not on the API's port). The tests build apps without main.ts, so the first scrape starts the
 * listener on 127.0.0.1 at a free port (many ledgers run side by side); `app.close()` stops it.
 */
export async function scrapeMetrics(app: INestApplication): Promise<Response> {
  const listener = app.get(MetricsListener);
  const url = listener.url ?? (await listener.listen({ host: '127.0.0.1', port: 0 }));
  return fetch(url);
}

/** The Prometheus text of a scrape that answered 200. */
export async function metricsText(app: INestApplication): Promise<string> {
  const response = await scrapeMetrics(app);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`the metrics listener answered ${response.status}: ${text}`);
  return text;
}
