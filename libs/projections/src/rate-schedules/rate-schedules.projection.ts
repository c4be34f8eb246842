import { type RateSchedule, own, rateScheduleDecider } from '@app/domain';
import { known } from '../known-events';
import { type Checkpointed, type ProjectionEvent, defineProjection } from '../projection';

/**
 * The rate schedules of the log, as the schedule's own fold makes them (`RateScheduleDefined`, then each
 * `RateScheduleEntryAdded`), so `bondView` can be given a lot's schedule. The stored shape is unchanged
 * by the added entries (a schedule is its entries): no read-model schema bump.
 */
export interface RateSchedulesModel extends Checkpointed {
  readonly schedules: { readonly [scheduleId: string]: RateSchedule };
}

function applyRateSchedules(model: RateSchedulesModel, event: ProjectionEvent): RateSchedulesModel {
  const domainEvent = known(event);
  if (domainEvent.type === 'RateScheduleEntryAdded') {
    const { scheduleId } = domainEvent.data;
    const defined = own(model.schedules, scheduleId);
    if (!defined) return model;
    const state = rateScheduleDecider.evolve({ exists: true, schedule: defined }, domainEvent);
    return state.exists ? { ...model, schedules: { ...model.schedules, [scheduleId]: state.schedule } } : model;
  }
  if (domainEvent.type !== 'RateScheduleDefined') return model;
  const { scheduleId, dayCount, entries } = domainEvent.data;
  // One definition per schedule (its stream holds one event); a second would be a corrupt log: the first stands.
  if (own(model.schedules, scheduleId)) return model;
  const schedule: RateSchedule = {
    scheduleId,
    dayCount,
    entries: entries.map(({ effectiveFrom, annualRate }) => ({ effectiveFrom, annualRate })),
  };
  return { ...model, schedules: { ...model.schedules, [scheduleId]: schedule } };
}

export const rateSchedulesProjection = defineProjection<RateSchedulesModel>('rate-schedules', { schedules: {} }, applyRateSchedules, (model, position) => ({
  schedules: model.schedules,
  position,
}));

export function rateScheduleOf(model: RateSchedulesModel, scheduleId: string): RateSchedule | undefined {
  return own(model.schedules, scheduleId);
}
