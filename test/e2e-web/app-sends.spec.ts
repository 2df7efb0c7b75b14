import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { connectSandbox, importGuests } from './campaign-helpers';
import { callApi, startServe, tempDataDir } from '../support/harness';

// The app alone — no `pacer run` beside it — sends a campaign through the in-process Sandbox and
// shows the delivery webhooks arriving: the harness runs the same runtime as the desktop app.
const PHONES = ['+972500000001', '+972500000002', '+972500000003'];

const call = callApi;

test('the app sends a campaign and shows it delivered, with nothing else running', async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = tempDataDir('pacer-e2e-sends-');
  importGuests(dataDir, PHONES, 'marketing', 'shop signup');
  const serve = await startServe({ dataDir });
  try {
    await connectSandbox(page, serve);

    const campaign = await call<{ id: string }>(serve, 'campaigns:create', {
      name: 'Harness send',
      template: { name: 'spring_sale', language: 'en_US' },
      audience: 'all',
      params: { first_name: 'first_name|there', discount: '"20%"', end_date: '"April 30"' },
      header_media: { link: 'https://example.com/tents.jpg' },
    });
    await call(serve, 'campaigns:start', { id: campaign.id });

    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('campaign-row').first().click();
    // Delivered counts come only from the Sandbox's signed webhooks reaching this app's receiver.
    await expect(page.getByTestId('funnel-delivered')).toHaveAttribute('data-value', String(PHONES.length), { timeout: 60_000 });
    await page.screenshot({ path: path.join(SHOTS, 'app-sends-delivered-en.png'), fullPage: true });
  } finally {
    await serve.stop();
  }
});
