import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';
import { connectSandbox, importGuests } from './campaign-helpers';
import { REPO, callApi, startServe, tempDataDir, type RunningServe } from '../support/harness';
import { RETARGET_STAGES } from '../../shared/contract/retarget';

/*
 * The everyday tools of issue 16, in English, Hebrew and Traditional Chinese, against `pacer serve`
 * with its in-process Sandbox: a campaign is sent, one guest writes back (a real signed webhook);
 * the reply is readable in the campaign (Replied filter, Reply column) and in the contact's
 * conversation; the funnel stages offer a follow-up campaign; the import wizard finds the phone
 * column from the data and proposes the country of the numbers.
 */
const PHONES = ['+972500000021', '+972500000022', '+972500000023'];
const REPLY = { en: 'Can we move it to Thursday?', he: 'אפשר להזיז ליום חמישי?', 'zh-TW': '可以改到星期四嗎？' } as const;
const LANGS = [
  { lang: 'en', dir: 'ltr' },
  { lang: 'he', dir: 'rtl' },
  { lang: 'zh-TW', dir: 'ltr' },
] as const;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

/** No English word on a translated screen (names and typed text excepted by the caller). */
async function expectTranslated(page: Page, testid: string, lang: string, allow: RegExp[] = []) {
  if (lang === 'en') return;
  let text = await page.getByTestId(testid).innerText();
  for (const a of allow) text = text.replace(a, '');
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
    .poll(
      async () => {
        const c = await callApi<{ state: string; counts: Record<string, number> }>(serve, 'campaigns:get', { id });
        return c.state === 'completed' && c.counts.delivered! + c.counts.read! === PHONES.length;
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  return id;
}

for (const l of LANGS) {
  test(`replies, retargeting and import guessing (${l.lang})`, async ({ page }) => {
    test.setTimeout(180_000);
    const dataDir = tempDataDir('pacer-e2e-ui-tools-');
    // The default country is the US: the file's +972 numbers propose Israel.
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: l.lang, defaultCountry: 'US' }));
    importGuests(dataDir, PHONES, 'utility', 'front desk');
    const serve = await startServe({ dataDir });
    try {
      await connectSandbox(page, serve);
      await expect(page.locator('html')).toHaveAttribute('dir', l.dir);
      const id = await sendCampaign(serve);
      const status = await callApi<{ connection: { graphUrl: string } }>(serve, 'account:status', {});
      const inbound = await fetch(`${status.connection.graphUrl}/__admin/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: PHONES[0], kind: 'text', text: REPLY[l.lang] }),
      });
      expect(inbound.status).toBe(200);
      await expect
        .poll(async () => (await callApi<{ total: number }>(serve, 'campaigns:replies', { id })).total, { timeout: 30_000 })
        .toBe(1);

      // Campaign detail: the funnel stages to retarget, with their counts.
      await page.getByTestId('nav-campaigns').click();
      await page.getByTestId('campaign-row').first().click();
      const card = page.getByTestId('retarget');
      await expect(card).toBeVisible();
      await expect(card.getByTestId('retarget-replied')).toHaveAttribute('data-count', '1');
      for (const s of RETARGET_STAGES) await expect(card.getByTestId(`retarget-${s}`)).toBeVisible();
      await expectTranslated(page, 'retarget', l.lang);
      for (const s of RETARGET_STAGES) expect(await card.innerText()).not.toContain(s);
      await card.screenshot({ path: path.join(SHOTS, `ui-tools-retarget-${l.lang}.png`) });

      // The reply in the recipient table, and the Replied filter.
      const table = page.getByTestId('recipients');
      await expect(table.getByTestId('recipient-row').getByTestId('reply-text')).toHaveText(REPLY[l.lang]);
      await page.getByTestId('recipients-state').selectOption('__replied');
      await expect(page.getByTestId('reply-item')).toHaveCount(1);
      await expect(page.getByTestId('reply-item')).toContainText(REPLY[l.lang]);
      await expect(page.getByTestId('reply-item')).toContainText(PHONES[0]!);
      await expect(page.getByTestId('reply-item')).toHaveAttribute('data-link', 'window');
      await expectTranslated(page, 'replies-count', l.lang);
      await table.scrollIntoViewIfNeeded();
      await table.screenshot({ path: path.join(SHOTS, `ui-tools-replied-filter-${l.lang}.png`) });
      await page.getByTestId('recipients-state').selectOption('');
      await expect(table.getByTestId('recipient-row')).toHaveCount(PHONES.length);
      await table.screenshot({ path: path.join(SHOTS, `ui-tools-reply-column-${l.lang}.png`) });

      // A follow-up for those who replied: a copy of the campaign, its audience the stage's tag, in the builder.
      await card.getByTestId('retarget-replied').getByTestId('retarget-campaign').click();
      await expect(page.getByTestId('campaign-builder')).toBeVisible();
      const audience = await callApi<{ id: string; audience: string; name: string }[]>(serve, 'campaigns:list', {});
      const follow = audience.find((c) => c.id !== id)!;
      expect(follow.audience).toMatch(/^tag:"/);
      await expect(page.getByTestId('builder-name')).toHaveValue(follow.name);
      const plan = await callApi<{ eligible: number }>(serve, 'campaigns:plan', { id: follow.id });
      expect(plan.eligible).toBe(1);
      await shot(page, `ui-tools-retarget-builder-${l.lang}`);

      // The campaign list with results: rates per campaign, sortable; the report file names people and the variables sent.
      await page.getByTestId('builder-back').click();
      await page.getByTestId('campaign-results-toggle').click();
      const results = page.getByTestId('campaign-results');
      const sent = results.locator(`[data-testid="results-row"][data-id="${id}"]`);
      await expect(sent.getByTestId('results-delivery')).toHaveText(new Intl.NumberFormat(l.lang, { style: 'percent' }).format(1));
      await expect(sent.getByTestId('results-reply')).toContainText(
        new Intl.NumberFormat(l.lang, { style: 'percent', maximumFractionDigits: 1 }).format(1 / 3),
      );
      await page.getByTestId('results-sort-name').click();
      await expect(results.getByTestId('results-row').first()).toHaveAttribute(
        'data-id',
        [{ id, name: 'Reminders' }, follow].sort((a, b) => a.name.localeCompare(b.name))[0]!.id,
      );
      await page.getByTestId('results-sort-name').click();
      await expect(results.getByTestId('results-row').first()).toHaveAttribute(
        'data-id',
        [{ id, name: 'Reminders' }, follow].sort((a, b) => b.name.localeCompare(a.name))[0]!.id,
      );
      // A cost in dollars is written the locale's way: zh-TW says "US$" (Intl's symbol, not an English word).
      await expectTranslated(page, 'campaign-results', l.lang, [/Reminders/g, /—/g, /US\$/g]);
      await results.screenshot({ path: path.join(SHOTS, `ui-tools-results-${l.lang}.png`) });
      const report = await callApi<{ content: string }>(serve, 'campaigns:export', { id, format: 'csv' });
      expect(report.content).toMatch(/^\uFEFFphone,name,param:1,param:2,param:3,/);
      expect(report.content).toContain(`${PHONES[0]},Guest0,Guest0,Tel Aviv,"May 12, 10:30"`);
      expect(report.content).toContain(REPLY[l.lang]);

      // The contact's conversation: the message Pacer sent, then the reply.
      await page.getByTestId('nav-contacts').click();
      await page.locator(`[data-phone="${PHONES[0]}"]`).click();
      const conv = page.getByTestId('drawer-conversation');
      await expect(conv.getByTestId('conversation-item')).toHaveCount(2);
      await expect(conv.getByTestId('conversation-item').first()).toHaveAttribute('data-direction', 'in');
      await expect(conv.getByTestId('conversation-item').first()).toContainText(REPLY[l.lang]);
      await expect(conv.getByTestId('conversation-item').nth(1)).toHaveAttribute('data-direction', 'out');
      await expectTranslated(page, 'drawer-conversation', l.lang, [/Reminders/g, new RegExp(REPLY.en)]);
      await conv.scrollIntoViewIfNeeded();
      await shot(page, `ui-tools-conversation-${l.lang}`);
      await page.getByTestId('drawer-close').click();

      // Import: no header names the phone column; the data does, and the numbers propose Israel.
      await page.getByTestId('import-open').first().click();
      await page.getByTestId('import-file-input').setInputFiles(path.join(REPO, 'test', 'fixtures', 'import-guess', 'no-header.csv'));
      await expect(page.getByTestId('wizard-step-preview')).toBeVisible();
      await page.getByTestId('wizard-next').click();
      await expect(page.getByTestId('wizard-step-mapping')).toBeVisible();
      await expect(page.getByTestId('map-2')).toHaveValue('phone');
      await expect(page.getByTestId('map-3')).toHaveValue('attr');
      await expect(page.getByTestId('phone-from-data')).toContainText('4');
      await expect(page.getByTestId('custom-columns')).toContainText('Lieblingsfarbe');
      await expectTranslated(page, 'phone-from-data', l.lang);
      await expectTranslated(page, 'custom-columns', l.lang, [/Lieblingsfarbe/g]);
      await shot(page, `ui-tools-import-mapping-${l.lang}`);
      await page.getByTestId('wizard-next').click();
      await expect(page.getByTestId('import-country')).toHaveValue('IL');
      await expect(page.getByTestId('import-country-proposed')).toHaveAttribute('data-country', 'IL');
      await expectTranslated(page, 'import-country-proposed', l.lang);
      await shot(page, `ui-tools-import-country-${l.lang}`);
    } finally {
      await serve.stop();
    }
  });
}
