import { resolve } from 'node:path';
import { describeEventStore } from './describe-event-store';

describe('describeEventStore', () => {
  it('gives the absolute SQLite path', () => {
    expect(describeEventStore({ sqlitePath: './data/ledger.db' })).toEqual({
      kind: 'sqlite',
      path: resolve('./data/ledger.db'),
    });
  });

  it.each([
    ['esdb://localhost:2113?tls=false', 'localhost:2113'],
    ['esdb://admin:changeit@db-1:2113,db-2:2113,db-3:2113/?tls=true', 'db-1:2113,db-2:2113,db-3:2113'],
    ['esdb+discover://admin:changeit@cluster.bank.internal:2113', 'cluster.bank.internal:2113'],
    ['kurrentdb://admin:p%40ss@kurrent:2113', 'kurrent:2113'],
    ['kurrentdb+discover://kurrent.bank.internal', 'kurrent.bank.internal'],
  ])('gives the EventStoreDB hosts of %s', (connectionString, hosts) => {
    expect(describeEventStore({ eventStoreConnectionString: connectionString })).toEqual({ kind: 'eventstoredb', hosts });
  });

  it.each(['esdb://admin:se/cr?et@db:2113', 'esdb://admin:se@cret@db:2113?tls=false'])(
    'never shows a password with unencoded separators (%s)',
    (connectionString) => {
      expect(describeEventStore({ eventStoreConnectionString: connectionString })).toEqual({
        kind: 'eventstoredb',
        hosts: 'db:2113',
      });
    },
  );
});
