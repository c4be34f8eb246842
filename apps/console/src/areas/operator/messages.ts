import { defineMessages } from '../../i18n/define';

/** The operator area's messages; keys start with `operator.`. */
export const operatorMessages = defineMessages({
  'operator.nav.suspense': ['挂账处理', 'Suspense'],
  'operator.nav.refunds': ['退还异常', 'Failed and overdue refunds'],
  'operator.nav.masterAccounts': ['主账户', 'Master accounts'],
  'operator.nav.rateSchedules': ['利率表', 'Rate schedules'],
  'operator.suspense.title': ['挂账处理', 'Suspense queue'],
});
