import type { Role } from '../auth/token';
import { bidderArea } from './bidder';
import { centerArea } from './center';
import { operatorArea } from './operator';
import type { MenuEntry, PageRoute } from './types';

const AREAS = [centerArea, bidderArea, operatorArea];

export const ALL_ROUTES: readonly PageRoute[] = AREAS.flatMap((area) => area.routes);
const ALL_MENU: readonly MenuEntry[] = AREAS.flatMap((area) => area.menu);

export function menuFor(role: Role): MenuEntry[] {
  return ALL_MENU.filter((entry) => entry.roles.includes(role));
}

/** Where a role lands after signing in: its first menu entry. */
export function homeOf(role: Role): string {
  return menuFor(role)[0]?.path ?? 'no-pages';
}
