import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@app/event-store';
import type { CommandContext } from '@app/command-kernel';
import { type LotSummary, lotSummaryOf, virtualAccountBalance } from '@app/projections';
import type { FastifyRequest } from 'fastify';
import { AllowedRoles, RequestCaller } from '../platform/auth/access.decorators';
import type { Caller } from '../platform/auth/roles';
import { EVENT_STORE } from '../platform/event-store/event-store.token';
import { RequestCommandContext } from '../platform/http/command-context.decorator';
import { ApiException } from '../platform/http/api-error';
import { ApiNonNegativeIntegerQuery, ApiPageSizeQuery, nonNegativeInteger, pageSize } from './query-params';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiErrorResponses, READ_MODEL_QUERY_ERRORS } from '../platform/http/api-error.responses';
import { EventPageResponse, StreamPageResponse } from './event-log.responses';
import { namedInEvents } from './lots-named';
import { ReadModels } from './read-models.service';
import { SealedLooks } from './sealed-looks';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1_000;
/** Stream names the ledger writes: `lot-…`, `inbound-credit-…`, `idempotency-<sha256>`, … */
const STREAM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** An event as auditors get it: everything the store recorded, revisions and positions as decimal strings. */
function rawEvent(event: RecordedEvent) {
  return {
    id: event.id,
    streamName: event.streamName,
    type: event.type,
    revision: event.revision.toString(),
    position: event.position.toString(),
    data: event.data,
    metadata: event.metadata,
  };
}

/**
 * The raw event log for auditors (docs/api-contract.md): one stream from a revision, or the whole log from a
 * global position, a page at a time; `next…` is where the following page starts. Auditors replay history,
 * so sealed lots' data is given, and the look recorded as the seal asks (issue #15 item 3).
 */
// On the class, like its roles: a method's 401 or 403 would replace the class's (and the roles it names).
// The read models' 503s: a page naming lots asks them whether the lots are sealed.
@ApiErrorResponses(READ_MODEL_QUERY_ERRORS)
@Controller('v1')
@AllowedRoles('auditor')
export class EventLogController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly looks: SealedLooks,
  ) {}

  @ApiOkResponse({ type: StreamPageResponse })
  @ApiErrorResponses({ 400: ['INVALID_FIELD', 'INVALID_QUERY'], 404: ['STREAM_NOT_FOUND'] })
  @ApiNonNegativeIntegerQuery('fromRevision', 'first revision of the page (default 0)')
  @ApiPageSizeQuery('maxCount', DEFAULT_PAGE, MAX_PAGE)
  @Get('streams/:stream')
  async stream(
    @Param('stream') stream: string,
    @Query('fromRevision') fromRevision: unknown,
    @Query('maxCount') maxCount: unknown,
    @RequestCaller() caller: Caller,
    @RequestCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ) {
    if (!STREAM_NAME.test(stream)) throw new ApiException(400, 'INVALID_FIELD', 'stream must be a stream name: letters, digits, ".", "_" or "-"', 'stream');
    const from = nonNegativeInteger(fromRevision, 'fromRevision', 0n);
    const limit = pageSize(maxCount, 'maxCount', DEFAULT_PAGE, MAX_PAGE);
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readStream(stream, { fromRevision: from, maxCount: limit + 1 })) events.push(event);
    if (events.length === 0 && from === 0n) throw new ApiException(404, 'STREAM_NOT_FOUND', `no stream ${stream}`, 'stream');
    const next = events[limit];
    const page = events.slice(0, limit);
    await this.recordSealedLooks(caller, page, 'stream', context, request);
    return { stream, events: page.map(rawEvent), ...(next ? { nextRevision: next.revision.toString() } : {}) };
  }

  @ApiOkResponse({ type: EventPageResponse })
  @ApiErrorResponses({ 400: ['INVALID_QUERY'] })
  @ApiNonNegativeIntegerQuery('fromPosition', 'first global position of the page (default 0)')
  @ApiPageSizeQuery('maxCount', DEFAULT_PAGE, MAX_PAGE)
  @Get('events')
  async events(
    @Query('fromPosition') fromPosition: unknown,
    @Query('maxCount') maxCount: unknown,
    @RequestCaller() caller: Caller,
    @RequestCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ) {
    const from = nonNegativeInteger(fromPosition, 'fromPosition', 0n);
    const limit = pageSize(maxCount, 'maxCount', DEFAULT_PAGE, MAX_PAGE);
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readAll({ fromPosition: from, maxCount: limit + 1 })) events.push(event);
    const next = events[limit];
    const page = events.slice(0, limit);
    await this.recordSealedLooks(caller, page, 'fromPosition', context, request);
    return { events: page.map(rawEvent), ...(next ? { nextPosition: next.position.toString() } : {}) };
  }

  /**
   * Asks the seal about every lot the page shows data of (`namedInEvents`; lots the read models do not
   * know are left alone) and records the looks it shows only recorded, before the page is answered: a
   * look that cannot be recorded fails the request (docs/events.md `SealedDataViewed`).
   */
  private async recordSealedLooks(caller: Caller, page: readonly RecordedEvent[], field: string, context: CommandContext, request: FastifyRequest): Promise<void> {
    const named = namedInEvents(page, caller);
    if (named.lotIds.size === 0 && named.virtualAccountNos.size === 0) return;
    // Read after the page: the models then hold every event in it.
    const models = await this.readModels.fresh();
    const lotIds = new Set(named.lotIds);
    for (const number of named.virtualAccountNos) {
      const link = virtualAccountBalance(models.balances, number).link;
      if (link !== undefined) lotIds.add(link.lotId);
    }
    const lots = [...lotIds].map((lotId) => lotSummaryOf(models.lots, lotId)).filter((lot): lot is LotSummary => lot !== undefined);
    await this.looks.disclose(caller, lots, field, context, request);
  }
}
