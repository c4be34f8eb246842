import { Agent, request } from 'node:http';

/** One inbound credit the ESB must deliver, and everything that happened to it. */
export interface Delivery {
  bankRef: string;
  /** The exact bytes of every attempt: a retry is the same request. */
  body: string;
  /** Gives up after its first failed attempt (an ESB with no retry budget left), so it may stay unacknowledged. */
  impatient: boolean;
  attempts: number;
  /** Attempts that failed without an HTTP answer (refused, reset, hung up) or with a 5xx. */
  failures: string[];
  /** Every 2xx answer, in order. */
  answers: { status: number; body: unknown }[];
  /** A 4xx, which no retry can fix: the test fails on it. */
  refused?: { status: number; body: unknown };
}

export function delivery(bankRef: string, credit: object, impatient = false): Delivery {
  return { bankRef, body: JSON.stringify(credit), impatient, attempts: 0, failures: [], answers: [] };
}

export const acknowledged = (d: Delivery) => d.answers.length > 0;

export interface EsbClientOptions {
  port: number;
  authorization: string;
  /** Concurrent connections (each worker sends one request at a time). */
  connections: number;
  /** Pause before a retry: doubles from `firstPauseMs` up to `maxPauseMs`. */
  firstPauseMs?: number;
  maxPauseMs?: number;
  /** A request without an answer for this long counts as a failed attempt. */
  requestTimeoutMs?: number;
  /** Told after every acknowledgement (to kill the service at the right moment). */
  onAcknowledged?: (count: number) => void;
}

type Attempt = { kind: 'answer'; status: number; body: unknown } | { kind: 'failure'; reason: string };

/**
 * What a bank's ESB does with inbound credits: posts them over a few kept-alive connections, and
 * retries a credit whose attempt got no answer or a 5xx with the same bankRef and the same body until it
 * is acknowledged (2xx) — or, for an impatient delivery, gives up.
 */
export class EsbClient {
  private readonly agent: Agent;
  private acknowledgedCount = 0;

  constructor(private readonly options: EsbClientOptions) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  }

  async deliverAll(deliveries: Delivery[]): Promise<void> {
    const queue = [...deliveries];
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await this.deliver(next);
    };
    await Promise.all(Array.from({ length: this.options.connections }, worker));
  }

  close(): void {
    this.agent.destroy();
  }

  private async deliver(d: Delivery): Promise<void> {
    let pause = this.options.firstPauseMs ?? 50;
    for (;;) {
      d.attempts += 1;
      const attempt = await this.post(d.body);
      if (attempt.kind === 'answer' && attempt.status >= 200 && attempt.status < 300) {
        d.answers.push({ status: attempt.status, body: attempt.body });
        this.options.onAcknowledged?.((this.acknowledgedCount += 1));
        return;
      }
      if (attempt.kind === 'answer' && attempt.status < 500) {
        d.refused = { status: attempt.status, body: attempt.body };
        return;
      }
      d.failures.push(attempt.kind === 'answer' ? `HTTP ${attempt.status}` : attempt.reason);
      if (d.impatient) return;
      await new Promise((resume) => setTimeout(resume, pause));
      pause = Math.min(pause * 2, this.options.maxPauseMs ?? 500);
    }
  }

  private post(body: string): Promise<Attempt> {
    return new Promise((resolve) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: this.options.port,
          method: 'POST',
          path: '/v1/inbound-credits',
          agent: this.agent,
          timeout: this.options.requestTimeoutMs ?? 15_000,
          headers: { Authorization: this.options.authorization, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ kind: 'answer', status: incoming.statusCode ?? 0, body: JSON.parse(text) });
            } catch {
              resolve({ kind: 'failure', reason: `unparsable answer ${incoming.statusCode}: ${text.slice(0, 100)}` });
            }
          });
          incoming.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'failure', reason: error.code ?? error.message }));
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
      outgoing.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'failure', reason: error.code ?? error.message }));
      outgoing.end(body);
    });
  }
}
