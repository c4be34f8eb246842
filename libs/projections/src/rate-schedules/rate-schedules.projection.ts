import { type RateSchedule, own } from '@app/domain';
import { known } from '../known-events';
import { type Checkpointed, type ProjectionEvent, defineProjection } from '../projection';

/** The rate schedules defined in the log (`RateScheduleDefined`), so `bondView` can be given a lot's schedule. */
export interface RateSchedulesModel extends Checkpointed {
  readonly schedules: { readonly [scheduleId: string]: RateSchedule };
}

function applyRateSchedules(model: RateSchedulesModel, event: ProjectionEvent): RateSchedulesModel {
  const domainEvent = known(event);
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
