import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { WirePosition } from '../platform/http/wire-forms.responses';

/** What the auditors' event-log routes answer (event-log.controller.ts): events as the store recorded them. */

/** Metadata the store keeps with every event (EventMetadata of @app/event-store); writers may add more. */
const EVENT_METADATA: ApiPropertyOptions = {
  type: 'object',
  selfRequired: true,
  required: ['correlationId', 'causationId', 'actor', 'recordedAt'],
  properties: {
    correlationId: { type: 'string', description: 'ties together everything one outside request caused' },
    causationId: { type: 'string', description: 'the command or event that directly caused this one' },
    actor: { type: 'string', description: 'who asked: "{role}:{subject}", e.g. "esb:esb-1", "system:lot-clock"' },
    recordedAt: { type: 'string', format: 'date-time', description: 'when the store accepted the append' },
    schemaVersion: { type: 'integer' },
    chain: {
      type: 'object',
      description: 'the hash chain link to the previous event of the stream (absent on events older than the chain)',
      required: ['prev', 'hash'],
      properties: { prev: { type: 'string', pattern: '^[0-9a-f]{64}$' }, hash: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
      additionalProperties: false,
    },
  },
  additionalProperties: true,
};

export class RawEventResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'lot-SZ-2026-RR3-L1' }) streamName!: string;
  @ApiProperty({ example: 'BondCredited', description: 'the events and their data: docs/events.md' }) type!: string;
  @WirePosition({ description: 'within its stream, from 0' }) revision!: string;
  @WirePosition({ description: 'in the whole log' }) position!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "the event's data, by type (docs/events.md)" }) data!: Record<string, unknown>;
  @ApiProperty(EVENT_METADATA) metadata!: Record<string, unknown>;
}

export class StreamPageResponse {
  @ApiProperty() stream!: string;
  @ApiProperty({ type: RawEventResponse, isArray: true }) events!: RawEventResponse[];
  @WirePosition({ required: false, description: 'where the next page starts; absent on the last' }) nextRevision?: string;
}

export class EventPageResponse {
  @ApiProperty({ type: RawEventResponse, isArray: true }) events!: RawEventResponse[];
  @WirePosition({ required: false, description: 'where the next page starts; absent on the last' }) nextPosition?: string;
}
