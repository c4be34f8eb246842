export { type CalendarDate, isCalendarDate, daysBetween, addDays, compareDates } from './calendar-date';
export {
  DAY_COUNTS,
  PBOC_DEMAND_SCHEDULE,
  validateRateSchedule,
  type DayCount,
  type RateEntry,
  type RateSchedule,
  type RateScheduleRejection,
  type ValidatedRateSchedule,
} from './rate-schedule';
export {
  accrueInterest,
  type Tranche,
  type AccrualRequest,
  type AccrualPeriod,
  type Accrual,
  type AccrualFailure,
  type AccrualResult,
} from './accrue-interest';
