import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openDataDirStore } from '../support/store';
import { test, expect, SHOTS } from './fixtures';
import { PACER_BIN, REPO, startServe, tempDataDir } from '../support/harness';

// A contact whose number changed hands is held from sends until the marketer confirms it: in the
// drawer (banner + Confirm) and from the CLI (`pacer contacts confirm-number`).
const DANA = '+972500000001';
const NOA = '+972500000002';

function pacer(dataDir: string, args: string[]) {
  return spawnSync(process.execPath, [PACER_BIN, '--data-dir', dataDir, ...args], { cwd: REPO, encoding: 'utf8' });
}

for (const lang of ['en', 'he'] as const) {
  test(`a held contact is shown and released by the marketer (${lang})`, async ({ page }) => {
    const dataDir = tempDataDir('pacer-e2e-hold-');
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: lang }));
    const csv = path.join(tempDataDir('pacer-csv-'), 'c.csv');
    fs.writeFileSync(csv, `first_name,last_name,phone\nDana,Cohen,${DANA}\nNoa,Levi,${NOA}\n`);
    expect(pacer(dataDir, ['import', csv, '--consent', 'marketing', '--consent-source', 'form', '--json']).status).toBe(0);
    // What the webhook handler records when WhatsApp reports `user_changed_number` for both numbers.
    const db = openDataDirStore(dataDir);
    const ids = db.prepare('SELECT id, phone FROM contacts ORDER BY id').all() as { id: number; phone: string }[];
    for (const c of ids)
      db.prepare(
        "INSERT INTO contact_holds (contact_id, reason, detail, held_at) VALUES (?, 'user_changed_number', 'system: user changed number', ?)",
      ).run(c.id, Date.now());
    db.close();

    // The CLI releases Noa.
    const cli = pacer(dataDir, ['contacts', 'confirm-number', NOA, '--json']);
    expect(cli.status, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ released: true, contact: { phone: NOA } });

    const serve = await startServe({ dataDir });
    try {
      await page.goto(serve.url);
      await page.getByTestId('nav-contacts').click();
      await page.locator(`[data-phone="${NOA}"]`).click();
      await expect(page.getByTestId('drawer-phone')).toHaveText(NOA);
      await expect(page.getByTestId('drawer-hold')).toHaveCount(0);
      await page.locator(`[data-phone="${DANA}"]`).click();
      await expect(page.getByTestId('drawer-phone')).toHaveText(DANA);
      await expect(page.getByTestId('drawer-hold')).toBeVisible();
      await page.screenshot({ path: path.join(SHOTS, `contacts-hold-${lang}.png`) });
      await page.getByTestId('drawer-confirm-number').click();
      await expect(page.getByTestId('drawer-hold')).toHaveCount(0);
    } finally {
      await serve.stop();
    }
    // Released for good: the store has no hold left.
    const after = openDataDirStore(dataDir, { readonly: true });
    expect(after.prepare('SELECT count(*) AS n FROM contact_holds').get()).toEqual({ n: 0 });
    after.close();
  });
}
