import type { EventStoreConfig, StoreKind } from '@app/event-store';
import { resolve } from 'node:path';

export type EventStoreDescription =
  | { kind: Extract<StoreKind, 'sqlite'>; path: string }
  | { kind: Extract<StoreKind, 'eventstoredb'>; hosts: string };

/** Which store the ledger uses, fit for logs: the SQLite file, or the EventStoreDB hosts without credentials. */
export function describeEventStore(config: EventStoreConfig): EventStoreDescription {
  if ('sqlitePath' in config) return { kind: 'sqlite', path: resolve(config.sqlitePath) };
  const afterScheme = config.eventStoreConnectionString.replace(/^[^:]*:\/\//, '');
  // Cut at the last '@' anywhere: unencoded '/', '?' or '@' in a password must never end up in the log.
  const withoutCredentials = afterScheme.slice(afterScheme.lastIndexOf('@') + 1);
  return { kind: 'eventstoredb', hosts: withoutCredentials.replace(/[/?].*$/s, '') };
}
