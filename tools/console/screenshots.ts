/**
 * `npm run console:screenshots`: pictures of each main page of the console for docs/console.md. Starts the
 * real service (as the browser specs do: SQLite in a temp folder, the built console at /console) on the
 * seeded book of apps/console/test/support/scenario.ts, signs in per role with a handed-over token, puts the
 * browser on the service's clock, and writes docs/console/<name>.png (1440 × 900, zh-CN unless the shot
 * says otherwise). Needs `npm run build:console` first and Debian's chromium.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium, openPage } from '../../apps/console/test/support/browser';
import { ConsoleService, type Role, tokenFor } from '../../apps/console/test/support/console-service';
import { CENTER, NOW, OPENED, SEALED, T0, seedBook } from '../../apps/console/test/support/scenario';
import { browserAt, shown } from '../../apps/console/test/support/ui';

export interface Shot {
  /** docs/console/<file>.png */
  file: string;
  /** Signed in as; none: the sign-in page. */
  as?: { role: Role; subject: string };
  /** The path under /console/. */
  route: string;
  /** The page's data-testid, waited for before the picture. */
  ready: string;
  locale?: 'zh-CN' | 'en';
  /** The whole scrolling page rather than the window. */
  fullPage?: boolean;
}

const center = { role: 'center', subject: CENTER } as const;
const operator = { role: 'operator', subject: 'ops-1' } as const;

export const SHOTS: Shot[] = [
  { file: 'sign-in', route: 'sign-in', ready: 'page-sign-in' },
  { file: 'center-lots', as: center, route: 'lots', ready: 'page-lots' },
  { file: 'center-register-lot', as: center, route: 'lots/new', ready: 'page-register-lot' },
  { file: 'center-sealed-lot', as: center, route: `lots/${SEALED}`, ready: 'sealed-notice', fullPage: true },
  { file: 'center-payment-instructions', as: center, route: `lots/${SEALED}/instructions`, ready: 'page-payment-instructions' },
  { file: 'center-opened-lot', as: center, route: `lots/${OPENED}`, ready: 'received-chart', fullPage: true },
  { file: 'bidder-bonds', as: { role: 'bidder', subject: 'ALPHA' }, route: 'bonds', ready: 'bidder-bonds-table' },
  { file: 'operator-suspense', as: operator, route: 'suspense', ready: 'suspense-table' },
  { file: 'operator-refunds', as: operator, route: 'refunds', ready: 'overdue-refunds' },
  { file: 'operator-master-accounts', as: operator, route: 'master-accounts', ready: 'master-accounts-table' },
  { file: 'operator-rate-schedules', as: operator, route: 'rate-schedules', ready: 'rate-schedule-PBOC-DEMAND' },
  { file: 'operator-suspense-en', as: operator, route: 'suspense', ready: 'suspense-table', locale: 'en' },
];

async function main(): Promise<void> {
  const out = resolve(__dirname, '../../docs/console');
  mkdirSync(out, { recursive: true });
  const service = await ConsoleService.start('screenshots', { now: T0 });
  const browser = await launchChromium();
  try {
    await seedBook(service);
    for (const shot of SHOTS) {
      const opened = await openPage(browser, { locale: shot.locale ?? 'zh-CN' });
      try {
        const { page } = opened;
        await browserAt(page, NOW);
        if (shot.locale === 'en') await page.addInitScript({ content: "localStorage.setItem('console.locale', 'en')" });
        const hash = shot.as === undefined ? '' : `#token=${encodeURIComponent(tokenFor(shot.as.role, shot.as.subject))}`;
        await page.goto(`${service.consoleUrl(shot.route)}${hash}`);
        await shown(page, shot.ready);
        // Data loaded and spinners gone: no antd spinner left on the page.
        await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
        await page.waitForLoadState('networkidle');
        const path = resolve(out, `${shot.file}.png`);
        await page.screenshot({ path, fullPage: shot.fullPage ?? false, animations: 'disabled' });
        const problems = opened.problems();
        process.stdout.write(`${path}${problems.length === 0 ? '' : `  (${problems.length} problem(s): ${problems.join('; ')})`}\n`);
      } finally {
        await opened.close();
      }
    }
  } finally {
    await browser.close();
    await service.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`console:screenshots: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
