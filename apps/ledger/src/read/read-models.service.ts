import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import {
  type BalancesModel,
  type BasicAccountConflictsModel,
  basicAccountConflictsProjection,
  type BondsModel,
  type LotStatementModel,
  type LotSummaryModel,
  type RateSchedulesModel,
  type RefundQueueModel,
  type SuspenseModel,
  balancesProjection,
  bondsProjection,
  lotStatementProjection,
  lotSummaryProjection,
  overdueRefundsOf,
  rateSchedulesProjection,
  refundQueueProjection,
  suspenseProjection,
} from '@app/projections';
import { ProjectionRunner, ProjectionWaitTimeoutError, type ReadModelStore, lastPosition } from '@app/projections/runner';
import { EVENT_STORE } from '../platform/event-store/event-store.token';
import { ApiException } from '../platform/http/api-error';
import { LedgerMetrics } from '../platform/metrics/ledger-metrics';
import { openReadModelFile } from './read-model-file';

export const READ_MODEL_DB_PATH = Symbol('READ_MODEL_DB_PATH');

/** How long a query waits for the read models to reach what the store held when it arrived. */
const FRESHNESS_WAIT_MS = 10_000;

/** The read models of one moment, as the query routes read them (shared and immutable: never mutate). */
export interface ReadModelsView {
  readonly balances: BalancesModel;
  readonly bonds: BondsModel;
  readonly lots: LotSummaryModel;
  readonly refunds: RefundQueueModel;
  readonly suspense: SuspenseModel;
  readonly rateSchedules: RateSchedulesModel;
  readonly basicAccountConflicts: BasicAccountConflictsModel;
  /** The lots' statement lines (the console's 对账单 and refund list). */
  readonly statements: LotStatementModel;
}

const PROJECTIONS = [balancesProjection, bondsProjection, lotSummaryProjection, refundQueueProjection, suspenseProjection, rateSchedulesProjection, basicAccountConflictsProjection, lotStatementProjection];

/**
 * The query side's read models, kept current in this process by a projection runner over the store
 * (checkpointed in READ_MODEL_DB_PATH, so a restart resumes where it stopped; a file built from another
 * event store is emptied and rebuilt, `openReadModelFile`). Each replica keeps its own.
 *
 * Read your writes: a query first waits until the models hold every event the store held when the query
 * arrived, so an answer never misses a command acknowledged before it was asked.
 */
@Injectable()
export class ReadModels implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ReadModels');
  private readModels: ReadModelStore | undefined;
  private runner: ProjectionRunner | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB_PATH) private readonly path: string,
    private readonly metrics: LedgerMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.readModels = await openReadModelFile(this.store, this.path, this.logger);
    this.runner = new ProjectionRunner({
      store: this.store,
      readModels: this.readModels,
      projections: PROJECTIONS,
      onError: (error) => this.logger.error({ msg: 'read models stopped; queries answer 503 until a restart', error: error.message }),
    });
    await this.runner.start();
    const runner = this.runner;
    this.metrics.trackProjectionLag(async () => {
      const head = (await lastPosition(this.store)) ?? 0n;
      return Object.entries(runner.checkpoints()).map(([projection, checkpoint]) => ({ projection, behind: head - (checkpoint ?? 0n) }));
    });
    this.metrics.trackOverdueRefunds(() => {
      const overdue = overdueRefundsOf(runner.current<RefundQueueModel>(refundQueueProjection.name), { all: true });
      return { recorded: overdue.length, open: overdue.filter((item) => item.open).length };
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
    this.readModels?.close();
  }

  /** The read models once they hold everything the store holds now; 503 when they cannot get there. */
  async fresh(): Promise<ReadModelsView> {
    const runner = this.runner;
    if (runner === undefined) throw unavailable('the read models are not started yet');
    const head = await lastPosition(this.store);
    try {
      if (head !== undefined) await runner.waitForPosition(head, FRESHNESS_WAIT_MS);
    } catch (error) {
      if (error instanceof ProjectionWaitTimeoutError) throw unavailable(`the read models are more than ${FRESHNESS_WAIT_MS} ms behind the event store`, 'READ_MODELS_BEHIND');
      throw unavailable(`the read models are unavailable: ${(error as Error).message}`);
    }
    return {
      balances: runner.current<BalancesModel>(balancesProjection.name),
      bonds: runner.current<BondsModel>(bondsProjection.name),
      lots: runner.current<LotSummaryModel>(lotSummaryProjection.name),
      refunds: runner.current<RefundQueueModel>(refundQueueProjection.name),
      suspense: runner.current<SuspenseModel>(suspenseProjection.name),
      rateSchedules: runner.current<RateSchedulesModel>(rateSchedulesProjection.name),
      basicAccountConflicts: runner.current<BasicAccountConflictsModel>(basicAccountConflictsProjection.name),
      statements: runner.current<LotStatementModel>(lotStatementProjection.name),
    };
  }
}

function unavailable(message: string, code = 'READ_MODELS_UNAVAILABLE'): ApiException {
  return new ApiException(503, code, message);
}
