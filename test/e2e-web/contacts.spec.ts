import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { test, expect } from './fixtures';
import { contactFile, expectCounts, pacerCli, runImportWizard, shot, writeLargeCsv } from './contacts-helpers';

// `tag` is the tag written in each language's file (on Dana and Mei).
const LANGS = [
  { lang: 'en', dir: 'ltr', search: '052-765', tag: 'customers' },
  { lang: 'he', dir: 'rtl', search: '052-765', tag: 'לקוחות' },
  { lang: 'zh-TW', dir: 'ltr', search: '052-765', tag: '客戶' },
] as const;

// Dana (+972547654321) and Yossi (+972527654321) from Israel, Mei (+886912345678) from Taiwan.
const DANA = '+972547654321';
const YOSSI = '+972527654321';
const MEI = '+886912345678';

for (const l of LANGS) {
  test.describe(`contacts in ${l.lang}`, () => {
    test.use({ settings: { language: l.lang, defaultCountry: 'IL' } });

    test('import wizard → table → search → drawer opt-out → bulk delete', async ({ page, serve }) => {
      await page.goto(serve.url);
      await page.getByTestId('nav-contacts').click();
      await expect(page.getByTestId('empty-state')).toBeVisible();
      await shot(page, `contacts-empty-${l.lang}`);

      const file = contactFile(l.lang);
      await runImportWizard(page, file, l.lang, { consentSource: 'Web sign-up form 2025', tags: ['spring'] });
      // Dry run: nothing written yet; the duplicate and the row without a phone are explained.
      await expectCounts(page, { rows: 5, imported: 3, updated: 0, duplicates: 1, invalid: 1, skipped: 0 });
      // Row numbers as the spreadsheet shows them (the header is row 1).
      await expect(page.getByTestId('rejected-row').locator('td:first-child')).toHaveText(['4', '5']);

      // The rejected rows download as CSV built in the browser.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-rejected').click()]);
      const csv = fs.readFileSync((await download.path())!, 'utf8');
      expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);

      await page.getByTestId('wizard-import').click();
      await expect(page.getByTestId('import-summary')).toBeVisible();
      await expectCounts(page, { rows: 5, imported: 3, updated: 0, duplicates: 1, invalid: 1, skipped: 0 });
      await page.screenshot({ path: `test-results/screenshots/contacts-wizard-7-summary-${l.lang}.png` });
      await page.getByTestId('wizard-finish').click();

      // The table shows exactly the imported contacts.
      const rows = page.getByTestId('contact-row');
      await expect(rows).toHaveCount(3);
      for (const phone of [DANA, YOSSI, MEI]) await expect(page.locator(`[data-phone="${phone}"]`)).toBeVisible();
      await expect(page.getByTestId('contacts-count')).toContainText('3');
      await expect(page.locator('html')).toHaveAttribute('dir', l.dir);
      await shot(page, `contacts-table-${l.lang}`);

      // Search by a phone fragment typed the way people write it locally.
      await page.getByTestId('contacts-search').fill(l.search);
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toHaveAttribute('data-phone', YOSSI);
      await page.getByTestId('contacts-search').fill('');
      await expect(rows).toHaveCount(3);

      // Filters: a tag from the file, a country, then back to everyone.
      await page.getByTestId('filter-tag').selectOption(l.tag);
      await expect(rows).toHaveCount(2);
      await expect(page.locator(`[data-phone="${YOSSI}"]`)).toHaveCount(0);
      await page.getByTestId('filter-country').selectOption('TW');
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toHaveAttribute('data-phone', MEI);
      await page.getByTestId('filters-clear').click();
      await expect(rows).toHaveCount(3);

      // Bulk tag one selected contact.
      await page.locator(`[data-phone="${YOSSI}"]`).getByTestId('row-select').check();
      await page.getByTestId('bulk-tag').click();
      await page.getByTestId('bulk-tag-input').fill('vip');
      await page.getByTestId('bulk-tag-add').click();
      await expect(page.getByTestId('bulk-confirm-text')).toContainText('vip');
      await page.getByTestId('bulk-confirm-ok').click();
      await expect(page.locator(`[data-phone="${YOSSI}"]`)).toContainText('vip');
      await expect(page.getByTestId('bulk-bar')).toBeHidden();

      // Export what the table shows as CSV.
      await page.getByTestId('export-open').click();
      const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
      const exportedCsv = fs.readFileSync((await csvDownload.path())!, 'utf8');
      for (const phone of [DANA, YOSSI, MEI]) expect(exportedCsv).toContain(phone.slice(1));

      // Drawer: consent from the import, then an opt-out that lands in the history.
      await page.locator(`[data-phone="${DANA}"]`).click();
      const drawer = page.getByTestId('contact-drawer');
      await expect(drawer.getByTestId('drawer-phone')).toHaveText(DANA);
      await expect(drawer.getByTestId('drawer-consent-marketing').getByTestId('consent-marketing')).toHaveAttribute(
        'data-state',
        'opted_in',
      );
      await expect(drawer.getByTestId('consent-event')).toHaveCount(1);
      await expect(drawer.getByTestId('consent-history')).toContainText('Web sign-up form 2025');
      await drawer.getByTestId('opt-out-marketing').click();
      await expect(drawer.getByTestId('drawer-consent-marketing').getByTestId('consent-marketing')).toHaveAttribute(
        'data-state',
        'opted_out',
      );
      const latest = drawer.getByTestId('consent-event').first();
      await expect(latest).toHaveAttribute('data-state', 'opted_out');
      await expect(latest).toHaveAttribute('data-category', 'marketing');
      await expect(drawer.getByTestId('consent-event')).toHaveCount(2);
      // Mirrored in Hebrew: the drawer sits at the inline end (left in RTL, right otherwise).
      const box = (await drawer.boundingBox())!;
      if (l.dir === 'rtl') expect(box.x).toBeLessThan(10);
      else expect(box.x + box.width).toBeGreaterThan(1270);
      await shot(page, `contacts-drawer-${l.lang}`);
      // Data-subject export: everything about this contact as JSON, including the new opt-out.
      const [exported] = await Promise.all([page.waitForEvent('download'), drawer.getByTestId('drawer-export').click()]);
      expect(exported.suggestedFilename()).toMatch(/\.json$/);
      const subject = fs.readFileSync((await exported.path())!, 'utf8');
      expect(subject).toContain(DANA);
      expect(subject).toContain('opted_out');
      // Re-opting in needs a reason.
      await drawer.getByTestId('opt-in-marketing').click();
      await page.getByTestId('opt-in-source').fill('Phone call');
      await expect(page.getByTestId('opt-in-ok')).toBeDisabled();
      await shot(page, `contacts-opt-in-${l.lang}`);
      await page.getByTestId('modal-close').click();
      await drawer.getByTestId('drawer-close').click();
      await expect(drawer).toBeHidden();

      // Bulk delete: the confirmation states the count, then the rows are gone.
      await page.locator(`[data-phone="${DANA}"]`).getByTestId('row-select').check();
      await page.locator(`[data-phone="${YOSSI}"]`).getByTestId('row-select').check();
      await expect(page.getByTestId('bulk-count')).toContainText('2');
      await page.getByTestId('bulk-delete').click();
      await expect(page.getByTestId('bulk-confirm-text')).toContainText('2');
      await shot(page, `contacts-bulk-delete-${l.lang}`);
      await page.getByTestId('bulk-confirm-ok').click();
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toHaveAttribute('data-phone', MEI);
    });
  });
}

