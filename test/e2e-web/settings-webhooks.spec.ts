import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';

const LANGS = [
  {
    lang: 'en',
    dir: 'ltr',
    couldNotRun: 'The test could not run',
    passed: 'Test passed',
    ignored: '2 events ignored',
    oneError: '1 error',
  },
  {
    lang: 'he',
    dir: 'rtl',
    couldNotRun: 'לא ניתן היה להריץ את הבדיקה',
    passed: 'הבדיקה עברה',
    ignored: '2 אירועים לא הוחלו',
    oneError: 'שגיאה אחת',
  },
] as const;

/** Calls a contract method through the same bridge the page uses (the access token is in sessionStorage). */
async function call<T = unknown>(page: Page, method: string, input: unknown): Promise<T> {
  const r = await page.evaluate(
    async ([m, i]) => {
      const token = sessionStorage.getItem('pacer.token')!;
      const res = await fetch(`/api/call/${m}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-pacer-token': token },
        body: JSON.stringify(i),
      });
      return (await res.json()) as { ok: boolean; value: unknown };
    },
    [method, input] as const,
  );
  expect(r.ok).toBe(true);
  return r.value as T;
}

const setSecret = (page: Page, name: string, value: string) => call(page, 'secrets:set', { name, value });

/** Posts a body to the receiver signed as Meta signs it. */
async function postSigned(url: string, doc: unknown, secret: string) {
  const body = JSON.stringify(doc);
  const sig = `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig }, body });
  expect(res.status).toBe(200);
}

for (const l of LANGS) {
  test.describe(`settings webhooks in ${l.lang}`, () => {
    // Tall enough for the whole card, so its screenshots are not cut.
    test.use({
      settings: { language: l.lang },
      permissions: ['clipboard-read', 'clipboard-write'],
      viewport: { width: 1280, height: 1600 },
    });

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

    test('shows events of another account as ignored, and errors Meta reported', async ({ page, serve }) => {
      await page.goto(serve.url);
      const status = await call<{ connection: { wabaId: string; phoneNumberId: string } }>(page, 'account:use-sandbox', {});
      const secret = 'e2e-webhook-app-secret';
      await setSecret(page, 'app_secret', secret);
      await page.getByTestId('nav-settings').click();
      const card = page.getByTestId('settings-webhooks');
      const url = (await card.getByTestId('webhook-url').textContent())!.trim();
      await expect(card.getByTestId('webhook-ignored')).toHaveCount(0);

      // Another WABA's capability update (Meta's docs example) and template update: kept, not applied.
      const now = Math.floor(Date.now() / 1000);
      const entry = (id: string, field: string, value: Record<string, unknown>) => ({
        object: 'whatsapp_business_account',
        entry: [{ id, time: now, changes: [{ field, value }] }],
      });
      await postSigned(
        url,
        entry('102290129340398', 'business_capability_update', { max_daily_conversations_per_business: 'TIER_UNLIMITED' }),
        secret,
      );
      await postSigned(
        url,
        entry('102290129340398', 'message_template_status_update', {
          event: 'PAUSED',
          message_template_id: 1,
          message_template_name: 'x',
          message_template_language: 'en_US',
        }),
        secret,
      );
      await postSigned(
        url,
        entry(status.connection.wabaId, 'messages', {
          messaging_product: 'whatsapp',
          metadata: { phone_number_id: status.connection.phoneNumberId },
          errors: [{ code: 131000, title: 'Something went wrong' }],
        }),
        secret,
      );

      await expect(async () => {
        await page.reload();
        await page.getByTestId('nav-settings').click();
        await expect(card.getByTestId('webhook-ignored-foreign')).toContainText(l.ignored, { timeout: 1000 });
      }).toPass();
      await expect(card.getByTestId('webhook-ignored-last')).toContainText('102290129340398');
      await expect(card.getByTestId('webhook-value-errors')).toContainText(l.oneError);
      await expect(card.getByTestId('webhook-value-errors-last')).toContainText('#131000 Something went wrong');
      const account = await call<{ portfolio: { messagingLimit: string } }>(page, 'account:status', {});
      expect(account.portfolio.messagingLimit).not.toBe('TIER_UNLIMITED');
      await card.getByTestId('webhook-ignored').screenshot({ path: path.join(SHOTS, `settings-webhooks-ignored-${l.lang}.png`) });
    });
  });
}
