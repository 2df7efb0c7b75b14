import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';
import { connectSandbox, importGuests } from './campaign-helpers';
import { expectCounts, runImportWizard } from './contacts-helpers';
import { callApi, startServe, tempDataDir, type RunningServe } from '../support/harness';

/*
 * Issue 16's leftovers, in English, Hebrew and Traditional Chinese against `pacer serve` with its
 * in-process Sandbox: the plan's forecast in the schedule's own time zone (not this computer's);
 * the recipient table naming people (and nobody once erased); "Already in Pacer" saying which
 * rows; rejected rows still there, with their CSV, in the import history after Done.
 */
const PHONES = ['+972500000041', '+972500000042', '+972500000043'];
/** UTC+14: its clock never shows the same hour as the machine's (UTC or anything west of +14). */
const ZONE = 'Pacific/Kiritimati';
const LANGS = [
  { lang: 'en', dir: 'ltr' },
  { lang: 'he', dir: 'rtl' },
  { lang: 'zh-TW', dir: 'ltr' },
] as const;

/** No English word on a translated screen (the brand and names excepted by the caller). */
async function expectTranslated(page: Page, testid: string, lang: string, allow: RegExp[] = []) {
  if (lang === 'en') return;
  let text = await page.getByTestId(testid).first().innerText();
  for (const a of [/Pacer/g, ...allow]) text = text.replace(a, '');
  expect(text, `${testid} in ${lang}`).not.toMatch(/[A-Za-z]{2,}/);
}

async function sendCampaign(serve: RunningServe): Promise<string> {
  const { id } = await callApi<{ id: string }>(serve, 'campaigns:create', {
    name: 'Reminders',
    template: { name: 'appointment_reminder', language: 'en_US' },
    audience: 'all',
    params: { 1: 'first_name|"friend"', 2: '"Tel Aviv"', 3: '"May 12, 10:30"' },
    options: { rate: 1000 },
  });
  await callApi(serve, 'campaigns:start', { id });
  await expect
    .poll(async () => (await callApi<{ state: string }>(serve, 'campaigns:get', { id })).state, { timeout: 60_000 })
    .toBe('completed');
  return id;
}

