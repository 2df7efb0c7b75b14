import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { Page } from '@playwright/test';
import { expect, SHOTS } from './fixtures';
import { PACER_BIN, REPO } from '../support/harness';

export interface ContactFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
  /** The encoding Pacer should detect. */
  encoding: string;
}

/**
 * The same five people in every language's file: two new contacts, one row repeating the first
 * phone (a duplicate within the file), one row with no usable number, and one Taiwanese mobile.
 */
export function contactFile(lang: 'en' | 'he' | 'zh-TW'): ContactFile {
  if (lang === 'he') {
    const text = [
      'טלפון,שם פרטי,שם משפחה,אימייל,תגיות',
      '054-7654321,דנה,כהן,dana@example.com,לקוחות',
      '+972 52 765 4321,יוסי,לוי,,',
      '0547654321,דנה,שוב,,',
      'אין טלפון,שורה,שגויה,,',
      '+886 912 345 678,מיי,חן,mei@example.tw,לקוחות;טייפה',
    ].join('\r\n');
    return { name: 'אנשי-קשר.csv', mimeType: 'text/csv', buffer: iconv.encode(text, 'windows-1255'), encoding: 'windows-1255' };
  }
  if (lang === 'zh-TW') {
    const text = [
      '手機,名字,姓氏,電子郵件,標籤',
      '054-7654321,丹娜,柯恩,dana@example.com,客戶',
      '+972 52 765 4321,約西,李維,,',
      '0547654321,丹娜,重複,,',
      '沒有電話,錯誤,資料,,',
      '+886 912 345 678,美玲,陳,mei@example.tw,客戶;台北',
    ].join('\r\n');
    return { name: '聯絡人.csv', mimeType: 'text/csv', buffer: iconv.encode(text, 'big5'), encoding: 'big5' };
  }
  const text = [
    'Phone,First name,Last name,Email,Tags',
    '054-7654321,Dana,Cohen,dana@example.com,customers',
    '+972 52 765 4321,Yossi,Levi,,',
    '0547654321,Dana,Again,,',
    'no phone here,Bad,Row,,',
    '+886 912 345 678,Mei,Chen,mei@example.tw,customers;taipei',
  ].join('\n');
  return { name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8'), encoding: 'utf-8' };
}

export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

/**
 * Drives the import wizard from the Contacts page through the summary, screenshotting every step
 * as `contacts-wizard-<n>-<step>-<lang>.png`.
 */
export async function runImportWizard(page: Page, file: ContactFile, lang: string, opts: { consentSource?: string; tags?: string[] } = {}) {
  await page.getByTestId('import-open').first().click();
  await expect(page.getByTestId('wizard-step-file')).toBeVisible();
  await shot(page, `contacts-wizard-1-file-${lang}`);
  await page.getByTestId('import-file-input').setInputFiles(file);

  await expect(page.getByTestId('wizard-step-preview')).toBeVisible();
  await expect(page.getByTestId('preview-format')).toHaveAttribute('data-format', 'csv');
  await expect(page.getByTestId('preview-encoding')).toHaveValue(file.encoding);
  await shot(page, `contacts-wizard-2-preview-${lang}`);
  await page.getByTestId('wizard-next').click();

  await expect(page.getByTestId('wizard-step-mapping')).toBeVisible();
  // The guesser recognised the phone column from its header in this language.
  await expect(page.getByTestId('map-0')).toHaveValue('phone');
  await shot(page, `contacts-wizard-3-mapping-${lang}`);
  await page.getByTestId('wizard-next').click();

  await expect(page.getByTestId('wizard-step-options')).toBeVisible();
  for (const tag of opts.tags ?? []) {
    await page.getByTestId('import-tags').fill(tag);
    await page.getByTestId('import-tags').press('Enter');
  }
  if (opts.consentSource) {
    await page.getByTestId('import-consent').check();
    await page.getByTestId('import-consent-marketing').click();
    await page.getByTestId('import-consent-source').fill(opts.consentSource);
  }
  await shot(page, `contacts-wizard-4-options-${lang}`);
  await page.getByTestId('wizard-check').click();

  await expect(page.getByTestId('import-dry-run')).toBeVisible();
  await shot(page, `contacts-wizard-5-dry-run-${lang}`);
}

export async function expectCounts(page: Page, counts: Record<string, number>) {
  for (const [k, v] of Object.entries(counts)) await expect(page.getByTestId(`count-${k}`), k).toHaveAttribute('data-value', String(v));
}

/** A CSV of `n` Israeli mobiles (+972 50 000 0000 + first + i) with Hebrew/Chinese/English names. */
export function writeLargeCsv(file: string, n: number, first = 0) {
  const names = ['דנה כהן', '王小明', 'Alice Smith', 'יוסי לוי', '陳美玲', 'Bob Jones'];
  const lines = ['phone,name,tags'];
  for (let i = first; i < first + n; i++)
    lines.push(`+97250${String(i).padStart(7, '0')},${names[i % names.length]} ${i},${i % 2 ? 'even' : 'odd'}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** `pacer --data-dir DIR ARGS… --json`, parsed; throws with stderr on a non-zero exit. */
export function pacerCli(dataDir: string, args: string[]): unknown {
  const r = spawnSync(process.execPath, [PACER_BIN, '--data-dir', dataDir, ...args, '--json'], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`pacer ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
