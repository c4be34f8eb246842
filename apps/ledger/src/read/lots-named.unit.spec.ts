import { bondIdFor, refundIdFor } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { namedInEvents } from './lots-named';

const event = (streamName: string, type: string, data: unknown): RecordedEvent =>
  ({ id: 'e', streamName, type, revision: 0n, position: 0n, data, metadata: {} }) as unknown as RecordedEvent;

describe('namedInEvents', () => {
  it('finds the lots of lot streams, lotId values, and bond and refund ids at any depth', () => {
    const bond = bondIdFor('L2', 'ALPHA', '1', '2');
    const named = namedInEvents([
      event('lot-L1', 'LotRegistered', { projectCode: 'P' }),
      event('idempotency-abc', 'IdempotentResponseRecorded', { answer: { refunds: [{ bondId: bond, refundId: refundIdFor('L3', bond, 1) }], nested: [[{ lotId: 'L4' }]] } }),
    ]);
    expect([...named.lotIds].sort()).toEqual(['L1', 'L2', 'L3', 'L4']);
  });

  it('collects virtual account numbers for the read models to place', () => {
    const named = namedInEvents([event('inbound-credit-B-R1', 'InboundCreditReceived', { payeeAccountNo: '9558800000000000011', amount: '1.00' })]);
    expect([...named.virtualAccountNos]).toEqual(['9558800000000000011']);
    expect(named.lotIds.size).toBe(0);
  });

  it('leaves out the trail of looks, which shows no lot’s money', () => {
    const named = namedInEvents([event('sealed-data-views-L1', 'SealedDataViewed', { lotId: 'L1', request: 'GET /v1/lots/L1/bonds' })]);
    expect(named.lotIds.size).toBe(0);
  });
});
