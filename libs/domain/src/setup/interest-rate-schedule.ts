import { type Decider, type DomainEvent, conflict, notFound, ruleBroken, unreachable } from '../decider';
import { type CalendarDate, type DayCount, PBOC_DEMAND_SCHEDULE, type RateSchedule, compareDates, validateRateSchedule } from '../interest';
import { businessDateOf } from '../lot/business-time';

/**
 * Interest-rate schedule: the annual rates, with effective dates, interest of a lot's bonds accrues
 * at. One stream per schedule: its definition, then the entries operators add (never retroactive). The built-in PBOC-DEMAND schedule is
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

/**
 * An operator adds a rate to an existing schedule (POST /v1/interest-rate-schedules/{scheduleId}/entries),
 * effective from a day not in the past. docs/rules.md (item 6).
 */
export interface AddRateScheduleEntry {
  readonly type: 'AddRateScheduleEntry';
  readonly scheduleId: string;
  readonly effectiveFrom: string;
  readonly annualRate: string;
  /** The ledger's clock reading (ISO-8601): today is its business date (Asia/Shanghai). */
  readonly now: string;
}

export type RateScheduleCommand = DefineRateSchedule | AddRateScheduleEntry;

// Events

export interface RateScheduleDefinedData {
  readonly scheduleId: string;
  readonly dayCount: DayCount;
  readonly entries: readonly { readonly effectiveFrom: string; readonly annualRate: string }[];
}

export type RateScheduleDefined = DomainEvent<'RateScheduleDefined', RateScheduleDefinedData>;

export interface RateScheduleEntryAddedData {
  readonly scheduleId: string;
  readonly effectiveFrom: CalendarDate;
  readonly annualRate: string;
  /** The business date (Asia/Shanghai) it was recorded on; effectiveFrom is never before it. */
  readonly addedOn: CalendarDate;
}

export type RateScheduleEntryAdded = DomainEvent<'RateScheduleEntryAdded', RateScheduleEntryAddedData>;

export type RateScheduleEvent = RateScheduleDefined | RateScheduleEntryAdded;

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
    if (command.type === 'AddRateScheduleEntry') return addEntry(command, state);
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

  evolve(state, event) {
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
      case 'RateScheduleEntryAdded': {
        // Recorded only on a defined schedule, after its last entry.
        if (!state.exists) throw new Error(`rate schedule ${event.data.scheduleId}: an entry added before its definition`);
        const { effectiveFrom, annualRate } = event.data;
        return { exists: true, schedule: { ...state.schedule, entries: [...state.schedule.entries, { effectiveFrom, annualRate }] } };
      }
      default:
        return unreachable(event);
    }
  },
};

/**
 * Never retroactive: the entry takes effect today (business date, Asia/Shanghai) at the earliest. Today is
 * allowed because interest is counted up to the refund date exclusive (算头不算尾) and a refund is never
 * priced to a day after today, so no interest already priced counts a day on or after `effectiveFrom`.
 * The entry goes after the schedule's last one (rates already in force are never edited).
 */
function addEntry(command: AddRateScheduleEntry, state: RateScheduleState) {
  const { scheduleId, effectiveFrom, annualRate } = command;
  if (!state.exists) return notFound('RATE_SCHEDULE_NOT_FOUND', `no interest-rate schedule ${scheduleId}`, 'scheduleId');
  const today = businessDateOf(command.now);
  if (compareDates(effectiveFrom, today) < 0) {
    return ruleBroken('EFFECTIVE_DATE_IN_PAST', `effectiveFrom ${effectiveFrom} is before today (${today}, Asia/Shanghai): a rate is never retroactive`, 'effectiveFrom');
  }
  const checked = validateRateSchedule({ ...state.schedule, entries: [...state.schedule.entries, { effectiveFrom, annualRate }] });
  if (!checked.ok) return ruleBroken(checked.reason, checked.message, checked.field.replace(/^entries\[\d+\]\./, ''));
  const added: RateScheduleEntryAdded = { type: 'RateScheduleEntryAdded', data: { scheduleId, effectiveFrom, annualRate, addedOn: today } };
  return [added];
}

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
