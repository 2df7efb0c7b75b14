import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';

const LANGS = [
  { lang: 'en', dir: 'ltr', couldNotRun: 'The test could not run', passed: 'Test passed' },
  { lang: 'he', dir: 'rtl', couldNotRun: 'לא ניתן היה להריץ את הבדיקה', passed: 'הבדיקה עברה' },
] as const;

/** Sets a secret through the same bridge the page uses (the access token is in sessionStorage). */
async function setSecret(page: Page, name: string, value: string) {
  const r = await page.evaluate(async ([n, v]) => {
    const token = sessionStorage.getItem('pacer.token')!;
    const res = await fetch('/api/call/secrets:set', { method: 'POST', headers: { 'content-type': 'application/json', 'x-pacer-token': token }, body: JSON.stringify({ name: n, value: v }) });
    return (await res.json()) as { ok: boolean };
  }, [name, value] as const);
  expect(r.ok).toBe(true);
}

for (const l of LANGS) {
  test.describe(`settings webhooks in ${l.lang}`, () => {
    // Tall enough for the whole card, so its screenshots are not cut.
    test.use({ settings: { language: l.lang }, permissions: ['clipboard-read', 'clipboard-write'], viewport: { width: 1280, height: 1600 } });

    test('shows the receiver, copies the token, and tests without and with an app secret', async ({ page, serve }) => {
      await page.goto(serve.url);
      await page.getByTestId('nav-settings').click();
      const card = page.getByTestId('settings-webhooks');
      await expect(card).toBeVisible();

      // `pacer serve` runs the receiver on a free port: the URL is the real one.
      const url = card.getByTestId('webhook-url');
      await expect(url).toContainText('http://127.0.0.1:');
      await expect(url).toContainText('/webhook');
      const port = new URL((await url.textContent())!).port;
      await expect(card.getByTestId('webhook-port')).toHaveText(port);
      await expect(card.getByTestId('webhook-receiver-state')).toHaveClass(/green/);
      await expect(card.getByTestId('webhook-help')).toContainText(`http://127.0.0.1:${port}`);

      // URL and token read left-to-right even in Hebrew.
      for (const id of ['webhook-url', 'webhook-verify-token']) {
        expect(await card.getByTestId(id).evaluate((e) => getComputedStyle(e).direction)).toBe('ltr');
      }
      const token = (await card.getByTestId('webhook-verify-token').textContent())!.trim();
      expect(token.length).toBeGreaterThan(8);
      await card.getByTestId('webhook-copy-token').click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

      // Without an app secret the core refuses to run the test and says why.
      await expect(card.getByTestId('webhook-secret-warning')).toBeVisible();
      await card.getByTestId('webhook-test').click();
      const result = card.getByTestId('webhook-test-result');
      await expect(result).toHaveAttribute('data-ok', 'false');
      await expect(result).toContainText(l.couldNotRun);
      await expect(card.getByTestId('webhook-test-error')).toContainText('app secret is not set');
      await card.screenshot({ path: path.join(SHOTS, `settings-webhooks-no-secret-${l.lang}.png`) });

      if (l.dir === 'rtl') {
        // The labels sit at the start edge: right of their values in Hebrew.
        const dt = (await card.locator('dl.kv dt').first().boundingBox())!;
        const dd = (await card.locator('dl.kv dd').first().boundingBox())!;
        expect(dt.x).toBeGreaterThan(dd.x);
      }

      // With the app secret the whole path passes: handshake, unsigned refused, signed, stored, processed.
      await setSecret(page, 'app_secret', 'e2e-webhook-app-secret');
      await card.getByTestId('webhook-test').click();
      await expect(result).toHaveAttribute('data-ok', 'true');
      await expect(result).toContainText(l.passed);
      for (const step of ['handshake', 'unsigned_refused', 'signed_post', 'stored', 'processed']) {
        await expect(result.getByTestId(`webhook-step-${step}`)).toHaveAttribute('data-ok', 'true');
      }
      await expect(card.getByTestId('webhook-secret-warning')).toHaveCount(0);

      await card.screenshot({ path: path.join(SHOTS, `settings-webhooks-${l.lang}.png`) });
    });
  });
}
