import type { ComponentType, LazyExoticComponent } from 'react';
import type { Role } from '../auth/token';

/** A page of the console: its path under /console/, who may open it, and the component (lazy: its own chunk). */
export interface PageRoute {
  path: string;
  roles: readonly Role[];
  page: LazyExoticComponent<ComponentType>;
}

/** An entry of the side menu; `testId` is `nav-<name>`. */
export interface MenuEntry {
  path: string;
  /** An i18n key, `<area>.nav.<page>`. */
  label: string;
  roles: readonly Role[];
  testId: string;
}

/** One area of the console (center, bidder, operator): its pages and menu entries, in menu order. */
export interface Area {
  routes: readonly PageRoute[];
  menu: readonly MenuEntry[];
}
