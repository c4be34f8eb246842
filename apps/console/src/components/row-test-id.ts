import type { HTMLAttributes } from 'react';

/** For antd Table's `onRow`: the row's `data-testid` (`<thing>-row-<id>`). */
export function rowTestId(testId: string): HTMLAttributes<HTMLElement> {
  return { 'data-testid': testId } as HTMLAttributes<HTMLElement>;
}