for (const l of LANGS) {
  test(`plan in the schedule's zone, named recipients, which rows are already in Pacer, rejected rows kept (${l.lang})`, async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const dataDir = tempDataDir('pacer-e2e-ui-left-');
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: l.lang, defaultCountry: 'IL' }));
    importGuests(dataDir, PHONES, 'utility', 'front desk');
    const serve = await startServe({ dataDir });
    try {
      await connectSandbox(page, serve);
      await expect(page.locator('html')).toHaveAttribute('dir', l.dir);

      // 4. A draft scheduled in Kiritimati: the forecast's times are Kiritimati's, and it says so.
      const draft = await callApi<{ id: string }>(serve, 'campaigns:create', {
        name: 'Zoned',
        template: { name: 'appointment_reminder', language: 'en_US' },
        audience: 'all',
        params: { 1: 'first_name|"friend"', 2: '"Tel Aviv"', 3: '"May 12, 10:30"' },
        schedule: { mode: 'now', tz: ZONE },
      });
      await page.getByTestId('nav-campaigns').click();
      await page.locator(`[data-testid="campaign-row"][data-id="${draft.id}"]`).click();
      await expect(page.getByTestId('campaign-builder')).toBeVisible();
      const forecast = page.getByTestId('plan-forecast');
      await expect(forecast).toHaveAttribute('data-tz', ZONE);
      const line = forecast.getByTestId('forecast-line').first();
      const from = Number(await line.getAttribute('data-from'));
      const inZone = new Intl.DateTimeFormat(l.lang, { timeStyle: 'short', timeZone: ZONE }).format(from);
      const onThisComputer = new Intl.DateTimeFormat(l.lang, { timeStyle: 'short' }).format(from);
      expect(inZone).not.toBe(onThisComputer);
      await expect(line).toContainText(inZone);
      await expect(line).not.toContainText(onThisComputer);
      await expect(page.getByTestId('plan-forecast-zone')).toContainText(ZONE);
      await expectTranslated(page, 'plan-forecast-zone', l.lang, [new RegExp(ZONE)]);
      await page.getByTestId('plan-forecast-zone').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `ui-left-plan-zone-${l.lang}.png`) });
      await page.getByTestId('builder-back').click();

      // 1. The recipient table names each person beside the number; an erased person shows nothing personal.
      const id = await sendCampaign(serve);
      await callApi(serve, 'contacts:delete', { phone: PHONES[2] });
      await page.locator(`[data-testid="campaign-row"][data-id="${id}"]`).click();
      const table = page.getByTestId('recipients');
      await expect(table.getByTestId('recipient-row')).toHaveCount(PHONES.length);
      await expect(table.getByTestId('recipient-name')).toHaveText(['Guest0', 'Guest1', '']);
      await expect(table.getByTestId('recipient-row').nth(2)).not.toContainText(PHONES[2]!);
      await expect(table.getByTestId('recipient-row').nth(2)).not.toContainText('Guest2');
      await expectTranslated(page, 'recipients', l.lang, [/Guest\d/g, /CSV|XLSX|JSON/g]);
      await table.scrollIntoViewIfNeeded();
      await table.screenshot({ path: path.join(SHOTS, `ui-left-recipient-names-${l.lang}.png`) });

      // 2. "Already in Pacer" says which rows: lines 2 and 5 (the header is line 1); line 3 is not a number.
      await page.getByTestId('nav-contacts').click();
      const csv = ['Phone,First name', `${PHONES[0]},Dana`, '12,Nobody', '+972500000049,Noa', `${PHONES[1]},Ori`].join('\n');
      await runImportWizard(
        page,
        { name: 'crm.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8'), encoding: 'utf-8' },
        `ui-left-${l.lang}`,
      );
      await expectCounts(page, { rows: 4, imported: 1, invalid: 1, skipped: 2 });
      const existing = page.getByTestId('import-existing');
      await expect(existing.getByTestId('existing-row')).toHaveCount(2);
      await expect(existing.getByTestId('existing-row').nth(0)).toHaveAttribute('data-row', '2');
      await expect(existing.getByTestId('existing-row').nth(0)).toContainText(PHONES[0]!);
      await expect(existing.getByTestId('existing-row').nth(1)).toHaveAttribute('data-row', '5');
      await expect(existing.getByTestId('existing-row').nth(1)).toContainText(PHONES[1]!);
      const [existingCsv] = await Promise.all([page.waitForEvent('download'), existing.getByTestId('download-existing').click()]);
      const existingText = fs.readFileSync((await existingCsv.path())!, 'utf8');
      expect(existingText).toContain(`2,${PHONES[0]}`);
      expect(existingText).toContain(`5,${PHONES[1]}`);
      await expectTranslated(page, 'import-existing', l.lang, [/CSV/g]);
      await existing.scrollIntoViewIfNeeded();
      await page.getByTestId('import-wizard').screenshot({ path: path.join(SHOTS, `ui-left-import-existing-${l.lang}.png`) });
      await page.getByTestId('wizard-import').click();
      await expect(page.getByTestId('import-summary')).toBeVisible();
      await expect(page.getByTestId('import-existing').getByTestId('existing-row')).toHaveCount(2);
      await page.getByTestId('wizard-finish').click();

      // 3. After Done: the import's history still has its rejected row, and its CSV.
      await page.getByTestId('import-open').first().click();
      const history = page.getByTestId('import-history');
      await expect(history).toBeVisible();
      const entry = history.getByTestId('import-history-entry').first();
      await expect(entry).toHaveAttribute('data-rejected', '1');
      await entry.getByTestId('import-history-rejected').click();
      const rejected = entry.getByTestId('import-history-table').getByTestId('rejected-row');
      await expect(rejected).toHaveCount(1);
      await expect(rejected.locator('td').first()).toHaveText('3');
      await expect(rejected).toHaveAttribute('data-code', 'invalid_phone');
      const [download] = await Promise.all([page.waitForEvent('download'), entry.getByTestId('import-history-download').click()]);
      expect(download.suggestedFilename()).toBe('crm-rejected.csv');
      const text = fs.readFileSync((await download.path())!, 'utf8');
      expect(text).toMatch(/\r\n3,invalid_phone,/);
      await expectTranslated(page, 'import-history', l.lang, [/crm\.csv/g, /guests\.csv/g, /CSV/g]);
      await page.getByTestId('import-wizard').screenshot({ path: path.join(SHOTS, `ui-left-import-history-${l.lang}.png`) });
    } finally {
      await serve.stop();
    }
  });
}
