import type { EventMetadataInput } from '@app/event-store';

/** Who asked for a command and on behalf of which request: the metadata of every event it records. */
export interface CommandContext {
  correlationId: string;
  causationId: string;
  actor: string;
}

/** The metadata of an event the command records; `schemaVersion` is the version of its type's data shape. */
export function eventMetadata(context: CommandContext, schemaVersion: number): EventMetadataInput {
  return { correlationId: context.correlationId, causationId: context.causationId, actor: context.actor, schemaVersion };
}
