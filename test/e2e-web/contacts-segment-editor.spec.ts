import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDataDirStore } from '../support/store';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { pacerCli, shot } from './contacts-helpers';

// Five contacts with two typed attributes (plan: text, spend: number), imported with the CLI, and
// message history as the campaign sender records it (contact_messages + contacts.last_messaged_at).
const DANA = '+972547654321'; // gold, messaged 2 days ago
const AVI = '+972547654322'; // gold, messaged 5 days ago
const MEI = '+886912345678'; // gold, messaged 40 days ago
const NOA = '+972527654322'; // gold, never messaged
const YOSSI = '+972527654321'; // silver, messaged yesterday
const DAY = 86_400_000;
const MESSAGED: Record<string, number> = { [DANA]: 2, [AVI]: 5, [MEI]: 40, [YOSSI]: 1 };

function seed(dir: string) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const csv = path.join(dir, 'people.csv');
  fs.writeFileSync(
    csv,
    [
      'phone,name,attr.plan,attr.spend',
      `${DANA},Dana Cohen,gold,300`,
      `${AVI},Avi Bar,gold,210`,
      `${MEI},Mei Chen,gold,120`,
      `${NOA},Noa Levi,gold,80`,
      `${YOSSI},Yossi Levi,silver,500`,
    ].join('\n') + '\n',
  );
  expect(pacerCli(dir, ['import', csv, '--default-country', 'IL'])).toMatchObject({ imported: 5 });
  const db = openDataDirStore(dir);
  const now = Date.now();
  for (const [phone, daysAgo] of Object.entries(MESSAGED)) {
    const id = db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(phone) as number;
    const at = now - daysAgo * DAY;
    db.prepare(
      "INSERT INTO contact_messages (contact_id, campaign_name, template, status, at) VALUES (?, 'Spring sale', 'spring_sale', 'delivered', ?)",
    ).run(id, at);
    db.prepare('UPDATE contacts SET last_messaged_at = ? WHERE id = ?').run(at, id);
  }
  db.close();
}

const count = (page: Page) => page.getByTestId('segment-editor-count');

/** Row 1: plan is gold; row 2: last messaged within the last 30 days. */
async function buildGoldRecentRule(page: Page) {
  const rows = page.getByTestId('rule-row');
  await expect(rows).toHaveCount(1);
  await rows.nth(0).getByTestId('rule-field').selectOption('attr');
  await rows.nth(0).getByTestId('rule-attr').selectOption('plan');
  await expect(rows.nth(0).getByTestId('rule-op')).toHaveValue('eq');
  await rows.nth(0).getByTestId('rule-value').fill('gold');
  await expect(count(page)).toHaveAttribute('data-count', '4');

  await page.getByTestId('rule-add').click();
  await rows.nth(1).getByTestId('rule-field').selectOption('last_messaged');
  await expect(rows.nth(1).getByTestId('rule-op')).toHaveValue('within_days');
  await rows.nth(1).getByTestId('rule-days').fill('30');
  await expect(count(page)).toHaveAttribute('data-count', '2');
}

async function expectRows(page: Page, phones: string[]) {
  await expect(page.getByTestId('contact-row')).toHaveCount(phones.length);
  for (const phone of phones) await expect(page.locator(`[data-phone="${phone}"]`)).toBeVisible();
}

