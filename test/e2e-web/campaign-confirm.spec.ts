import fs from 'node:fs';
import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { connectSandbox, importGuests } from './campaign-helpers';
import { callApi, startServe, tempDataDir } from '../support/harness';
import { SANDBOX_RECIPIENTS } from '../../electron/core/sandbox/index';

// The app's own confirmation dialog before sending (who, how many, from which number, the cost),
// before cancelling and before a resend — translated, focus kept inside, Escape cancels — and the
// campaign page telling one story: badge, progress, rate and the failures' retryability agree.
const GOOD = ['+972500000301', '+972500000302', '+972500000303'];
const BAD = [SANDBOX_RECIPIENTS.undeliverable, SANDBOX_RECIPIENTS.marketingCapReached];

const draft = (name: string) => ({
  name,
  template: { name: 'spring_sale', language: 'en_US' },
  audience: 'all',
  params: { first_name: 'first_name|there', discount: '"20%"', end_date: '"April 30"' },
  header_media: { link: 'https://example.com/tents.jpg' },
  options: { retry_131049: 0 },
});

for (const lang of ['en', 'he', 'zh-TW'] as const) {
  test(`start asks first with who / number / cost; resend says what can be retried (${lang})`, async ({ page }) => {
    test.setTimeout(180_000);
    const dataDir = tempDataDir('pacer-e2e-confirm-');
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: lang }));
    importGuests(dataDir, [...GOOD, ...BAD], 'marketing', 'shop signup');
    const serve = await startServe({ dataDir });
    try {
      await connectSandbox(page, serve);
      const c = await callApi<{ id: string }>(serve, 'campaigns:create', draft('Tents'));
      await page.getByTestId('nav-campaigns').click();
      const row = page.locator(`[data-testid="campaign-row"][data-id="${c.id}"]`);
      await row.getByTestId('campaign-start').click();

      const dialog = page.getByTestId('start-confirm');
      await expect(dialog).toBeVisible();
      await expect(dialog).toHaveAttribute('role', 'dialog');
      await expect(dialog.getByTestId('start-confirm-who')).toHaveAttribute('data-eligible', String(GOOD.length + BAD.length));
      const account = await callApi<{ phoneNumbers: { displayPhoneNumber: string; primary: boolean }[] }>(serve, 'account:status', {});
      await expect(dialog.getByTestId('start-confirm-from')).toContainText(account.phoneNumbers.find((n) => n.primary)!.displayPhoneNumber);
      await expect(dialog.getByTestId('start-confirm-cost')).not.toBeEmpty();
      await page.screenshot({ path: path.join(SHOTS, `confirm-start-${lang}.png`) });
      // Focus stays in the dialog.
      for (let i = 0; i < 6; i++) {
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="start-confirm"]'))).toBe(true);
      }
      // Escape cancels: nothing started, still on the list.
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      expect((await callApi<{ state: string }>(serve, 'campaigns:get', { id: c.id })).state).toBe('draft');
      await expect(page.getByTestId('campaign-list')).toBeVisible();

      await row.getByTestId('campaign-start').click();
      await page.getByTestId('start-confirm-ok').click();
      await expect(page.getByTestId('campaign-detail')).toBeVisible();
      // One story: completed badge, everything processed, no sending rate, no "still to go".
      await expect(page.getByTestId('campaign-state')).toHaveAttribute('data-state', 'completed', { timeout: 60_000 });
      await expect(page.getByTestId('detail-processed')).toHaveText(
        new RegExp(`^${GOOD.length + BAD.length}\\D+${GOOD.length + BAD.length}$`),
      );
      await expect(page.getByTestId('detail-forecast')).toHaveCount(0);
      // Both special numbers fail (131026 final, 131049 retryable), then the resend dialog says which.
      await expect(page.locator('[data-testid="failure-retryable"]')).toHaveCount(2, { timeout: 60_000 });
      await expect(page.locator('[data-testid="failure-retryable"][data-retryable="true"]')).toHaveCount(1);
      await page.getByTestId('resend-failed').click();
      const resend = page.getByTestId('resend-confirm');
      await expect(resend.getByTestId('resend-retryable')).toHaveAttribute('data-count', '1');
      await expect(resend.getByTestId('resend-final')).toHaveAttribute('data-count', '1');
      await page.screenshot({ path: path.join(SHOTS, `confirm-resend-${lang}.png`) });
      await page.getByTestId('resend-confirm-ok').click();
      await expect(resend).toBeHidden();
      // The requeued row runs and fails again (the cap): the page ends where the core's standing is,
      // with no banner contradicting the badge.
      type Got = { standing: { state: string; remaining: number }; counts: { failed: number } };
      await expect
        .poll(
          async () => {
            const g = await callApi<Got>(serve, 'campaigns:get', { id: c.id });
            return g.standing.state === 'completed' && g.counts.failed === 2;
          },
          { timeout: 60_000 },
        )
        .toBe(true);
      await expect(page.getByTestId('campaign-state')).toHaveAttribute('data-state', 'completed', { timeout: 15_000 });
      await expect(page.getByTestId('detail-processed')).toHaveText(
        new RegExp(`^${GOOD.length + BAD.length}\\D+${GOOD.length + BAD.length}$`),
      );
      await expect(page.locator('[data-testid="campaign-alert"]:not([data-kind="completed"])')).toHaveCount(0);
      await page.screenshot({ path: path.join(SHOTS, `confirm-after-resend-${lang}.png`), fullPage: true });
    } finally {
      await serve.stop();
    }
  });
}
