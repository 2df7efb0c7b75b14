import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';
import { importGuests } from './campaign-helpers';
import { REPO, startServe, tempDataDir } from '../support/harness';
import { check, englishWords, visibleTexts } from './translation-helpers';

/*
 * Issue 16, "no wrong word": files the importer refuses (binary data, an old .xls workbook, a quote
 * that never closes) are explained in the UI's language, specifically (the row of the broken quote),
 * and a contact's consent evidence is worded from its code, with the import's time in the user's
 * locale — in English, Hebrew and Traditional Chinese, with no English word of the app's English
 * catalogue and no raw internal value on the Hebrew and Chinese screens.
 */
const LANGS = ['en', 'he', 'zh-TW'] as const;
type Lang = (typeof LANGS)[number];

const catalogue = (lang: Lang) =>
  JSON.parse(fs.readFileSync(path.join(REPO, 'renderer', 'i18n', 'locales', lang, 'contacts.json'), 'utf8')) as {
    import: { fileError: Record<string, string> };
    evidence: Record<string, string>;
  };

/** The catalogue sentence as a pattern: its placeholders match any value (isolated or not). */
const sentence = (text: string) =>
  new RegExp(
    `^${text
      .split(/\{\{\w+\}\}/)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+?')}$`,
  );

const FILES = [
  {
    key: 'file_binary',
    file: {
      name: 'photo.png',
      mimeType: 'image/png',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]),
    },
  },
  {
    key: 'file_xls',
    file: {
      name: 'customers.xls',
      mimeType: 'application/vnd.ms-excel',
      buffer: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]),
    },
  },
  {
    key: 'file_quote',
    file: {
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('name,phone\nDana,0502345678\n"Yossi,0529876543\nNoa,0549876543\n'),
    },
  },
] as const;

async function noEnglish(page: Page, lang: Lang, where: string) {
  if (lang === 'en') return;
  const findings = check(await visibleTexts(page, lang), englishWords(lang), where);
  expect(findings.map((f) => `${f.text} → ${f.hits.join(', ')}`)).toEqual([]);
}

for (const lang of LANGS) {
  test(`refused files are explained in ${lang}: binary, .xls, a quote that never closes`, async ({ page }) => {
    test.setTimeout(120_000);
    const dataDir = tempDataDir('pacer-e2e-import-errors-');
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: lang, defaultCountry: 'IL' }));
    const serve = await startServe({ dataDir });
    const words = catalogue(lang).import.fileError;
    try {
      await page.goto(serve.url);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await page.getByTestId('nav-contacts').click();
      for (const { key, file } of FILES) {
        await page.getByTestId('import-open').first().click();
        await expect(page.getByTestId('wizard-step-file')).toBeVisible();
        await page.getByTestId('import-file-input').setInputFiles(file);
        const error = page.getByTestId('wizard-error');
        await expect(error).toBeVisible();
        // The specific sentence for this file, not a generic one, and no core text folded under it.
        const text = (await error.innerText()).trim();
        expect(text).toMatch(sentence(words[key]!));
        await expect(error.locator('details')).toHaveCount(0);
        if (key === 'file_quote') expect(text).toContain(new Intl.NumberFormat(lang).format(3));
        // Still on the file step: the user can pick another file.
        await expect(page.getByTestId('wizard-step-file')).toBeVisible();
        await noEnglish(page, lang, `import-${key}`);
        await page.screenshot({ path: path.join(SHOTS, `import-error-${key}-${lang}.png`) });
        await page.keyboard.press('Escape');
        await expect(page.getByTestId('wizard-step-file')).toBeHidden();
      }
    } finally {
      await serve.stop();
    }
  });

  test(`consent evidence is worded from its code in ${lang}, with the import's time in the user's locale`, async ({ page }) => {
    test.setTimeout(120_000);
    const dataDir = tempDataDir('pacer-e2e-evidence-');
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: lang, defaultCountry: 'IL' }));
    importGuests(dataDir, ['+972500000301'], 'marketing', 'shop signup');
    const serve = await startServe({ dataDir });
    const ev = catalogue(lang).evidence;
    try {
      await page.goto(serve.url);
      await page.getByTestId('nav-contacts').click();
      await page.getByTestId('contact-row').first().click();
      await expect(page.getByTestId('contact-drawer')).toBeVisible();
      const evidence = page.getByTestId('consent-evidence');
      await expect(evidence).toHaveAttribute('data-code', 'import_file');
      const lines = (await evidence.locator('li').allInnerTexts()).map((l) => l.trim());
      expect(lines[0]).toMatch(sentence(ev.import_file!));
      expect(lines[0]).toContain('guests.csv');
      // No machine timestamp: the time is the locale's (a year, no ISO "T…Z").
      expect(lines.join('\n')).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
      expect(lines[0]).toContain(String(new Date().getFullYear()));
      expect(lines[1]).toMatch(sentence(ev.source!));
      expect(lines[1]).toContain('shop signup');
      // No legacy block: this row has its evidence as data.
      await expect(page.getByTestId('consent-evidence-legacy')).toHaveCount(0);
      await noEnglish(page, lang, 'contact-drawer-evidence');
      await page.getByTestId('contact-drawer').screenshot({ path: path.join(SHOTS, `contact-drawer-evidence-${lang}.png`) });

      // Opted out by hand, then back in: how consent was given and the reason, as written, under translated labels.
      await page.getByTestId('opt-out-marketing').click();
      await expect(page.locator('[data-testid="consent-event"][data-state="opted_out"]')).toHaveCount(1);
      await page.getByTestId('opt-in-marketing').click();
      await page.getByTestId('opt-in-source').fill('paper form 12');
      await page.getByTestId('opt-in-reason').fill('asked at the counter');
      await page.getByTestId('opt-in-ok').click();
      const back = page.locator('[data-testid="consent-event"][data-state="opted_in"]').first().getByTestId('consent-evidence');
      await expect(back).toHaveAttribute('data-code', 'manual');
      const manual = (await back.locator('li').allInnerTexts()).map((l) => l.trim());
      expect(manual).toHaveLength(2);
      expect(manual[0]).toMatch(sentence(ev.source!));
      expect(manual[0]).toContain('paper form 12');
      expect(manual[1]).toMatch(sentence(ev.reason!));
      expect(manual[1]).toContain('asked at the counter');
      await noEnglish(page, lang, 'contact-drawer-reopt');
      await page.getByTestId('contact-drawer').screenshot({ path: path.join(SHOTS, `contact-drawer-evidence-reopt-${lang}.png`) });
    } finally {
      await serve.stop();
    }
  });
}
