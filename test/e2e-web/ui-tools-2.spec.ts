import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';
import { connectSandbox } from './campaign-helpers';
import { pacerCli, writeLargeCsv } from './contacts-helpers';
import { callApi, startServe, tempDataDir } from '../support/harness';

/*
 * Issue 16's everyday tools, second part, in English, Hebrew and Traditional Chinese against
 * `pacer serve` with its in-process Sandbox (TIER_2K: 1,800 recipients a day with the 10 % margin):
 * adding a contact by hand (a refused number explained, then accepted in national format with
 * consent), the searchable audience picker with many tags, a campaign over the 24-hour limit
 * explained with the choice of today's part, and the pace changed while it sends.
 */
const LANGS = [
  { lang: 'en', dir: 'ltr' },
  { lang: 'he', dir: 'rtl' },
  { lang: 'zh-TW', dir: 'ltr' },
] as const;
const N = 1900;

async function expectTranslated(page: Page, testid: string, lang: string, allow: RegExp[] = []) {
  if (lang === 'en') return;
  let text = await page.getByTestId(testid).innerText();
  for (const a of allow) text = text.replace(a, '');
  expect(text, `${testid} in ${lang}`).not.toMatch(/[A-Za-z]{2,}/);
}

for (const l of LANGS) {
  test(`add contact, audience search, over-limit choice and live pace (${l.lang})`, async ({ page }) => {
    test.setTimeout(240_000);
    const dataDir = tempDataDir('pacer-e2e-ui-tools2-');
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: l.lang, defaultCountry: 'IL' }));
    const csv = path.join(tempDataDir('pacer-csv-'), 'many.csv');
    writeLargeCsv(csv, N, 1000);
    pacerCli(dataDir, ['import', csv, '--consent', 'utility', '--consent-source', 'front desk']);
    const serve = await startServe({ dataDir });
    try {
      await connectSandbox(page, serve);
      await expect(page.locator('html')).toHaveAttribute('dir', l.dir);

      // Add a contact by hand: a number that is not valid says why and what a valid one looks like.
      await page.getByTestId('nav-contacts').click();
      await page.getByTestId('add-contact-open').click();
      const dialog = page.getByTestId('add-contact');
      await expect(page.getByTestId('add-save')).toBeDisabled();
      await page.getByTestId('add-phone').fill('+44 7700 900123');
      await page.getByTestId('add-consent').check();
      await expect(page.getByTestId('add-save')).toBeDisabled();
      await expectTranslated(page, 'add-why', l.lang);
      await page
        .getByTestId('add-source')
        .fill(l.lang === 'he' ? 'טופס נייר בחנות' : l.lang === 'zh-TW' ? '門市紙本表單' : 'Paper form at the shop');
      await page.getByTestId('add-save').click();
      await expect(page.getByTestId('add-error')).toContainText('+44 7400 123456');
      await expectTranslated(page, 'add-error', l.lang);
      await dialog.screenshot({ path: path.join(SHOTS, `ui-tools-add-contact-error-${l.lang}.png`) });
      await page.getByTestId('add-phone').fill('052-345 6789');
      await page.getByTestId('add-first').fill(l.lang === 'he' ? 'נועה' : l.lang === 'zh-TW' ? '美玲' : 'Noa');
      await page.getByTestId('add-tags').fill('vip, shop');
      await page.getByTestId('add-save').click();
      await expect(page.getByTestId('contact-drawer')).toBeVisible();
      await expect(page.getByTestId('contact-drawer')).toContainText('+972523456789');
      await expect(page.getByTestId('consent-history')).toContainText(
        l.lang === 'he' ? 'טופס נייר בחנות' : l.lang === 'zh-TW' ? '門市紙本表單' : 'Paper form at the shop',
      );
      await page.screenshot({ path: path.join(SHOTS, `ui-tools-add-contact-drawer-${l.lang}.png`) });
      await page.getByTestId('drawer-close').click();
      // The same number again: it is already a contact, and the form offers to open it.
      await page.getByTestId('add-contact-open').click();
      await page.getByTestId('add-phone').fill('+972 52 345 6789');
      await page.getByTestId('add-save').click();
      await expect(page.getByTestId('add-open-existing')).toBeVisible();
      await page.getByTestId('modal-close').click();

      // Many tags: the audience picker is searchable.
      for (let i = 0; i < 12; i++)
        await callApi(serve, 'contacts:add', { phone: `+97250900${String(i).padStart(4, '0')}`, tags: [`branch-${i}`] });
      await page.getByTestId('nav-campaigns').click();
      await page.getByTestId('new-campaign').click();
      await page.getByTestId('builder-name').fill('Reminders');
      const select = page.getByTestId('builder-template');
      await select.selectOption((await select.locator('option', { hasText: 'appointment_reminder · en_US' }).getAttribute('value'))!);
      await page.getByTestId('audience-build').click();
      await page.getByTestId('audience-include-search').fill('branch-7');
      await expect(page.getByTestId('audience-include').locator('.cmp-chip')).toHaveCount(1);
      await page.getByTestId('audience-include').locator('.cmp-chip').click();
      await page.getByTestId('audience-include-search').fill('');
      await expect(page.getByTestId('audience-preview')).toHaveText('tag:branch-7');
      await page.getByTestId('audience-include-search').fill('branch-1');
      // branch-1, branch-10, branch-11, and the chosen branch-7 stays visible.
      await expect(page.getByTestId('audience-include').locator('.cmp-chip')).toHaveCount(4);
      await page.getByTestId('audience-include').scrollIntoViewIfNeeded();
      await page.locator('.cmp-audience').screenshot({ path: path.join(SHOTS, `ui-tools-audience-search-${l.lang}.png`) });

      // Everyone: over the 24-hour limit — explained, with the choice.
      await page.getByTestId('audience-all').click();
      for (const key of ['1', '2', '3']) {
        const p = page.getByTestId(`param-${key}`);
        if (await p.getByTestId('param-source').count()) {
          await p.getByTestId('param-source').selectOption('literal');
          await p.getByTestId('param-literal').fill('x');
        }
      }
      const over = page.getByTestId('over-limit');
      await expect(over).toBeVisible({ timeout: 20_000 });
      const total = new Intl.NumberFormat(l.lang).format(N + 13);
      await expect(page.getByTestId('over-limit-summary')).toContainText(total);
      await expect(page.getByTestId('over-limit-summary')).toContainText(new Intl.NumberFormat(l.lang).format(1800));
      await expectTranslated(page, 'over-limit', l.lang);
      await page.getByTestId('over-limit-today').check();
      await over.scrollIntoViewIfNeeded();
      await page.getByTestId('plan-panel').screenshot({ path: path.join(SHOTS, `ui-tools-over-limit-${l.lang}.png`) });
      await page.getByTestId('builder-save').click();
      await expect
        .poll(async () => (await callApi<{ options: { today_only?: boolean } }[]>(serve, 'campaigns:list', {}))[0]?.options.today_only)
        .toBe(true);

      // The pace of a sending campaign changed live.
      const { id } = await callApi<{ id: string }>(serve, 'campaigns:create', {
        name: 'Slow',
        template: { name: 'appointment_reminder', language: 'en_US' },
        audience: 'all',
        params: { 1: '"friend"', 2: '"Tel Aviv"', 3: '"May 12"' },
        options: { rate: 1 },
      });
      await callApi(serve, 'campaigns:start', { id });
      await page.getByTestId('builder-back').click();
      await page.locator(`[data-testid="campaign-row"][data-id="${id}"]`).click();
      await expect(page.getByTestId('pace')).toBeVisible();
      await page.getByTestId('pace-rate').fill('50');
      await page.getByTestId('pace-apply').click();
      await expect.poll(async () => (await callApi<{ options: { rate: number } }>(serve, 'campaigns:get', { id })).options.rate).toBe(50);
      await expectTranslated(page, 'pace', l.lang);
      await page.getByTestId('pace').screenshot({ path: path.join(SHOTS, `ui-tools-pace-${l.lang}.png`) });
    } finally {
      await serve.stop();
    }
  });
}
