import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { chooseTemplate, flashSale, openBuilder, sandboxAdmin, servedSandbox, shopGuests, syncTemplate } from './campaign-helpers';
import { REPO } from '../support/harness';

// Issue #13 §3–4 in the app, in en/he/zh-TW: Settings → Rates names the card in use (Meta's card
// shipped with Pacer, then a CSV in Meta's layout imported, one rate edited by hand); the plan names
// the card its estimate used; a marketing campaign with a URL button sends in the Sandbox, whose
// status webhooks carry Meta's pricing objects (one recipient came from an ad: free entry point) and
// whose click events give the clicked stage; the detail shows the actual cost next to the estimate
// with the difference explained, the list shows the click rate.
const PHONES = ['+972500000301', '+972500000302', '+972500000303', '+972500000304', '+972500000305'];
const CSV = path.join(REPO, 'test/fixtures/pricing/rate-card-test-usd.csv');
const FLASH_SALE = flashSale({ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'See the tents', url: 'https://example.test/tents' }] });

for (const lang of ['en', 'he', 'zh-TW'] as const) {
  test(`rates, the estimate's card, actual cost vs estimate and the clicked stage (${lang})`, async ({ page }) => {
    test.setTimeout(180_000);
    const serve = await servedSandbox(page, { lang, prefix: 'pacer-e2e-pricing-', guests: shopGuests(PHONES) });
    try {
      // The Sandbox: a marketing template with a URL button; two readers who click; one who came from an ad.
      const admin = await sandboxAdmin(page);
      await admin('templates', { template: FLASH_SALE });
      await admin('clicks', { delay_ms: [200, 800] });
      await admin('delivery', { read_delay_ms: [300, 1500] });
      for (const phone of PHONES.slice(0, 2)) await admin('users', { phone, reads: true, clicks: true });
      await admin('users', { phone: PHONES[2], free_entry_point: true });
      await syncTemplate(page, serve, 'flash_sale');

      // Settings → Rates: the shipped card is named, with its figures, and says Meta changed some rates since.
      await page.getByTestId('nav-settings').click();
      const rates = page.getByTestId('rates-card');
      await expect(rates.getByTestId('rates-card-name')).toHaveAttribute('data-origin', 'shipped');
      await expect(rates.getByTestId('rates-shipped-older')).toBeVisible();
      await expect(rates.getByTestId('rates-shipped-empty')).toHaveCount(0);
      await rates.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: path.join(SHOTS, `pricing-rates-shipped-${lang}.png`) });
      await rates.getByTestId('rates-import').setInputFiles(CSV);
      await expect(rates.getByTestId('rates-card-name')).toHaveAttribute('data-origin', 'imported');
      // The fixture's "Rest of Africa" row is expanded to its countries; only its made-up market is skipped.
      await expect(rates.getByTestId('rates-import-skipped').locator('li')).toHaveCount(1);
      // One rate edited by hand: Israel, marketing, 0.04.
      await rates.getByTestId('rate-country').selectOption('IL');
      await rates.getByTestId('rate-category').selectOption('MARKETING');
      await rates.getByTestId('rate-price').fill('0.04');
      await rates.getByTestId('rate-save').click();
      await expect(rates.locator('[data-testid="rate-row"][data-country="IL"][data-category="MARKETING"]')).toHaveAttribute(
        'data-edited',
        'true',
      );
      await expect(rates.getByTestId('rates-card-name')).toHaveAttribute('data-edited', '1');
      await rates.getByTestId('rates-current').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: path.join(SHOTS, `pricing-rates-${lang}.png`) });

      // The builder's plan names the card its estimate used.
      await openBuilder(page, 'Flash');
      await chooseTemplate(page, 'flash_sale · en_US');
      const plan = page.getByTestId('plan-panel');
      await expect(plan.getByTestId('plan-eligible')).toHaveText(new Intl.NumberFormat(lang).format(5));
      await expect(plan.getByTestId('plan-card').getByTestId('card-name')).toHaveAttribute('data-origin', 'imported');
      await expect(plan.getByTestId('plan-cost')).toContainText(
        new Intl.NumberFormat(lang, { style: 'currency', currency: 'USD', maximumFractionDigits: 3 }).format(0.2),
      );
      await plan.getByTestId('plan-card').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `pricing-plan-${lang}.png`) });

      await expect(page.getByTestId('builder-start')).toBeEnabled();
      await page.getByTestId('builder-start').click();
      await page.getByTestId('start-confirm-ok').click(); // who, how many, which number and the cost, confirmed
      const detail = page.getByTestId('campaign-detail');
      await expect(detail).toBeVisible();
      await expect(page.getByTestId('funnel-delivered')).toHaveAttribute('data-value', '5', { timeout: 60_000 });
      // Actual: 4 charged at 0.04 (the fifth came from an ad: free entry point); the estimate was 5 × 0.04.
      const cost = page.getByTestId('cost-card');
      await expect(cost.getByTestId('cost-actual')).toHaveAttribute('data-amount', '0.16', { timeout: 30_000 });
      await expect(cost.getByTestId('cost-estimate')).toHaveAttribute('data-amount', '0.2');
      await expect(cost.locator('[data-code="free_entry_point"]')).toHaveAttribute('data-amount', '-0.04');
      await expect(cost.getByTestId('cost-card-name')).toHaveAttribute('data-origin', 'imported');
      // Clicks: the two readers clicked.
      await expect(page.getByTestId('funnel-clicked')).toHaveAttribute('data-value', '2', { timeout: 30_000 });
      // Per-recipient click times (the table re-reads on a filter; both clickers are readers).
      await page.getByTestId('recipients-state').selectOption('read');
      await expect(page.getByTestId('recipient-clicked')).toHaveCount(2, { timeout: 10_000 });
      await page.screenshot({ path: path.join(SHOTS, `pricing-detail-${lang}.png`) });
      await cost.screenshot({ path: path.join(SHOTS, `pricing-cost-${lang}.png`) });

      // The list: the click rate, 2 of 5 delivered.
      await page.getByTestId('detail-back').click();
      const cell = page.getByTestId('campaign-row').first().getByTestId('list-clicks');
      await expect(cell).toHaveAttribute('data-availability', 'available');
      await expect(cell).toHaveAttribute('data-rate', '0.4', { timeout: 10_000 });
      await page.screenshot({ path: path.join(SHOTS, `pricing-list-${lang}.png`) });
    } finally {
      await serve.stop();
    }
  });
}
