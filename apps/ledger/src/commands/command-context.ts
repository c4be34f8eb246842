import type { EventMetadataInput } from '@app/event-store';

/** Who asked for a command and on behalf of which request: the metadata of every event it records. */
export interface CommandContext {
  correlationId: string;
  causationId: string;
  actor: string;
}

/** Bumped when the shape of event data changes, so readers know which upcaster applies. */
const EVENT_SCHEMA_VERSION = 1;

export function eventMetadata(context: CommandContext): EventMetadataInput {
  return {
    correlationId: context.correlationId,
    causationId: context.causationId,
    actor: context.actor,
    schemaVersion: EVENT_SCHEMA_VERSION,
  };
}
