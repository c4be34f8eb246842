import type { DomainEvent } from '@app/domain';
import type { EventMetadataInput, JsonObject, ProposedEvent } from '@app/event-store';

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

/** A decided event as the store takes it: a new id, its data (JSON by the domain's convention), its metadata. */
export function proposedEvent(id: string, event: DomainEvent, context: CommandContext, schemaVersion: number): ProposedEvent {
  return { id, type: event.type, data: event.data as JsonObject, metadata: eventMetadata(context, schemaVersion) };
}
