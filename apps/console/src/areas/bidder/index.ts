import { lazy } from 'react';
import type { Area } from '../types';

/** The bidder's pages (role `bidder`): its own bonds only, each with its certificate and a detail page. */
export const bidderArea: Area = {
  routes: [
    { path: 'bonds', roles: ['bidder'], page: lazy(() => import('./pages/BondsPage')) },
    { path: 'bonds/:bondId', roles: ['bidder'], page: lazy(() => import('./pages/BondPage')) },
  ],
  menu: [{ path: 'bonds', label: 'bidder.nav.bonds', roles: ['bidder'], testId: 'nav-bonds' }],
};
