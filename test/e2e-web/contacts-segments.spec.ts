import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from './fixtures';
import { pacerCli, shot } from './contacts-helpers';

// Two VIPs (one in Israel, one in Taiwan) and one untagged Israeli, seeded with the CLI.
const DANA = '+972547654321';
const MEI = '+886912345678';
const YOSSI = '+972527654321';

for (const l of [
  { lang: 'en', name: 'VIP customers' },
  { lang: 'he', name: 'לקוחות VIP' },
] as const) {
  test.describe(`contact segments in ${l.lang}`, () => {
    const dir = path.join(os.tmpdir(), `pacer-e2e-segments-${l.lang}-${process.pid}`);
    test.use({ dataDir: dir, settings: { language: l.lang, defaultCountry: 'IL' } });

    test.beforeAll(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const vip = path.join(dir, 'vip.csv');
      fs.writeFileSync(vip, `phone,name\n${DANA},Dana Cohen\n${MEI},Mei Chen\n`);
      const other = path.join(dir, 'other.csv');
      fs.writeFileSync(other, `phone,name\n${YOSSI},Yossi Levi\n`);
      pacerCli(dir, ['import', vip, '--tag', 'vip', '--default-country', 'IL']);
      pacerCli(dir, ['import', other, '--default-country', 'IL']);
    });
    test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('save a filter as a segment, filter by it, rename and delete it', async ({ page, serve }) => {
      await page.goto(serve.url);
      await page.getByTestId('nav-contacts').click();
      const rows = page.getByTestId('contact-row');
      await expect(rows).toHaveCount(3);

      // Filter by tag, then save that filter as a named segment.
      await page.getByTestId('filter-tag').selectOption('vip');
      await expect(rows).toHaveCount(2);
      await page.getByTestId('segment-save-open').click();
      await expect(page.getByTestId('segment-rule-preview')).toContainText('vip');
      await page.getByTestId('segment-name').fill(l.name);
      await page.getByTestId('segment-save').click();
      await expect(page.getByTestId('segment-save-dialog')).toHaveCount(0);

      // The new segment is the active filter and lists in the segment filter.
      const segmentFilter = page.getByTestId('filter-segment');
      await expect(segmentFilter.locator('option', { hasText: l.name })).toHaveCount(1);
      await expect(page.getByTestId('filter-tag')).toHaveValue('');
      await expect(rows).toHaveCount(2);
      await expect(page.locator(`[data-phone="${YOSSI}"]`)).toHaveCount(0);

      // Selecting it from a clean filter gives the same rows and count.
      await page.getByTestId('filters-clear').click();
      await expect(rows).toHaveCount(3);
      await segmentFilter.selectOption({ label: l.name });
      await expect(rows).toHaveCount(2);
      await expect(page.getByTestId('contacts-count')).toContainText('2');
      for (const phone of [DANA, MEI]) await expect(page.locator(`[data-phone="${phone}"]`)).toBeVisible();

      // Manage: the segment with its rule and count; rename it.
      await page.getByTestId('segments-manage').click();
      const item = page.getByTestId('segment-item');
      await expect(item).toHaveCount(1);
      await expect(item).toContainText('vip');
      await expect(item.getByTestId('segment-count')).toContainText('2');
      await shot(page, `contacts-segments-${l.lang}`);
      await item.getByTestId('segment-rename').click();
      await page.getByTestId('segment-rename-input').fill(`${l.name} 2`);
      await page.getByTestId('segment-rename-save').click();
      await expect(item).toHaveAttribute('data-name', `${l.name} 2`);

      // Delete with confirmation: gone from the list and from the filter, every row back.
      await item.getByTestId('segment-delete').click();
      await page.getByTestId('segment-delete-confirm').click();
      await expect(page.getByTestId('segment-delete-dialog')).toHaveCount(0);
      await expect(segmentFilter.locator('option')).toHaveCount(1);
      await expect(rows).toHaveCount(3);
    });
  });
}
