import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { expectCounts, runImportWizard } from './contacts-helpers';
import { PACER_BIN, REPO, startServe, tempDataDir } from '../support/harness';

// A person erased at their request (`pacer contacts delete`) is not imported again: the wizard's
// dry run lists their row as rejected, with the reason and the erasure date in the UI language.
const DANA = '+972500000001';

function pacer(dataDir: string, args: string[]) {
  return spawnSync(process.execPath, [PACER_BIN, '--data-dir', dataDir, ...args], { cwd: REPO, encoding: 'utf8' });
}

const EXPECTED = {
  en: /^Erased at the person's request on .+ — not re-imported$/,
  he: /^נמחק לבקשת האדם ב־.+ — לא מיובא מחדש$/,
  'zh-TW': /^已於 .+ 應當事人要求刪除 — 不會重新匯入$/,
} as const;

for (const lang of ['en', 'he', 'zh-TW'] as const) {
  test(`an erased number is rejected by the import wizard with the reason (${lang})`, async ({ page }) => {
    const dataDir = tempDataDir('pacer-e2e-erasure-');
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: lang, defaultCountry: 'IL' }));
    const csv = path.join(tempDataDir('pacer-csv-'), 'c.csv');
    fs.writeFileSync(csv, `first_name,last_name,phone\nDana,Cohen,${DANA}\n`);
    expect(pacer(dataDir, ['import', csv, '--json']).status).toBe(0);
    const del = pacer(dataDir, ['contacts', 'delete', DANA]);
    expect(del.status, del.stderr).toBe(0);

    const serve = await startServe({ dataDir });
    try {
      await page.goto(serve.url);
      await page.getByTestId('nav-contacts').click();
      const text = ['Phone,First name,Last name', '050-000-0001,Dana,Cohen', '052-765-4321,Yossi,Levi'].join('\n');
      await runImportWizard(
        page,
        { name: 'crm-export.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8'), encoding: 'utf-8' },
        `erasure-${lang}`,
      );
      await expectCounts(page, { rows: 2, imported: 1, invalid: 1 });
      const row = page.locator('[data-testid="rejected-row"][data-code="erased"]');
      await expect(row).toHaveCount(1);
      await expect(row.locator('td').first()).toHaveText('2');
      await expect(row.locator('td').nth(1)).toHaveText(EXPECTED[lang]);
      await page.screenshot({ path: path.join(SHOTS, `contacts-import-erased-${lang}.png`) });
      await page.getByTestId('wizard-import').click();
      await expect(page.getByTestId('import-summary')).toBeVisible();
      await expectCounts(page, { imported: 1, invalid: 1 });
      await page.getByTestId('wizard-finish').click();
      await expect(page.getByTestId('contact-row')).toHaveCount(1);
      await expect(page.locator(`[data-phone="${DANA}"]`)).toHaveCount(0);
    } finally {
      await serve.stop();
    }
  });
}

// The person asked to come back: from the dry-run report the user allows the number again (typed,
// with a reason), goes back one step and checks the file again — now it is imported.
for (const lang of ['en', 'he', 'zh-TW'] as const) {
  test(`an erased number is allowed again from the import report, then imported (${lang})`, async ({ page }) => {
    const dataDir = tempDataDir('pacer-e2e-erasure-lift-');
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: lang, defaultCountry: 'IL' }));
    const csv = path.join(tempDataDir('pacer-csv-'), 'c.csv');
    fs.writeFileSync(csv, `first_name,last_name,phone\nDana,Cohen,${DANA}\n`);
    expect(pacer(dataDir, ['import', csv, '--json']).status).toBe(0);
    expect(pacer(dataDir, ['contacts', 'delete', DANA]).status).toBe(0);

    const serve = await startServe({ dataDir });
    try {
      await page.goto(serve.url);
      await page.getByTestId('nav-contacts').click();
      const text = ['Phone,First name,Last name', '050-000-0001,Dana,Cohen', '052-765-4321,Yossi,Levi'].join('\n');
      await runImportWizard(
        page,
        { name: 'crm-export.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8'), encoding: 'utf-8' },
        `erasure-lift-${lang}`,
      );
      await expectCounts(page, { rows: 2, imported: 1, invalid: 1 });

      await page.getByTestId('lift-erasure-open').click();
      const dialog = page.getByTestId('lift-erasure-dialog');
      await expect(dialog).toBeVisible();
      await expect(page.getByTestId('lift-erasure-ok')).toBeDisabled(); // a reason is required
      // A number that was never erased: said so, nothing changes.
      await page.getByTestId('lift-erasure-phone').fill('052-765-4321');
      await page
        .getByTestId('lift-erasure-reason')
        .fill({ en: 'signed up again at the store', he: 'נרשמה שוב בחנות', 'zh-TW': '在門市重新登記' }[lang]);
      await page.getByTestId('lift-erasure-ok').click();
      await expect(page.getByTestId('lift-erasure-error')).toHaveText(
        { en: 'This number has no erasure record.', he: 'למספר הזה אין רשומת מחיקה.', 'zh-TW': '此號碼沒有刪除記錄。' }[lang],
      );
      await page.getByTestId('lift-erasure-phone').fill('050-000-0001');
      await page.screenshot({ path: path.join(SHOTS, `contacts-lift-erasure-${lang}.png`) });
      await page.getByTestId('lift-erasure-ok').click();
      await expect(dialog).toHaveCount(0);

      // Back to the options, check again: both rows import now.
      await page.getByTestId('wizard-back').click();
      await page.getByTestId('wizard-check').click();
      await expectCounts(page, { rows: 2, imported: 2, invalid: 0 });
      await page.getByTestId('wizard-import').click();
      await expect(page.getByTestId('import-summary')).toBeVisible();
      await page.getByTestId('wizard-finish').click();
      await expect(page.getByTestId('contact-row')).toHaveCount(2);
    } finally {
      await serve.stop();
    }
  });
}
