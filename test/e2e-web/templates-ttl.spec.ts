import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';

// The template editor's "Deliver only within" (Meta's message_send_ttl_seconds, MARKETING only,
// 12 hours to 30 days): out of range is refused next to the field in the UI language, and a valid
// one is submitted to the Sandbox with the template.
const LANGS = [
  { lang: 'en', range: 'must be 12 hours to 30 days', submitted: 'was sent to Meta for review' },
  { lang: 'he', range: 'בין 12 שעות ל־30 יום', submitted: 'נשלחה לבדיקה של Meta' },
  { lang: 'zh-TW', range: '時限必須介於 12 小時至 30 天', submitted: '送交 Meta 審核' },
] as const;

for (const l of LANGS) {
  test.describe(`template TTL in ${l.lang}`, () => {
    test.use({ settings: { language: l.lang } });

    test('a marketing template gets a time-to-live in Meta’s range', async ({ page, serve }) => {
      await page.goto(serve.url);
      await page.getByTestId('nav-account').click();
      await page.getByTestId('use-sandbox').click();
      await expect(page.getByTestId('phone-numbers')).toBeVisible();
      await page.getByTestId('nav-templates').click();
      await page.getByTestId('template-new').click();
      await expect(page.getByTestId('template-editor')).toBeVisible();
      await page.getByTestId('editor-name').fill(`flash_${l.lang.replace('-', '_').toLowerCase()}`);
      await page.getByTestId('editor-body').fill('Midnight flash sale: 30% off everything today.');

      // Only MARKETING has the option.
      await page.getByTestId('editor-category-UTILITY').check();
      await expect(page.getByTestId('editor-ttl')).toHaveCount(0);
      await page.getByTestId('editor-category-MARKETING').check();
      await page.getByTestId('editor-ttl-on').check();
      await page.getByTestId('editor-ttl-unit').selectOption('hour');
      await page.getByTestId('editor-ttl-value').fill('6');
      await page.getByTestId('editor-submit').click();
      await expect(page.getByTestId('editor-ttl').locator('xpath=following-sibling::*[1]')).toContainText(l.range);
      await page.getByTestId('editor-ttl').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `template-ttl-range-${l.lang}.png`) });

      await page.getByTestId('editor-ttl-unit').selectOption('day');
      await page.getByTestId('editor-ttl-value').fill('2');
      await expect(page.getByText(l.range)).toHaveCount(0);
      await page.getByTestId('editor-submit').click();
      await expect(page.getByText(l.submitted).first()).toBeVisible({ timeout: 15_000 });
    });
  });
}
