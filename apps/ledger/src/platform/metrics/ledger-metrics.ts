import { Injectable } from '@nestjs/common';
import { WrongExpectedVersionError } from '@app/event-store';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Who appends: a command's events, or an Idempotency-Key's record alone (the command kernel). */
export type AppendWriter = 'aggregate' | 'idempotency';

/** What the Kafka publisher reports at each scrape (only in the process that runs it). */
export interface PublisherStatus {
  running: boolean;
  /** Store head position minus the publisher's checkpoint; undefined until a checkpoint is known. */
  lagPositions: bigint | undefined;
}

const SECONDS = { append: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], http: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] };

/**
 * The ledger's Prometheus metrics (docs/operations.md lists them). One registry per app rather than
 * prom-client's global one, so several apps in one process (the tests) never share or clash.
 */
@Injectable()
export class LedgerMetrics {
  readonly registry = new Registry();

  private readonly commands = new Counter({
    name: 'ledger_commands_total',
    help: 'Command requests by route, handler and outcome: the success status name (CREATED, OK), the API error code, or IDEMPOTENT_REPLAY',
    labelNames: ['route', 'command', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly packageCredits = new Counter({
    name: 'ledger_package_credits_total',
    help: 'Credits of packages (POST /v1/inbound-credit-batches) by their own outcome, as the single route would count them: CREATED, OK or the API error code',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly appends = new Histogram({
    name: 'ledger_event_store_append_duration_seconds',
    help: 'Event-store appends made by commands, by writer and outcome (ok, conflict = lost an expected-revision race, error)',
    labelNames: ['writer', 'outcome'] as const,
    buckets: SECONDS.append,
    registers: [this.registry],
  });

  private readonly requests = new Histogram({
    name: 'ledger_http_request_duration_seconds',
    help: 'HTTP requests by method, route template (none when no route handled it) and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: SECONDS.http,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  countCommand(route: string, command: string, outcome: string): void {
    this.commands.inc({ route, command, outcome });
  }

  /** A package's credits, each by the outcome in its result (the package itself is one command request). */
  countPackageCredits(outcomes: readonly string[]): void {
    for (const outcome of outcomes) this.packageCredits.inc({ outcome });
  }

  /** Runs one append and records how long it took and whether it won its expected-revision check. */
  async timeAppend<T>(writer: AppendWriter, append: () => Promise<T>): Promise<T> {
    const stop = this.appends.startTimer({ writer });
    try {
      const result = await append();
      stop({ outcome: 'ok' });
      return result;
    } catch (error) {
      stop({ outcome: error instanceof WrongExpectedVersionError ? 'conflict' : 'error' });
      throw error;
    }
  }

  observeHttpRequest(method: string, route: string, status: string, seconds: number): void {
    this.requests.observe({ method, route, status }, seconds);
  }

  /**
   * Registers `ledger_projection_lag_events`, read at each scrape: for each read model of this replica, the
   * store's head position minus the position of the last event it folded (SQLite: events; EventStoreDB:
   * log bytes). Called by the query side once its projection runner runs.
   */
  trackProjectionLag(lags: () => Promise<ReadonlyArray<{ projection: string; behind: bigint }>>): void {
    new Gauge({
      name: 'ledger_projection_lag_events',
      help: 'Events in the store not yet applied to a read model of this replica, by projection (SQLite: events; EventStoreDB: log bytes)',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      async collect() {
        for (const { projection, behind } of await lags()) this.set({ projection }, Number(behind));
      },
    });
  }


  /**
   * The embedded store's group commit: stream appends and the durable commits (fsyncs) they took. Only
   * with the SQLite store (EventStoreDB commits on its own servers).
   */
  trackEmbeddedCommits(stats: () => { appends: number; commits: number }): void {
    new Counter({
      name: 'ledger_event_store_stream_appends_total',
      help: 'Stream appends the embedded store committed (a command writing two streams at once counts two)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(stats().appends);
      },
    });
    new Counter({
      name: 'ledger_event_store_commits_total',
      help: 'Durable commits (fsynced transactions) of the embedded store; group commit puts many appends in one',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(stats().commits);
      },
    });
  }

  /**
   * Overdue refunds (RefundOverdue, Art. 57) as this replica's read models hold them: how many were
   * recorded, and how many are still owed now. Counts only: no lot, bond or bidder in a label.
   */
  trackOverdueRefunds(counts: () => { recorded: number; open: number }): void {
    new Counter({
      name: 'ledger_refunds_overdue_total',
      help: 'Refunds recorded overdue (RefundOverdue: still owed when their legal limit passed), in the read models of this replica',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(counts().recorded);
      },
    });
    new Gauge({
      name: 'ledger_refunds_overdue',
      help: 'Refunds overdue now: recorded overdue and not yet refunded (or forfeited)',
      registers: [this.registry],
      collect() {
        this.set(counts().open);
      },
    });
  }

  /** Registers the publisher's gauges; called only where the publisher runs, so API replicas export none. */
  trackKafkaPublisher(status: () => Promise<PublisherStatus>): void {
    new Gauge({
      name: 'ledger_kafka_publisher_running',
      help: '1 while this process publishes to Kafka, 0 while the publisher is starting (again) or stopped',
      registers: [this.registry],
      async collect() {
        this.set((await status()).running ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ledger_kafka_publisher_lag_positions',
      help: "Event-store head position minus the Kafka publisher's saved checkpoint (SQLite: events; EventStoreDB: log bytes); NaN until a checkpoint is known",
      registers: [this.registry],
      async collect() {
        const { lagPositions } = await status();
        this.set(lagPositions === undefined ? Number.NaN : Number(lagPositions));
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
