import { lazy } from 'react';
import type { Area } from '../types';

/** The bank operator's desk (role `operator`). */
export const operatorArea: Area = {
  routes: [{ path: 'suspense', roles: ['operator'], page: lazy(() => import('./pages/SuspensePage')) }],
  menu: [{ path: 'suspense', label: 'operator.nav.suspense', roles: ['operator'], testId: 'nav-suspense' }],
};
