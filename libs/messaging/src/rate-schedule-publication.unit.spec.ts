import { builtInRateScheduleEvent } from '@app/domain';
import type { ProjectionEvent } from '@app/projections';
import { allPublished, applyEvent, changesOf, initialModels } from './published-state';
import { TOPIC_OF_ENTITY } from './topics';

/** Issue #14 item 6 (docs/topics.md): a rate schedule and every rate added to it are published on the lots topic. */
describe('rate schedules on the lots topic', () => {
  const at = (position: number, event: { type: string; data: unknown }): ProjectionEvent => ({ ...event, streamName: 'rate-schedule-PBOC-DEMAND', position: BigInt(position), revision: BigInt(position - 1) });
  const defined = at(1, builtInRateScheduleEvent());
  const added = at(2, { type: 'RateScheduleEntryAdded', data: { scheduleId: 'PBOC-DEMAND', effectiveFrom: '2026-05-20', annualRate: '0.002', addedOn: '2026-03-12' } });

  it('publishes the definition, then the schedule with the added rate, keyed rate-schedule:{scheduleId}', () => {
    const m0 = initialModels();
    const m1 = applyEvent(m0, defined);
    const m2 = applyEvent(m1, added);
    expect(changesOf(defined, m0, m1).map(({ entity, key, state }) => ({ entity, key, state }))).toEqual([
      { entity: 'rate-schedule', key: 'rate-schedule:PBOC-DEMAND', state: { scheduleId: 'PBOC-DEMAND', dayCount: 'ACT/360', entries: [{ effectiveFrom: '2015-10-24', annualRate: '0.0035' }] } },
    ]);
    expect(changesOf(added, m1, m2).map(({ key, state }) => ({ key, state }))).toEqual([
      {
        key: 'rate-schedule:PBOC-DEMAND',
        state: {
          scheduleId: 'PBOC-DEMAND',
          dayCount: 'ACT/360',
          entries: [
            { effectiveFrom: '2015-10-24', annualRate: '0.0035' },
            { effectiveFrom: '2026-05-20', annualRate: '0.002' },
          ],
        },
      },
    ]);
    expect(TOPIC_OF_ENTITY['rate-schedule']).toBe('lots');
    expect(allPublished(m2).map(({ entity, key }) => [entity, key])).toEqual([['rate-schedule', 'rate-schedule:PBOC-DEMAND']]);
  });
});
