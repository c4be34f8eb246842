import { lazy } from 'react';
import type { Area } from '../types';

/** The bank operator's desk (role `operator`): suspense, failed and overdue refunds, master accounts, rate schedules. */
export const operatorArea: Area = {
  routes: [
    { path: 'suspense', roles: ['operator'], page: lazy(() => import('./pages/SuspensePage')) },
    { path: 'refunds', roles: ['operator'], page: lazy(() => import('./pages/RefundsPage')) },
    { path: 'master-accounts', roles: ['operator'], page: lazy(() => import('./pages/MasterAccountsPage')) },
    { path: 'rate-schedules', roles: ['operator'], page: lazy(() => import('./pages/RateSchedulesPage')) },
  ],
  menu: [
    { path: 'suspense', label: 'operator.nav.suspense', roles: ['operator'], testId: 'nav-suspense' },
    { path: 'refunds', label: 'operator.nav.refunds', roles: ['operator'], testId: 'nav-refunds' },
    { path: 'master-accounts', label: 'operator.nav.masterAccounts', roles: ['operator'], testId: 'nav-master-accounts' },
    { path: 'rate-schedules', label: 'operator.nav.rateSchedules', roles: ['operator'], testId: 'nav-rate-schedules' },
  ],
};
