import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';

// Templates of the built-in Sandbox scenario (electron/core/sandbox/default-scenario.ts).
const TOTAL = 12;

const LANGS = [
  { lang: 'en', rejected: 'Wrong category', paused: 'Paused' },
  { lang: 'he', rejected: 'קטגוריה שגויה', paused: 'מושהית' },
  { lang: 'zh-TW', rejected: '類別錯誤', paused: '已暫停' },
] as const;

async function connectSandbox(page: Page, url: string) {
  await page.goto(url);
  await page.getByTestId('nav-account').click();
  await page.getByTestId('use-sandbox').click();
  await expect(page.getByTestId('phone-numbers')).toBeVisible();
}

const row = (page: Page, name: string, language: string) => page.getByTestId(`template-row-${name}-${language}`);

for (const l of LANGS) {
  test.describe(`templates in ${l.lang}`, () => {
    test.use({ settings: { language: l.lang } });

    test('sync, statuses and reasons, a right-to-left Hebrew preview, filters', async ({ page, serve }) => {
      await connectSandbox(page, serve.url);
      await page.getByTestId('nav-templates').click();
      await page.getByTestId('sync-templates').click();
      await expect(page.getByTestId('sync-result')).toBeVisible();
      await expect(page.getByTestId('last-synced')).not.toBeEmpty();
      await expect(page.locator('[data-testid^="template-row-"]')).toHaveCount(TOTAL);

      // One template in three languages.
      for (const lang of ['en_US', 'he', 'zh_TW']) await expect(row(page, 'spring_sale', lang)).toBeVisible();
      // Paused and rejected, with the rejection reason in the UI language.
      await expect(row(page, 'winter_clearance', 'en_US').getByTestId('template-status')).toHaveAttribute('data-status', 'PAUSED');
      await expect(row(page, 'winter_clearance', 'en_US').getByTestId('template-status')).toHaveText(l.paused);
      await expect(row(page, 'winter_clearance', 'en_US').getByTestId('template-quality')).toHaveAttribute('data-quality', 'RED');
      const rejected = row(page, 'account_bonus', 'en_US');
      await expect(rejected.getByTestId('template-status')).toHaveAttribute('data-status', 'REJECTED');
      await expect(rejected.getByTestId('rejected-reason')).toContainText(l.rejected);
      await tallShot(page, `templates-list-${l.lang}.png`);

      // The Hebrew template previews right-to-left whatever the UI language, with its samples filled in.
      await row(page, 'spring_sale', 'he').getByTestId('template-open').click();
      const bubble = page.getByTestId('template-bubble');
      await expect(bubble).toHaveAttribute('dir', 'rtl');
      await expect(bubble).toHaveAttribute('lang', 'he');
      await expect(page.getByTestId('bubble-body')).toHaveText('שלום דנה, מבצע האביב שלנו כאן: 20% הנחה על כל האוהלים עד 30 באפריל.');
      await expect(page.getByTestId('bubble-media')).toBeVisible();
      await expect(page.getByTestId('template-history')).toBeVisible();
      await page.screenshot({ path: path.join(SHOTS, `templates-preview-he-template-${l.lang}.png`) });
      await page.getByTestId('drawer-close').click();
      await expect(page.getByTestId('template-drawer')).toHaveCount(0);

      // The Chinese one reads left-to-right.
      await row(page, 'spring_sale', 'zh_TW').getByTestId('template-open').click();
      await expect(page.getByTestId('template-bubble')).toHaveAttribute('dir', 'ltr');
      await expect(page.getByTestId('bubble-body')).toContainText('小明您好');
      await expect(page.getByTestId('drawer-close')).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('template-drawer')).toHaveCount(0);
      // Focus goes back to the row it came from.
      await expect(row(page, 'spring_sale', 'zh_TW').getByTestId('template-open')).toBeFocused();

      // Filters: status, then language, then search.
      await page.getByTestId('filter-status').selectOption('PAUSED');
      await expect(page.locator('[data-testid^="template-row-"]')).toHaveCount(1);
      await expect(row(page, 'winter_clearance', 'en_US')).toBeVisible();
      await page.getByTestId('filter-status').selectOption('');
      await page.getByTestId('filter-language').selectOption('he');
      await expect(page.locator('[data-testid^="template-row-"]')).toHaveCount(2);
      await page.getByTestId('template-search').fill('תזכורת');
      await expect(page.locator('[data-testid^="template-row-"]')).toHaveCount(1);
      await expect(row(page, 'appointment_reminder', 'he')).toBeVisible();
      await page.getByTestId('template-search').fill('nothing matches this');
      await expect(page.locator('[data-testid^="template-row-"]')).toHaveCount(0);
      await page.getByTestId('filters-clear').click();
      await expect(page.locator('[data-testid^="template-row-"]')).toHaveCount(TOTAL);
    });
  });
}

test('a status change at Meta shows up in the list and in the history', async ({ page, serve }) => {
  await connectSandbox(page, serve.url);
  const graphUrl = (await page.getByTestId('graph-url').textContent())!.trim();
  await page.getByTestId('nav-templates').click();
  await expect(row(page, 'loyalty_points', 'en_US').getByTestId('template-status')).toHaveAttribute('data-status', 'PENDING');

  // Meta approves the template (the Sandbox's admin endpoint plays Meta's review). The change
  // arrives by webhook (templates:changed) or, at the latest, with the next sync.
  const res = await page.request.post(`${graphUrl}/__admin/templates/status`, {
    data: { name: 'loyalty_points', language: 'en_US', status: 'APPROVED' },
  });
  expect(res.ok()).toBe(true);
  await page.getByTestId('sync-templates').click();
  await expect(page.getByTestId('sync-result')).toContainText('12 templates');
  await expect(row(page, 'loyalty_points', 'en_US').getByTestId('template-status')).toHaveAttribute('data-status', 'APPROVED');

  await row(page, 'loyalty_points', 'en_US').getByTestId('template-open').click();
  const history = page.getByTestId('template-history');
  await expect(history.locator('li')).toHaveCount(2);
  await expect(history.locator('li').first()).toContainText('In review');
  await expect(history.locator('li').first()).toContainText('Active');
  // Positional samples fill the English body.
  await expect(page.getByTestId('bubble-body')).toHaveText('Hi Dana, you have 1,200 loyalty points waiting.');
});

test('without an account the Templates page says how to get some', async ({ page, serve }) => {
  await page.goto(serve.url);
  await page.getByTestId('nav-templates').click();
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await page.getByTestId('templates-connect').click();
  await expect(page.getByTestId('setup-wizard')).toBeVisible();
});

async function tallShot(page: Page, file: string) {
  const height = await page.evaluate(() => document.querySelector('.page')!.scrollHeight + 80);
  await page.setViewportSize({ width: 1280, height: Math.max(800, height) });
  await page.screenshot({ path: path.join(SHOTS, file) });
  await page.setViewportSize({ width: 1280, height: 800 });
}
