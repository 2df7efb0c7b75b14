import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { PACER_BIN, REPO, startServe, tempDataDir } from '../support/harness';

// Settings → webhook data retention and the audit trail (issue #14), in en / he / zh-TW: the
// trail of a seeded folder (import, opt-out, erasure) shows translated actions, actors and
// details, filters by action and text, exports CSV; the retention period is edited and applied.
const DANA = '+972500000001';

function pacer(dataDir: string, args: string[]) {
  return spawnSync(process.execPath, [PACER_BIN, '--data-dir', dataDir, ...args], { cwd: REPO, encoding: 'utf8' });
}

const TEXT = {
  en: {
    imported: 'Contacts imported',
    optedOut: 'Opted out',
    erased: 'Contact erased',
    cli: 'Command line',
    request: "At the person's request",
    days: 'days',
  },
  he: {
    imported: 'אנשי קשר יובאו',
    optedOut: 'הסרה מרשימה',
    erased: 'איש קשר נמחק',
    cli: 'שורת הפקודה',
    request: 'לבקשת האדם',
    days: 'ימים',
  },
  'zh-TW': { imported: '已匯入聯絡人', optedOut: '已選擇退出', erased: '已清除聯絡人', cli: '命令列', request: '應當事人要求', days: '天' },
} as const;

for (const lang of ['en', 'he', 'zh-TW'] as const) {
  test(`settings: webhook data retention and the audit trail (${lang})`, async ({ page }) => {
    const T = TEXT[lang];
    const dataDir = tempDataDir('pacer-e2e-privacy-');
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: lang, defaultCountry: 'IL' }));
    const csv = path.join(tempDataDir('pacer-csv-'), 'customers.csv');
    fs.writeFileSync(csv, `first_name,last_name,phone\nDana,Cohen,${DANA}\nYossi,Levi,+972500000002\n`);
    for (const args of [
      ['import', csv, '--json'],
      ['contacts', 'opt-out', '+972500000002', '--category', 'marketing'],
      ['contacts', 'delete', DANA],
    ]) {
      const r = pacer(dataDir, args);
      expect(r.status, r.stderr).toBe(0);
    }
    await page.setViewportSize({ width: 1280, height: 1800 });
    const serve = await startServe({ dataDir });
    try {
      await page.goto(serve.url);
      await page.getByTestId('nav-settings').click();

      // Retention: default 30 days, edited to 14, saved, clean-up run now.
      const ret = page.getByTestId('settings-retention');
      await expect(ret.getByTestId('retention-days')).toHaveValue('30');
      await expect(ret).toContainText(T.days);
      await ret.getByTestId('retention-days').fill('0');
      await expect(ret.getByTestId('retention-save')).toBeDisabled();
      await ret.getByTestId('retention-days').fill('14');
      await ret.getByTestId('retention-save').click();
      await expect(ret.getByTestId('retention-save')).toBeDisabled();
      await ret.getByTestId('retention-prune').click();
      await expect(ret.getByTestId('retention-last-run')).not.toHaveText('');
      const settings = JSON.parse(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8')) as { webhookRetentionDays: number };
      expect(settings.webhookRetentionDays).toBe(14);
      await ret.screenshot({ path: path.join(SHOTS, `settings-retention-${lang}.png`) });

      // The trail: newest first, translated.
      const audit = page.getByTestId('settings-audit');
      const rows = audit.getByTestId('audit-row');
      await expect(rows.first()).toBeVisible();
      const actions = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
      expect(actions).toEqual(expect.arrayContaining(['contacts.imported', 'consent.opted_out', 'contact.erased']));
      const erased = audit.locator('[data-action="contact.erased"]');
      await expect(erased.locator('td').nth(1)).toHaveText(T.erased);
      await expect(erased.locator('td').nth(2)).toHaveText(T.cli);
      await expect(erased.locator('td').nth(4)).toHaveText(T.request);
      await expect(erased.locator('td').nth(3)).toHaveText(/^[\w-]{43}$/); // the keyed hash, never the number
      await expect(audit).not.toContainText('500000001');
      await expect(audit.locator('[data-action="contacts.imported"] td').nth(1)).toHaveText(T.imported);
      if (lang !== 'en') {
        // No raw internal value on a Hebrew or Chinese screen.
        for (const raw of ['opted_out', 'marketing', 'manual', 'contacts.imported', 'cli'])
          await expect(audit.locator('tbody')).not.toContainText(raw);
      }
      await audit.screenshot({ path: path.join(SHOTS, `settings-audit-${lang}.png`) });

      // Filters: by action, then by text.
      await audit.getByTestId('audit-action').selectOption('consent.opted_out');
      await expect(rows).toHaveCount(1);
      await expect(rows.first().locator('td').nth(1)).toHaveText(T.optedOut);
      await expect(rows.first().locator('td').nth(3)).toHaveText('+972500000002');
      await audit.getByTestId('audit-action').selectOption('');
      await audit.getByTestId('audit-text').fill('customers.csv');
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toHaveAttribute('data-action', 'contacts.imported');
      await audit.getByTestId('audit-text').fill('');

      // Export: a CSV download, audited.
      const download = page.waitForEvent('download');
      await audit.getByTestId('audit-export').click();
      const file = await (await download).path();
      const content = fs.readFileSync(file!, 'utf8');
      expect(content.replace(/^\ufeff/, '').split('\r\n')[0]).toBe('at,actor,action,subject,detail');
      await expect(audit.locator('[data-action="audit.exported"]')).toHaveCount(1);

      if (lang === 'he') {
        expect(await audit.evaluate((e) => getComputedStyle(e).direction)).toBe('rtl');
        expect(
          await erased
            .locator('td')
            .nth(3)
            .evaluate((e) => getComputedStyle(e).direction),
        ).toBe('ltr');
      }
    } finally {
      await serve.stop();
    }
  });
}
