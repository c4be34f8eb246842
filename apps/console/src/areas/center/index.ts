import { lazy } from 'react';
import type { Area } from '../types';

/** The tender center's pages (role `center`): its lots, their accounts, bonds, refunds and files. */
export const centerArea: Area = {
  routes: [
    { path: 'lots', roles: ['center'], page: lazy(() => import('./pages/LotsPage')) },
    { path: 'lots/new', roles: ['center'], page: lazy(() => import('./pages/RegisterLotPage')) },
    { path: 'lots/:lotId', roles: ['center'], page: lazy(() => import('./pages/LotPage')) },
    { path: 'lots/:lotId/instructions', roles: ['center'], page: lazy(() => import('./pages/PaymentInstructionsPage')) },
  ],
  menu: [
    { path: 'lots', label: 'center.nav.lots', roles: ['center'], testId: 'nav-lots' },
    { path: 'lots/new', label: 'center.nav.registerLot', roles: ['center'], testId: 'nav-register-lot' },
  ],
};
