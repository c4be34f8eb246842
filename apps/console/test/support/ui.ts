import type { Locator, Page } from 'playwright-core';
import { describePage } from './browser';

/** How long a page may take to show what a test waits for (the service answers in milliseconds; a cold chromium renders in one or two seconds). */
export const UI_TIMEOUT_MS = 10_000;

/** Waits until `[data-testid=id]` is visible; the locator. */
export async function shown(page: Page, testId: string): Promise<Locator> {
  const locator = page.getByTestId(testId).first();
  try {
    await locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  } catch (error) {
    throw new Error(`[data-testid="${testId}"] not shown within ${UI_TIMEOUT_MS} ms\n${await describePage(page)}`, { cause: error });
  }
  return locator;
}

/** Waits until `locator` is visible, failing with what the page shows. */
export async function appears(page: Page, locator: Locator, what: string): Promise<Locator> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  } catch (error) {
    throw new Error(`${what} not shown within ${UI_TIMEOUT_MS} ms\n${await describePage(page)}`, { cause: error });
  }
  return locator.first();
}

/**
 * Picks `label` in the antd Select carrying `testId`: opens it, then clicks the option of that title in the
 * dropdown that opened (antd renders options in a portal, outside the select).
 */
export async function choose(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).first().click();
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: label }).first();
  await option.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await option.click();
}

/** Types into an input (antd Input, InputNumber, or a DatePicker's input) and leaves it (Enter confirms a picker). */
export async function typeInto(page: Page, testId: string, text: string, { confirm = false } = {}): Promise<void> {
  const field = page.getByTestId(testId).first();
  const input = (await field.evaluate((element) => element.tagName)) === 'INPUT' ? field : field.locator('input').first();
  await input.click();
  await input.fill(text);
  if (confirm) await input.press('Enter');
}

/** Puts the page's Date on `instant` (the service's test clock), timers still running: countdowns and "today" agree with the service. */
export async function browserAt(page: Page, instant: string | number | Date): Promise<void> {
  await page.clock.setFixedTime(new Date(instant));
}

/** Money as the console shows it: thousands separators, two decimals (the API's decimal string, never re-computed). */
export function shownMoney(amount: string): string {
  const [whole = '', cents = '00'] = amount.replace(/^-/, '').split('.');
  return `${amount.startsWith('-') ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents.padEnd(2, '0')}`;
}
