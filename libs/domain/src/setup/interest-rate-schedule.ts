import { type Decider, type DomainEvent, conflict, ruleBroken, unreachable } from '../decider';
import { type DayCount, PBOC_DEMAND_SCHEDULE, type RateSchedule, validateRateSchedule } from '../interest';

/**
 * Interest-rate schedule: the annual rates, with effective dates, interest of a lot's bonds accrues
 * at. One stream per schedule, holding its single definition. The built-in PBOC-DEMAND schedule is
 * appended by the service at start (`builtInRateScheduleEvent`, expected revision NO_STREAM) so that
 * it is in the log like any other.
 */

export const RATE_SCHEDULE_STREAM_PREFIX = 'rate-schedule-';

export function rateScheduleStream(scheduleId: string): string {
  return `${RATE_SCHEDULE_STREAM_PREFIX}${scheduleId}`;
}

// Commands

export interface DefineRateSchedule {
  readonly type: 'DefineRateSchedule';
  readonly scheduleId: string;
  /** Checked by `validateRateSchedule`: 'ACT/360' or 'ACT/365'. */
  readonly dayCount: string;
  readonly entries: readonly { readonly effectiveFrom: string; readonly annualRate: string }[];
}

export type RateScheduleCommand = DefineRateSchedule;

// Events

export interface RateScheduleDefinedData {
  readonly scheduleId: string;
  readonly dayCount: DayCount;
  readonly entries: readonly { readonly effectiveFrom: string; readonly annualRate: string }[];
}

export type RateScheduleDefined = DomainEvent<'RateScheduleDefined', RateScheduleDefinedData>;

export type RateScheduleEvent = RateScheduleDefined;

// State

export type RateScheduleState =
  | { readonly exists: false }
  | { readonly exists: true; readonly schedule: RateSchedule };

/** The definition of PBOC-DEMAND (ACT/360, 0.35% from 2015-10-24), as the service appends it at start. */
export function builtInRateScheduleEvent(): RateScheduleDefined {
  return definedEvent(PBOC_DEMAND_SCHEDULE);
}

export const rateScheduleDecider: Decider<RateScheduleCommand, RateScheduleEvent, RateScheduleState> = {
  initialState: { exists: false },

  decide(command, state) {
    const checked = validateRateSchedule({
      scheduleId: command.scheduleId,
      dayCount: command.dayCount,
      entries: command.entries,
    });
    if (!checked.ok) return ruleBroken(checked.reason, checked.message, wireField(checked.field));
    if (state.exists) {
      return conflict('RATE_SCHEDULE_EXISTS', `rate schedule ${command.scheduleId} is already defined`, 'scheduleId');
    }
    return [definedEvent(checked.value)];
  },

  evolve(_state, event) {
    switch (event.type) {
      case 'RateScheduleDefined': {
        const { scheduleId, dayCount, entries } = event.data;
        const schedule: RateSchedule = {
          scheduleId,
          dayCount,
          entries: entries.map(({ effectiveFrom, annualRate }) => ({ effectiveFrom, annualRate })),
        };
        return { exists: true, schedule };
      }
      default:
        return unreachable(event.type);
    }
  },
};

function definedEvent(schedule: RateSchedule): RateScheduleDefined {
  return {
    type: 'RateScheduleDefined',
    data: {
      scheduleId: schedule.scheduleId,
      dayCount: schedule.dayCount,
      entries: schedule.entries.map(({ effectiveFrom, annualRate }) => ({ effectiveFrom, annualRate })),
    },
  };
}

/**
 * validateRateSchedule names fields as the wire does (`scheduleId`, `entries[1].effectiveFrom`), the
 * request body being the schedule itself; '' (the whole body) names no field.
 */
function wireField(field: string): string | undefined {
  return field === '' ? undefined : field;
}
