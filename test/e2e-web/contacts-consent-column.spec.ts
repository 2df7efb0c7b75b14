import path from 'node:path';
import iconv from 'iconv-lite';
import type { Locator } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';
import { expectCounts } from './contacts-helpers';

/** No English words on a Hebrew or Chinese screen (the product's name aside). */
async function expectNoEnglish(locator: Locator) {
  const text = (await locator.innerText()).replaceAll('Pacer', '');
  expect(text).not.toMatch(/[A-Za-z]{2}/);
}

// A file with its own consent column, imported with "these people agreed" ticked: the file's no
// is an opt-out, its yes an opt-in, the box only covers the row that says nothing, and "maybe" is
// left unknown and listed — all said in the UI language (Hebrew right to left, no English words).
const PHONES = ['+972502345678', '+972529876543', '+972549876543', '+972507654321', '+972547654321'];

const FILES = {
  en: {
    header: 'phone,name,opt-in',
    values: ['yes', 'no', '', 'maybe', 'opted out'],
    names: ['Dana', 'Yossi', 'Noa', 'Ron', 'Maya'],
    encoding: 'utf-8',
  },
  he: {
    header: 'טלפון,שם,הסכמה לדיוור',
    values: ['כן', 'לא', '', 'אולי', 'לא מאשר'],
    names: ['דנה', 'יוסי', 'נועה', 'רון', 'מאיה'],
    encoding: 'windows-1255',
  },
  'zh-TW': {
    header: '手機,姓名,同意接收',
    values: ['是', '否', '', '也許', '不同意'],
    names: ['美玲', '小明', '志豪', '家豪', '淑芬'],
    encoding: 'big5',
  },
} as const;

const UNRECOGNISED = {
  en: /^Consent value “\u2068maybe\u2069” not understood — left unknown$/,
  he: /^ערך ההסכמה "\u2068אולי\u2069" לא מובן — נשאר לא ידוע$/,
  'zh-TW': /^無法辨識同意值「\u2068也許\u2069」— 維持未知$/,
} as const;

for (const lang of ['en', 'he', 'zh-TW'] as const) {
  test.describe(`consent column (${lang})`, () => {
    test.use({ settings: { language: lang, defaultCountry: 'IL' } });

    test("the file's no wins over the blanket box; the report says how many by which source", async ({ page, serve }) => {
      const f = FILES[lang];
      const column = f.header.split(',')[2]!;
      const text = [f.header, ...PHONES.map((p, i) => `${p},${f.names[i]},${f.values[i]}`)].join('\r\n');
      const buffer = f.encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, f.encoding);

      await page.goto(serve.url);
      await page.getByTestId('nav-contacts').click();
      await page.getByTestId('import-open').first().click();
      await page.getByTestId('import-file-input').setInputFiles({ name: 'consent.csv', mimeType: 'text/csv', buffer });
      await expect(page.getByTestId('preview-encoding')).toHaveValue(f.encoding);
      await page.getByTestId('wizard-next').click();
      // The consent column is recognised by its header.
      await expect(page.getByTestId('map-2')).toHaveValue('consent');
      await page.getByTestId('wizard-next').click();

      // Options: the box is for the rows the file says nothing about.
      await expect(page.getByTestId('import-consent-column')).toContainText(column);
      await page.getByTestId('import-consent').check();
      await page.getByTestId('import-consent-marketing').click();
      await page.getByTestId('import-consent-source').fill('2025');
      if (lang !== 'en') await expectNoEnglish(page.locator('.consent-box'));
      await page.screenshot({ path: path.join(SHOTS, `contacts-consent-column-options-${lang}.png`) });
      await page.getByTestId('wizard-check').click();

      // Dry run: the counts by source, and the "maybe" row listed in the UI language.
      await expect(page.getByTestId('import-dry-run')).toBeVisible();
      await expectCounts(page, { rows: 5, imported: 5, invalid: 0 });
      const report = page.getByTestId('import-consent-report');
      for (const [k, v] of Object.entries({ optedInByFile: 1, optedInByBox: 1, optedOutByFile: 2, unrecognised: 1 })) {
        await expect(report.getByTestId(`consent-${k}`), k).toHaveAttribute('data-value', String(v));
      }
      await expect(report.getByTestId('consent-keptOptedOut')).toHaveCount(0);
      await expect(report.getByTestId('consent-report-column')).toContainText(column);
      const row = page.locator('[data-testid="rejected-row"][data-code="consent_unrecognised"]');
      await expect(row.locator('td').first()).toHaveText('5');
      await expect(row.locator('td').nth(1)).toHaveText(UNRECOGNISED[lang]);
      if (lang !== 'en') {
        await expectNoEnglish(report);
        await expectNoEnglish(row);
      }
      await page.screenshot({ path: path.join(SHOTS, `contacts-consent-column-dry-run-${lang}.png`) });

      await page.getByTestId('wizard-import').click();
      await expect(page.getByTestId('import-summary')).toBeVisible();
      await expect(page.getByTestId('import-consent-report').getByTestId('consent-optedOutByFile')).toHaveAttribute('data-value', '2');
      await page.getByTestId('wizard-finish').click();

      const states = ['opted_in', 'opted_out', 'opted_in', 'unknown', 'opted_out'];
      for (const [i, phone] of PHONES.entries()) {
        await expect(page.locator(`[data-phone="${phone}"]`).getByTestId('consent-marketing'), phone).toHaveAttribute(
          'data-state',
          states[i]!,
        );
      }
    });
  });
}
