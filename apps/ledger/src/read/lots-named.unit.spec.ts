import { bondIdFor, refundIdFor } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { namedInEvents } from './lots-named';

const event = (streamName: string, type: string, data: unknown): RecordedEvent =>
  ({ id: 'e', streamName, type, revision: 0n, position: 0n, data, metadata: {} }) as unknown as RecordedEvent;

const AUDITOR = { role: 'auditor', subject: 'aud-1' };

describe('namedInEvents', () => {
  it('finds the lots of lot streams, lotId values, and bond and refund ids at any depth', () => {
    const bond = bondIdFor('L2', 'ALPHA', '1', '2');
    const named = namedInEvents([
      event('lot-L1', 'LotRegistered', { projectCode: 'P' }),
      event('idempotency-abc', 'IdempotentResponseRecorded', { answer: { refunds: [{ bondId: bond, refundId: refundIdFor('L3', bond, 1) }], nested: [[{ lotId: 'L4' }]] } }),
    ], AUDITOR);
    expect([...named.lotIds].sort()).toEqual(['L1', 'L2', 'L3', 'L4']);
  });

  it('collects virtual account numbers for the read models to place', () => {
    const named = namedInEvents([event('inbound-credit-B-R1', 'InboundCreditReceived', { payeeAccountNo: '9558800000000000011', amount: '1.00' })], AUDITOR);
    expect([...named.virtualAccountNos]).toEqual(['9558800000000000011']);
    expect(named.lotIds.size).toBe(0);
  });

  it("counts another viewer's look as naming its lot, and leaves out the reader's own", () => {
    const look = (subject: string) => event('sealed-data-views-L1', 'SealedDataViewed', { lotId: 'L1', viewer: { role: 'auditor', subject }, request: 'GET /v1/bonds/B-1-L1' });
    expect([...namedInEvents([look('aud-2')], AUDITOR).lotIds]).toEqual(['L1']);
    expect(namedInEvents([look('aud-1')], AUDITOR).lotIds.size).toBe(0);
  });
});