test('a bad file gets a clear error and the wizard stays on the file step', async ({ page, serve }) => {
  await page.goto(serve.url);
  await page.getByTestId('nav-contacts').click();
  await page.getByTestId('import-open').first().click();
  await page.getByTestId('import-file-input').setInputFiles({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
  await expect(page.getByTestId('wizard-error')).toBeVisible();
  await expect(page.getByTestId('wizard-error')).toContainText(/empty/i);
  await expect(page.getByTestId('wizard-step-file')).toBeVisible();
  await shot(page, 'contacts-wizard-error-en');
});

test('an Excel workbook: the sheet is chosen in the preview and its rows are imported', async ({ page, serve }) => {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Notes').addRows([['Read me'], ['This sheet has no contacts']]);
  const people = wb.addWorksheet('Customers');
  people.addRows([
    ['Mobile', 'Name', 'Joined'],
    ['054-7654321', 'Dana Cohen', new Date(Date.UTC(2024, 0, 15))],
    [972527654321, 'Yossi Levi', new Date(Date.UTC(2024, 2, 1))],
  ]);
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());

  await page.goto(serve.url);
  await page.getByTestId('nav-contacts').click();
  await page.getByTestId('import-open').first().click();
  await page
    .getByTestId('import-file-input')
    .setInputFiles({ name: 'customers.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  await expect(page.getByTestId('preview-format')).toHaveAttribute('data-format', 'xlsx');
  await expect(page.getByTestId('preview-encoding')).toHaveCount(0);
  await expect(page.getByTestId('preview-sheet')).toHaveValue('Notes');
  await page.getByTestId('preview-sheet').selectOption('Customers');
  await expect(page.getByTestId('preview-table')).toContainText('Dana Cohen');
  await shot(page, 'contacts-wizard-2-preview-xlsx-en');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('map-0')).toHaveValue('phone');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-check').click();
  await expectCounts(page, { rows: 2, imported: 2, invalid: 0 });
  await page.getByTestId('wizard-import').click();
  await expectCounts(page, { rows: 2, imported: 2 });
  await page.getByTestId('wizard-finish').click();
  await expect(page.getByTestId('contact-row')).toHaveCount(2);
  await expect(page.locator('[data-phone="+972527654321"]')).toContainText('Yossi Levi');
});

test.describe('a large store', () => {
  const N = 100_000;
  const dir = path.join(os.tmpdir(), `pacer-e2e-contacts-large-${process.pid}`);
  test.use({ dataDir: dir });
  test.setTimeout(180_000);

  test.beforeAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const csv = path.join(dir, 'seed.csv');
    writeLargeCsv(csv, N);
    const report = pacerCli(dir, ['import', csv, '--default-country', 'IL']) as { imported: number };
    expect(report.imported).toBe(N);
  });
  test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('scrolls to the bottom of 100,000 contacts and renders the last rows', async ({ page, serve }) => {
    await page.goto(serve.url);
    await page.getByTestId('nav-contacts').click();
    await expect(page.getByTestId('contacts-count')).toContainText('100,000');
    const grid = page.getByTestId('contacts-table');
    // Only a window of rows exists in the DOM, never the whole list.
    await expect(page.getByTestId('contact-row').first()).toBeVisible();
    expect(await page.getByTestId('contact-row').count()).toBeLessThan(100);

    await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    const last = page.locator(`[data-testid="contact-row"][data-index="${N - 1}"]`);
    await expect(last).toBeVisible();
    await expect(last).toHaveAttribute('data-phone', /^\+97250\d{7}$/);
    await expect(page.locator(`[data-testid="contact-row"][data-index="${N - 2}"]`)).toBeVisible();
    expect(await page.getByTestId('contact-row-loading').count()).toBe(0);
    await shot(page, 'contacts-large-bottom-en');

    // Jump to the middle: skeletons may show, then real rows arrive.
    await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
    await expect(page.locator(`[data-testid="contact-row"][data-index="${N / 2}"]`)).toBeVisible();
  });

  test('a long check shows progress and can be cancelled without changing anything', async ({ page, serve }) => {
    const big = path.join(dir, 'big.csv');
    writeLargeCsv(big, 600_000, 5_000_000);
    await page.goto(serve.url);
    await page.getByTestId('nav-contacts').click();
    await expect(page.getByTestId('contacts-count')).toContainText('100,000');
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-file-input').setInputFiles(big);
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-check').click();
    const bar = page.getByRole('progressbar');
    await expect(bar).toBeVisible();
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await shot(page, 'contacts-wizard-6-progress-en');
    await page.getByTestId('wizard-cancel').click();
    await expect(page.getByTestId('import-cancelled')).toBeVisible();
    await page.getByTestId('modal-close').click();
    await expect(page.getByTestId('contacts-count')).toContainText('100,000');
  });
});