for (const l of [
  { lang: 'en', name: 'Gold, messaged lately', matches: 'Matches 2 contacts' },
  { lang: 'he', name: 'זהב, קיבלו הודעה לאחרונה', matches: 'מתאים ל־2 אנשי קשר' },
] as const) {
  test.describe(`segment rule editor in ${l.lang}`, () => {
    const dir = path.join(os.tmpdir(), `pacer-e2e-segment-editor-${l.lang}-${process.pid}`);
    test.use({ dataDir: dir, settings: { language: l.lang, defaultCountry: 'IL' } });
    test.beforeAll(() => seed(dir));
    test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('build a segment from an attribute and a last-messaged rule, filter by it, edit it', async ({ page, serve }) => {
      await page.goto(serve.url);
      await page.getByTestId('nav-contacts').click();
      await expect(page.getByTestId('contact-row')).toHaveCount(5);

      await page.getByTestId('segment-new-open').click();
      const editor = page.getByTestId('segment-editor');
      await expect(editor).toBeVisible();
      if (l.lang === 'he') await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');

      // The live count follows the rules: gold (4), gold and messaged in 30 days (2).
      await buildGoldRecentRule(page);
      await expect(count(page)).toHaveText(l.matches);

      // "any" (OR): gold or messaged lately = everyone (5); back to "all".
      await page.getByTestId('segment-match').selectOption('any');
      await expect(count(page)).toHaveAttribute('data-count', '5');
      await page.getByTestId('segment-match').selectOption('all');
      await expect(count(page)).toHaveAttribute('data-count', '2');

      // A third row with a bad number: the error is shown on that row and nothing is counted.
      const rows = page.getByTestId('rule-row');
      await page.getByTestId('rule-add').click();
      await rows.nth(2).getByTestId('rule-field').selectOption('attr');
      await rows.nth(2).getByTestId('rule-attr').selectOption('spend');
      await rows.nth(2).getByTestId('rule-op').selectOption('gt');
      await rows.nth(2).getByTestId('rule-value').fill('lots');
      await expect(rows.nth(2).getByTestId('rule-error')).toHaveAttribute('data-error', 'numberInvalid');
      await expect(rows.nth(2).getByTestId('rule-value')).toHaveAttribute('aria-invalid', 'true');
      await expect(rows.nth(0).getByTestId('rule-error')).toHaveCount(0);
      await expect(count(page)).toHaveAttribute('data-state', 'incomplete');
      await shot(page, `contacts-segment-editor-error-${l.lang}`);
      // Fixed, it narrows the count (spend > 250: Dana only); removed, the count is back to 2.
      await rows.nth(2).getByTestId('rule-value').fill('250');
      await expect(rows.nth(2).getByTestId('rule-error')).toHaveCount(0);
      await expect(count(page)).toHaveAttribute('data-count', '1');
      await rows.nth(2).getByTestId('rule-remove').click();
      await expect(rows).toHaveCount(2);
      await expect(count(page)).toHaveAttribute('data-count', '2');

      // Saving without a name says so next to the name field.
      await page.getByTestId('segment-editor-save').click();
      await expect(page.getByTestId('segment-editor-name-error')).toBeVisible();
      await page.getByTestId('segment-editor-name').fill(l.name);
      await shot(page, `contacts-segment-editor-${l.lang}`);
      await page.getByTestId('segment-editor-save').click();
      await expect(editor).toHaveCount(0);

      // The saved segment is the active filter and shows exactly the expected contacts.
      const segmentFilter = page.getByTestId('filter-segment');
      await expect(segmentFilter.locator('option', { hasText: l.name })).toHaveCount(1);
      await expectRows(page, [DANA, AVI]);
      await expect(page.getByTestId('contacts-count')).toContainText('2');

      // The same from a clean filter.
      await page.getByTestId('filters-clear').click();
      await expect(page.getByTestId('contact-row')).toHaveCount(5);
      await segmentFilter.selectOption({ label: l.name });
      await expectRows(page, [DANA, AVI]);

      // Edit it from Manage segments: the editor opens with its rules; "never messaged" instead.
      await page.getByTestId('segments-manage').click();
      const item = page.getByTestId('segment-item');
      await expect(item.getByTestId('segment-count')).toHaveAttribute('data-count', '2');
      await item.getByTestId('segment-edit').click();
      await expect(editor).toBeVisible();
      await expect(page.getByTestId('segment-editor-name')).toHaveValue(l.name);
      await expect(rows).toHaveCount(2);
      await expect(rows.nth(0).getByTestId('rule-attr')).toHaveValue('plan');
      await expect(rows.nth(0).getByTestId('rule-value')).toHaveValue('gold');
      await expect(rows.nth(1).getByTestId('rule-days')).toHaveValue('30');
      await expect(count(page)).toHaveAttribute('data-count', '2');
      await rows.nth(1).getByTestId('rule-op').selectOption('never');
      await expect(rows.nth(1).getByTestId('rule-days')).toHaveCount(0);
      await expect(count(page)).toHaveAttribute('data-count', '1');
      await page.getByTestId('segment-editor-save').click();

      // Back in the list with the new count; the table, filtered by the segment, follows.
      await expect(page.getByTestId('segments-dialog')).toBeVisible();
      await expect(item.getByTestId('segment-count')).toHaveAttribute('data-count', '1');
      await page.getByTestId('segments-dialog').getByTestId('modal-close').click();
      await expectRows(page, [NOA]);
    });
  });
}

