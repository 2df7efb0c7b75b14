import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';
import { PACER_BIN, REPO, callApi, startServe, tempDataDir } from '../support/harness';
import { freePort, startChild } from './campaign-helpers';
import { SANDBOX_ACCESS_TOKEN, SANDBOX_APP_SECRET, SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID } from '../../electron/core/sandbox/index';

/*
 * The sending guarantees as a marketer meets them: a contact erased after the campaign started is
 * skipped (and says so in the recipients table), and a token that expired while sending pauses the
 * campaign; Resume is then refused with the reason, in the app's language — Hebrew and Chinese.
 */

const PHONES = ['+972500000001', '+972500000002', '+972500000003', '+972500000004'];

function pacer(dataDir: string, args: string[]): string {
  const r = spawnSync(process.execPath, [PACER_BIN, '--data-dir', dataDir, ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`pacer ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

async function sandbox(webhookPort: number) {
  const c = await startChild(['sandbox', '--port', '0', '--webhook-url', `http://127.0.0.1:${webhookPort}/webhook`, '--seed', '5']);
  return { url: c.first.base_url as string, stop: c.stop };
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

test('an erased contact is skipped with its reason; Resume after a token expired mid-send is refused with the reason (he, zh-TW)', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const dataDir = tempDataDir('pacer-e2e-guarantees-');
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: 'he' }));
  const csv = path.join(tempDataDir('pacer-csv-'), 'guests.csv');
  fs.writeFileSync(csv, `first_name,phone\n${PHONES.map((p, i) => `אורח${i},${p}`).join('\n')}\n`);
  pacer(dataDir, ['import', csv, '--consent', 'utility', '--consent-source', 'e2e', '--json']);
  const webhookPort = await freePort();
  const sb = await sandbox(webhookPort);
  try {
    let serve = await startServe({ dataDir });
    try {
      await callApi(serve, 'account:connect', {
        graphUrl: sb.url,
        wabaId: SANDBOX_WABA_ID,
        phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
        accessToken: SANDBOX_ACCESS_TOKEN,
        appSecret: SANDBOX_APP_SECRET,
      });
      await callApi(serve, 'templates:sync', {});
    } finally {
      await serve.stop();
    }
    // Created and started from the CLI, which does not send (the harness would start sending at once).
    const created = JSON.parse(
      pacer(dataDir, [
        'campaign',
        'create',
        '--name',
        'תזכורות',
        '--template',
        'appointment_reminder',
        '--language',
        'he',
        '--audience',
        'all',
        '--param',
        '1=first_name|"חבר"',
        '--param',
        '2="תל אביב"',
        '--param',
        '3="12/05 10:30"',
        '--json',
      ]),
    ) as { id: string };
    const id = created.id;
    pacer(dataDir, ['campaign', 'start', id, '--json']);
    // The person asked to be erased before their message went out; then Meta stops taking the token.
    pacer(dataDir, ['contacts', 'delete', PHONES[3]!, '--json']);
    const r = await fetch(`${sb.url}/__admin/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'expired' }),
    });
    expect(r.ok).toBe(true);
    pacer(dataDir, ['run', '--until-idle', '--webhook-port', String(webhookPort), '--json']);

    serve = await startServe({ dataDir });
    try {
      await page.goto(serve.url);
      await page.getByTestId('nav-campaigns').click();
      await expect(page.getByTestId('campaign-row').getByTestId('campaign-state')).toHaveAttribute('data-state', 'paused');
      await page.getByTestId('campaign-row').click();
      await expect(page.getByTestId('campaign-alert')).toHaveAttribute('data-reason', 'account_halted');
      await expect(page.getByTestId('recipients')).toContainText('נמחק לבקשתו');
      await page.getByTestId('campaign-resume').click();
      const toast = page.getByTestId('toast-error').last();
      await expect(toast).toContainText('אי אפשר לחדש');
      await expect(toast).toContainText('190');
      await expect(toast).not.toContainText('token_expired');
      await shot(page, 'campaign-resume-refused-he.png');

      await callApi(serve, 'settings:update', { language: 'zh-TW' });
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW');
      await expect(page.getByTestId('recipients')).toContainText('已應要求刪除');
      await page.getByTestId('campaign-resume').click();
      const zh = page.getByTestId('toast-error').last();
      await expect(zh).toContainText('無法繼續');
      await expect(zh).not.toContainText('token_expired');
      await shot(page, 'campaign-resume-refused-zh-TW.png');
      expect(id).not.toBe('');
    } finally {
      await serve.stop();
    }
  } finally {
    await sb.stop();
  }
});
