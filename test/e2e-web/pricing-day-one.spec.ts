import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { chooseTemplate, flashSale, openBuilder, sandboxAdmin, servedSandbox, shopGuests, syncTemplate } from './campaign-helpers';

// Issue #13 §3 in the app, in en/he/zh-TW: on day one (no rate imported or typed) the plan of a
// marketing campaign to guests in seven markets — Israel, Brazil, India and Germany (rows of their
// own), Taiwan and Kenya ("Rest of …" rows) and South Korea ("Other") — is priced with the card
// Pacer ships and names it; Settings → Rates shows that card and what Meta changed since.
const PHONES = ['+972500000301', '+886912345678', '+5511912345678', '+919876543210', '+4915123456789', '+254712345678', '+821012345678'];
// Meta's USD card of 2025-10-01 (shared/pricing/shipped-card.ts), marketing: IL, TW, BR, IN, DE, KE, KR (Other).
const EXPECTED = 0.0353 + 0.0732 + 0.0625 + 0.0107 + 0.1365 + 0.0225 + 0.0604;
const FLASH_SALE = flashSale();

for (const lang of ['en', 'he', 'zh-TW'] as const) {
  test(`the plan is priced on day one with the shipped card, named; Settings → Rates shows it (${lang})`, async ({ page }) => {
    test.setTimeout(120_000);
    const serve = await servedSandbox(page, { lang, prefix: 'pacer-e2e-day-one-', guests: shopGuests(PHONES) });
    try {
      const admin = await sandboxAdmin(page);
      await admin('templates', { template: FLASH_SALE });
      await syncTemplate(page, serve, 'flash_sale');

      // The builder's plan: every guest priced, the shipped card named.
      await openBuilder(page, 'Flash');
      await chooseTemplate(page, 'flash_sale · en_US');
      const plan = page.getByTestId('plan-panel');
      await expect(plan.getByTestId('plan-eligible')).toHaveText(new Intl.NumberFormat(lang).format(PHONES.length));
      await expect(plan.getByTestId('plan-card').getByTestId('card-name')).toHaveAttribute('data-origin', 'shipped');
      await expect(plan.getByTestId('plan-cost')).toContainText(
        new Intl.NumberFormat(lang, { style: 'currency', currency: 'USD', maximumFractionDigits: 3 }).format(EXPECTED),
      );
      await plan.getByTestId('plan-card').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `pricing-day-one-plan-${lang}.png`) });

      // Settings → Rates: the shipped card, its rows, and what Meta changed since.
      await page.getByTestId('nav-settings').click();
      const rates = page.getByTestId('rates-card');
      await expect(rates.getByTestId('rates-card-name')).toHaveAttribute('data-origin', 'shipped');
      await expect(rates.getByTestId('rates-shipped-older')).toBeVisible();
      await expect(rates.locator('[data-testid="rate-row"][data-country="IL"][data-category="MARKETING"]')).toBeVisible();
      // Rates as Meta prints them (4 decimals): "Other" marketing is 0.0604, not 0.06.
      await expect(rates.locator('[data-testid="rate-row"][data-country="*"][data-category="MARKETING"]')).toContainText(
        new Intl.NumberFormat(lang, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 }).format(0.0604),
      );
      // The banner names the shipped card's date (2025-10-01), worded in the UI's language, not as a machine date.
      await expect(rates.getByTestId('rates-shipped-older')).toContainText('2025');
      await expect(rates.getByTestId('rates-shipped-older')).not.toContainText('2025-10-01');
      await rates.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: path.join(SHOTS, `pricing-day-one-rates-${lang}.png`) });
    } finally {
      await serve.stop();
    }
  });
}
