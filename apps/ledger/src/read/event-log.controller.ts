import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@app/event-store';
import { AllowedRoles } from '../platform/auth/access.decorators';
import { EVENT_STORE } from '../platform/event-store/event-store.token';
import { ApiException } from '../platform/http/api-error';
import { ApiNonNegativeIntegerQuery, ApiPageSizeQuery, nonNegativeInteger, pageSize } from './query-params';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiErrorResponses, AUTHENTICATED_ERRORS } from '../platform/http/api-error.responses';
import { EventPageResponse, StreamPageResponse } from './event-log.responses';

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
 * global position, a page at a time; `next…` is where the following page starts.
 */
// On the class, like its roles: a method's 401 or 403 would replace the class's (and the roles it names).
@ApiErrorResponses(AUTHENTICATED_ERRORS)
@Controller('v1')
@AllowedRoles('auditor')
export class EventLogController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @ApiOkResponse({ type: StreamPageResponse })
  @ApiErrorResponses({ 400: ['INVALID_FIELD', 'INVALID_QUERY'], 404: ['STREAM_NOT_FOUND'] })
  @ApiNonNegativeIntegerQuery('fromRevision', 'first revision of the page (default 0)')
  @ApiPageSizeQuery('maxCount', DEFAULT_PAGE, MAX_PAGE)
  @Get('streams/:stream')
  async stream(@Param('stream') stream: string, @Query('fromRevision') fromRevision: unknown, @Query('maxCount') maxCount: unknown) {
    if (!STREAM_NAME.test(stream)) throw new ApiException(400, 'INVALID_FIELD', 'stream must be a stream name: letters, digits, ".", "_" or "-"', 'stream');
    const from = nonNegativeInteger(fromRevision, 'fromRevision', 0n);
    const limit = pageSize(maxCount, 'maxCount', DEFAULT_PAGE, MAX_PAGE);
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readStream(stream, { fromRevision: from, maxCount: limit + 1 })) events.push(event);
    if (events.length === 0 && from === 0n) throw new ApiException(404, 'STREAM_NOT_FOUND', `no stream ${stream}`, 'stream');
    const next = events[limit];
    return { stream, events: events.slice(0, limit).map(rawEvent), ...(next ? { nextRevision: next.revision.toString() } : {}) };
  }

  @ApiOkResponse({ type: EventPageResponse })
  @ApiErrorResponses({ 400: ['INVALID_QUERY'] })
  @ApiNonNegativeIntegerQuery('fromPosition', 'first global position of the page (default 0)')
  @ApiPageSizeQuery('maxCount', DEFAULT_PAGE, MAX_PAGE)
  @Get('events')
  async events(@Query('fromPosition') fromPosition: unknown, @Query('maxCount') maxCount: unknown) {
    const from = nonNegativeInteger(fromPosition, 'fromPosition', 0n);
    const limit = pageSize(maxCount, 'maxCount', DEFAULT_PAGE, MAX_PAGE);
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readAll({ fromPosition: from, maxCount: limit + 1 })) events.push(event);
    const next = events[limit];
    return { events: events.slice(0, limit).map(rawEvent), ...(next ? { nextPosition: next.position.toString() } : {}) };
  }
}
