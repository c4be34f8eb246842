import { PBOC_DEMAND_SCHEDULE } from '@app/domain';
import { at } from '../test/at';
import { SPLIT_365, buildScenario } from '../test/scenario';
import { balancesProjection } from './balances/balances.projection';
import { bondsProjection } from './bonds/bonds.projection';
import { lotSummaryProjection } from './lots/lot-summary.projection';
import { type Checkpointed, type Projection, type ProjectionEvent, checkpointOf, foldEvents } from './projection';
import { rateScheduleOf, rateSchedulesProjection } from './rate-schedules/rate-schedules.projection';
import { refundQueueProjection } from './refunds/refund-queue.projection';
import { suspenseProjection } from './suspense/suspense.projection';

const projections: Projection<Checkpointed>[] = [
  balancesProjection,
  bondsProjection,
  lotSummaryProjection,
  refundQueueProjection,
  suspenseProjection,
  rateSchedulesProjection,
] as unknown as Projection<Checkpointed>[];

const scenario = buildScenario();
const { log } = scenario.harness;
const { marks } = scenario;
const jsonRoundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe.each(projections.map((projection) => [projection.name, projection] as const))('%s projection', (_name, projection) => {
  const full = foldEvents(projection, log);

  it('is deterministic: folding the same events again gives an equal model, also as JSON', () => {
    const again = foldEvents(projection, buildScenario().harness.log);
    expect(again).toStrictEqual(full);
    expect(JSON.stringify(again)).toBe(JSON.stringify(full));
  });

  it('is plain JSON: the model reads back from JSON unchanged, at every mark of the story', () => {
    for (const mark of Object.values(marks)) {
      const model = foldEvents(projection, log.slice(0, mark));
      expect(jsonRoundTrip(model)).toStrictEqual(model);
    }
  });

  it('resumes from a stored model at any point and ends where a full fold ends', () => {
    for (let cut = 0; cut <= log.length; cut += 5) {
      const stored = jsonRoundTrip(foldEvents(projection, log.slice(0, cut)));
      expect(foldEvents(projection, log.slice(cut), stored)).toStrictEqual(full);
    }
  });

  it('ignores redelivered events (at or below its position)', () => {
    const cut = marks.l1Awarded;
    const stored = foldEvents(projection, log.slice(0, cut));
    expect(checkpointOf(stored)).toBe(at(log, cut - 1).position);
    expect(foldEvents(projection, log.slice(cut - 10), stored)).toStrictEqual(full);
    const doubled = log.flatMap((event) => [event, event]);
    expect(foldEvents(projection, doubled)).toStrictEqual(full);
  });

  it('is pure: it never mutates the model or the event it is given', () => {
    let model = deepFreeze(projection.initial);
    for (const event of log) model = deepFreeze(projection.apply(model, deepFreeze(jsonEvent(event))));
    expect(model).toStrictEqual(full);
  });

  it('passes over events it does not know', () => {
    const alien: ProjectionEvent = { type: 'IdempotentResponseRecorded', data: { keyHash: 'x', status: 201, body: null }, streamName: 'idempotency-x', position: 99_999n, revision: 0n };
    expect(projection.apply(full, alien)).toStrictEqual({ ...full, position: '99999' });
  });

  it("passes over EventStoreDB's store identity (EventStoreIdentified)", () => {
    const identified: ProjectionEvent = {
      type: 'EventStoreIdentified',
      data: { identity: '0b7c4a4e-4a53-4f5e-9d0b-3f1f6c2a9e11' },
      streamName: 'ledger-store-identity',
      position: 99_999n,
      revision: 0n,
    };
    expect(projection.apply(full, identified)).toStrictEqual({ ...full, position: '99999' });
    expect(projection.apply(projection.initial, { ...identified, position: 0n })).toStrictEqual({ ...projection.initial, position: '0' });
  });
});

/** A copy of the event whose data is fresh JSON (so freezing it leaves the shared log alone). */
function jsonEvent(event: ProjectionEvent): ProjectionEvent {
  return { ...event, data: jsonRoundTrip(event.data) };
}

describe('rate schedules projection', () => {
  it('keeps every schedule defined, as the lot decider is given it', () => {
    const model = foldEvents(rateSchedulesProjection, log);
    expect(rateScheduleOf(model, 'PBOC-DEMAND')).toEqual(PBOC_DEMAND_SCHEDULE);
    expect(rateScheduleOf(model, 'SPLIT-365')).toEqual(SPLIT_365);
    expect(rateScheduleOf(model, 'constructor')).toBeUndefined();
  });
});
