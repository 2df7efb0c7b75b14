import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { PACER_BIN, REPO, callApi, startServe, tempDataDir } from '../support/harness';

// The app alone — no `pacer run` beside it — sends a campaign through the in-process Sandbox and
// shows the delivery webhooks arriving: the harness runs the same runtime as the desktop app.
const PHONES = ['+972500000001', '+972500000002', '+972500000003'];

const call = callApi;

test('the app sends a campaign and shows it delivered, with nothing else running', async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = tempDataDir('pacer-e2e-sends-');
  const csv = path.join(tempDataDir('pacer-csv-'), 'customers.csv');
  fs.writeFileSync(csv, `first_name,phone\n${PHONES.map((p, i) => `Guest${i},${p}`).join('\n')}\n`);
  const imp = spawnSync(process.execPath, [PACER_BIN, '--data-dir', dataDir, 'import', csv, '--consent', 'marketing', '--consent-source', 'shop signup', '--json'], { cwd: REPO, encoding: 'utf8' });
  expect(imp.status, imp.stderr).toBe(0);
  const serve = await startServe({ dataDir });
  try {
    await page.goto(serve.url);
    await page.getByTestId('nav-account').click();
    await page.getByTestId('use-sandbox').click();
    await expect.poll(async () => (await call<unknown[]>(serve, 'templates:list', {})).length, { timeout: 30_000 }).toBeGreaterThan(5);

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
