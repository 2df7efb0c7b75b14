import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { chooseTemplate, fillSpringSaleParams, openBuilder, servedSandbox, shopGuests } from './campaign-helpers';
import { callApi } from '../support/harness';
import type { CampaignSummary } from '../../shared/contract/campaigns';

// A marketing campaign's "Deliver only within" (issue #13): set in the builder's sending options,
// shown in the plan with its send-by time and how many sends may miss it, saved as options.ttl.
const PHONES = ['+972500000021', '+972500000022', '+972500000023'];
const TEXT = {
  en: { option: 'Deliver only within', plan: 'Time-to-live 2 hours', none: 'Every send fits' },
  he: { option: 'שליחה רק בתוך מגבלת זמן', plan: 'מגבלת זמן שעתיים', none: 'כל השליחות נכנסות בזמן' },
  'zh-TW': { option: '僅在時限內送達', plan: '有效時間 2 小時', none: '所有傳送都在時限內' },
} as const;

for (const lang of ['en', 'he', 'zh-TW'] as const) {
  test(`builder: a marketing campaign's time-to-live is set, planned and saved (${lang})`, async ({ page }) => {
    test.setTimeout(120_000);
    const serve = await servedSandbox(page, { lang, prefix: 'pacer-e2e-ttl-', guests: shopGuests(PHONES) });
    try {
      await openBuilder(page, 'Flash');
      // A utility template has no time-to-live option.
      await chooseTemplate(page, 'appointment_reminder · en_US');
      await page.locator('.cmp-advanced summary').click();
      await expect(page.getByTestId('frequency-cap')).toBeVisible();
      await expect(page.getByTestId('ttl-on')).toHaveCount(0);

      await chooseTemplate(page, 'spring_sale · en_US');
      await page.getByTestId('builder-media').fill('https://example.com/tents.jpg');
      await fillSpringSaleParams(page);
      await expect(page.getByTestId('plan-panel').getByTestId('plan-eligible')).toHaveText('3');
      await expect(page.getByTestId('plan-ttl')).toHaveCount(0);

      const on = page.getByTestId('ttl-on');
      await expect(on.locator('xpath=..')).toContainText(TEXT[lang].option);
      await on.check();
      await page.getByTestId('ttl-value').fill('2');
      await page.getByTestId('ttl-unit').selectOption('hour');
      // Units are in the page's language (no English on he / zh-TW screens).
      if (lang !== 'en') await expect(page.getByTestId('ttl-unit')).not.toContainText('hours');
      const planTtl = page.getByTestId('plan-ttl');
      await expect(planTtl).toContainText(TEXT[lang].plan);
      await expect(planTtl).toContainText(TEXT[lang].none);
      await expect(planTtl).toHaveAttribute('data-may-miss', '0');

      await page.getByTestId('ttl-row').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `campaign-ttl-builder-${lang}.png`) });
      await planTtl.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `campaign-ttl-plan-${lang}.png`) });

      await page.getByTestId('builder-save').click();
      await expect
        .poll(async () => (await callApi<CampaignSummary[]>(serve, 'campaigns:list', {})).map((c) => c.options.ttl ?? null))
        .toEqual([7200]);
    } finally {
      await serve.stop();
    }
  });
}