test.describe('segment rule editor in zh-TW', () => {
  const dir = path.join(os.tmpdir(), `pacer-e2e-segment-editor-zh-${process.pid}`);
  test.use({ dataDir: dir, settings: { language: 'zh-TW', defaultCountry: 'IL' } });
  test.beforeAll(() => seed(dir));
  test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the editor with an attribute and a last-messaged rule', async ({ page, serve }) => {
    await page.goto(serve.url);
    await page.getByTestId('nav-contacts').click();
    await expect(page.getByTestId('contact-row')).toHaveCount(5);

    // "Save as segment" on the current filter can hand over to the editor with the filter's rule.
    await page.getByTestId('filter-country').selectOption('TW');
    await expect(page.getByTestId('contact-row')).toHaveCount(1);
    await page.getByTestId('segment-save-open').click();
    await page.getByTestId('segment-name').fill('台灣');
    await shot(page, 'contacts-segment-save-zh-TW');
    await page.getByTestId('segment-save-edit-rules').click();
    await expect(page.getByTestId('segment-save-dialog')).toHaveCount(0);
    await expect(page.getByTestId('segment-editor-name')).toHaveValue('台灣');
    await expect(page.getByTestId('rule-row')).toHaveCount(1);
    await expect(page.getByTestId('rule-row').getByTestId('rule-country-chip')).toHaveAttribute('data-country', 'TW');
    await expect(count(page)).toHaveAttribute('data-count', '1');
    await page.getByTestId('segment-editor').getByTestId('modal-close').click();
    await page.getByTestId('filters-clear').click();
    await expect(page.getByTestId('contact-row')).toHaveCount(5);

    await page.getByTestId('segment-new-open').click();
    await buildGoldRecentRule(page);
    await expect(count(page)).toHaveText('符合 2 位聯絡人');
    // Every kind of row, so the screenshot shows all the controls in Chinese.
    const rows = page.getByTestId('rule-row');
    await page.getByTestId('rule-add').click();
    await rows.nth(2).getByTestId('rule-field').selectOption('country');
    await rows.nth(2).getByTestId('rule-country-add').selectOption('IL');
    await expect(rows.nth(2).getByTestId('rule-country-chip')).toHaveAttribute('data-country', 'IL');
    await expect(count(page)).toHaveAttribute('data-count', '2');
    await page.getByTestId('rule-add').click();
    await rows.nth(3).getByTestId('rule-field').selectOption('consent');
    await rows.nth(3).getByTestId('rule-state').selectOption('opted_in');
    await expect(count(page)).toHaveAttribute('data-count', '0');
    await rows.nth(3).getByTestId('rule-op').selectOption('is_not');
    await expect(count(page)).toHaveAttribute('data-count', '2');
    await page.getByTestId('rule-add').click();
    await page.getByTestId('segment-editor-save').click();
    await expect(rows.nth(4).getByTestId('rule-error')).toHaveAttribute('data-error', 'tagRequired');
    await page.getByTestId('segment-editor-name').fill('金卡近期');
    await shot(page, 'contacts-segment-editor-zh-TW');
  });
});
