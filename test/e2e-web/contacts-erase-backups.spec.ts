import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { PACER_BIN, REPO, startServe, tempDataDir } from '../support/harness';

// Erasing a contact from the drawer when Pacer had made a backup of the store (issue #14 item 2,
// docs/security.md "Backups and erasure"): the backup still held the person, so it is removed, the
// toast says so in the app's language, and the audit trail shows a translated "backups removed".
const DANA = '+972500000001';

function pacer(dataDir: string, args: string[]) {
  return spawnSync(process.execPath, [PACER_BIN, '--data-dir', dataDir, ...args], { cwd: REPO, encoding: 'utf8' });
}

const TEXT = {
  en: {
    toast: '1 backup Pacer had made still held this person and was removed',
    action: 'Backups removed',
    summary: '1 backup made before an erasure',
  },
  he: {
    toast: 'גיבוי שיצר Pacer עדיין הכיל את האדם הזה ולכן נמחק',
    action: 'גיבויים נמחקו',
    summary: 'גיבוי אחד שנוצר לפני מחיקה לבקשת אדם',
  },
  'zh-TW': { toast: 'Pacer 先前建立的 1 份備份仍含有此人的資料', action: '已移除備份', summary: '1 份在清除前建立的備份' },
} as const;

for (const lang of ['en', 'he', 'zh-TW'] as const) {
  test(`contacts: erasing removes the backups Pacer made, and says so (${lang})`, async ({ page }) => {
    const T = TEXT[lang];
    const dataDir = tempDataDir('pacer-e2e-erase-backups-');
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: lang, defaultCountry: 'IL' }));
    const csv = path.join(tempDataDir('pacer-csv-'), 'customers.csv');
    fs.writeFileSync(csv, `first_name,last_name,phone\nDana,Cohen,${DANA}\nYossi,Levi,+972500000002\n`);
    const r = pacer(dataDir, ['import', csv, '--json']);
    expect(r.status, r.stderr).toBe(0);
    // A backup as a migration makes it (the store as it was, holding Dana).
    fs.mkdirSync(path.join(dataDir, 'backups'), { recursive: true });
    fs.copyFileSync(path.join(dataDir, 'pacer.db'), path.join(dataDir, 'backups', 'pacer-v16-1.db'));

    const serve = await startServe({ dataDir });
    try {
      await page.goto(serve.url);
      await page.getByTestId('nav-contacts').click();
      await page.locator(`[data-phone="${DANA}"]`).click();
      const drawer = page.getByTestId('contact-drawer');
      await expect(drawer.getByTestId('drawer-phone')).toHaveText(DANA);
      await drawer.getByTestId('drawer-delete').click();
      await page.getByTestId('delete-confirm-ok').click();
      const toast = page.getByTestId('toast-success');
      await expect(toast).toContainText(T.toast);
      await toast.screenshot({ path: path.join(SHOTS, `contacts-erase-backups-toast-${lang}.png`) });
      expect(fs.readdirSync(path.join(dataDir, 'backups'))).toEqual([]);

      await page.getByTestId('nav-settings').click();
      const row = page.getByTestId('settings-audit').locator('[data-action="backups.removed"]');
      await expect(row.locator('td').nth(1)).toHaveText(T.action);
      await expect(row.locator('td').nth(4)).toHaveText(T.summary);
      if (lang !== 'en') await expect(row).not.toContainText('backups.removed');
      await page.getByTestId('settings-audit').screenshot({ path: path.join(SHOTS, `contacts-erase-backups-audit-${lang}.png`) });
    } finally {
      await serve.stop();
    }
  });
}