test.describe('saving a big import', () => {
  test.use({ settings: { language: 'he', defaultCountry: 'IL' } });
  test.setTimeout(180_000);

  test('the bar keeps moving while the contacts are read and saved, and cancel is closed only for the commit (all or nothing)', async ({
    page,
    serve,
  }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-e2e-save-'));
    const big = path.join(dir, 'big.csv');
    writeLargeCsv(big, 150_000);
    await page.goto(serve.url);
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-file-input').setInputFiles(big);
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-check').click();
    await expectCounts(page, { rows: 150_000, imported: 150_000, invalid: 0 });
    // Every value the bar shows, and whether cancel was open at that moment, recorded in the page.
    await page.evaluate(() => {
      const w = window as unknown as { seen: { pct: number; cancelDisabled: boolean | null }[] };
      w.seen = [];
      new MutationObserver(() => {
        const bar = document.querySelector('[role="progressbar"]');
        if (!bar) return;
        const cancel = document.querySelector<HTMLButtonElement>('[data-testid="wizard-cancel"]');
        w.seen.push({ pct: Number(bar.getAttribute('aria-valuenow')), cancelDisabled: cancel ? cancel.disabled : null });
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow', 'disabled'] });
    });
    await page.getByTestId('wizard-import').click();
    // Rows are saved as they are read: the bar follows the file, and says so.
    await page.waitForFunction(() => (window as unknown as { seen: { pct: number }[] }).seen.some((s) => s.pct > 10 && s.pct < 90));
    await expect(page.getByTestId('import-progress')).toContainText('קורא ושומר שורות');
    await shot(page, 'contacts-wizard-7-saving-he');
    await expect(page.getByTestId('import-done')).toBeVisible();
    await expectCounts(page, { rows: 150_000, imported: 150_000 });
    const seen = await page.evaluate(() => (window as unknown as { seen: { pct: number; cancelDisabled: boolean | null }[] }).seen);
    const saving = seen.filter((s) => s.pct > 0 && s.pct < 97);
    expect(new Set(saving.map((s) => s.pct)).size).toBeGreaterThanOrEqual(3); // many steps while reading and saving
    expect(saving.filter((s) => s.cancelDisabled !== false)).toEqual([]); // Cancel open all that time
    // Closed only for the commit (the bar's last few percent).
    expect(seen.filter((s) => s.cancelDisabled === true && s.pct < 97)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
