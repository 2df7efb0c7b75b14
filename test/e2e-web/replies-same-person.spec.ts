import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';
import { connectSandbox, importGuests } from './campaign-helpers';
import { REPO, callApi, startServe, tempDataDir, type RunningServe } from '../support/harness';

/*
 * Issue 13 §2 in English, Hebrew and Traditional Chinese, against `pacer serve` and its in-process
 * Sandbox (real signed webhooks): Dana is a phone contact AND, because she wrote with a username
 * (number withheld), a contact known only by her WhatsApp user id. The campaign reaches her number;
 * its status carries her user id, the two contacts merge, and her second row is skipped — the
 * reason shown translated. Eli is known only by user id: his reply (no number in the webhook) is in
 * the campaign's Replied list and in his conversation.
 */
const DANA = '+972500000031';
const ELI = '+972500000036';
const GUESTS = [DANA, '+972500000032', '+972500000033', '+972500000034', '+972500000035'];
const REPLY = { en: 'See you on Thursday', he: 'נתראה ביום חמישי', 'zh-TW': '星期四見' } as const;
const LANGS = [
  { lang: 'en', dir: 'ltr' },
  { lang: 'he', dir: 'rtl' },
  { lang: 'zh-TW', dir: 'ltr' },
] as const;

const skipText = (lang: string, reason: string) =>
  (
    JSON.parse(fs.readFileSync(path.join(REPO, 'renderer/i18n/locales', lang, 'campaigns.json'), 'utf8')) as {
      skip: Record<string, string>;
    }
  ).skip[reason]!;

async function admin(serve: RunningServe, route: string, body: unknown): Promise<Record<string, unknown>> {
  const status = await callApi<{ connection: { graphUrl: string } }>(serve, 'account:status', {});
  const r = await fetch(`${status.connection.graphUrl}/__admin/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(r.status, route).toBe(200);
  return (await r.json()) as Record<string, unknown>;
}

/** A user with a username writes: a contact known only by user id, opted in for utility. */
async function phonelessWriter(serve: RunningServe, phone: string, username: string): Promise<string> {
  const userId = (await admin(serve, 'users/username', { phone, username })).user_id as string;
  await admin(serve, 'inbound', { from: phone, kind: 'text', text: 'hello' });
  await expect
    .poll(async () => (await callApi<{ total: number }>(serve, 'contacts:query', { search: userId, limit: 5 })).total, { timeout: 30_000 })
    .toBe(1);
  await callApi(serve, 'contacts:opt-in', { contact: { userId }, category: 'utility', source: 'asked in chat' });
  return userId;
}

async function expectTranslated(page: Page, testid: string, lang: string, allow: RegExp[] = []) {
  if (lang === 'en') return;
  let text = await page.getByTestId(testid).innerText();
  for (const a of allow) text = text.replace(a, '');
  expect(text, `${testid} in ${lang}`).not.toMatch(/[A-Za-z]{2,}/);
}

for (const l of LANGS) {
  test(`one person, two contacts: sent once; a reply without a number is readable (${l.lang})`, async ({ page }) => {
    test.setTimeout(180_000);
    const dataDir = tempDataDir('pacer-e2e-same-person-');
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: l.lang }));
    importGuests(dataDir, GUESTS, 'utility', 'front desk');
    const serve = await startServe({ dataDir });
    try {
      await connectSandbox(page, serve);
      await expect(page.locator('html')).toHaveAttribute('dir', l.dir);
      // Statuses come quickly (the link must arrive while Dana's second row waits its turn at 1 msg/s).
      await admin(serve, 'delivery', { sent_delay_ms: [50, 100], delivered_delay_ms: [50, 100] });
      const danaUserId = await phonelessWriter(serve, DANA, 'dana.l');
      const eliUserId = await phonelessWriter(serve, ELI, 'eli.b');

      const { id } = await callApi<{ id: string }>(serve, 'campaigns:create', {
        name: 'Reminders',
        template: { name: 'appointment_reminder', language: 'en_US' },
        audience: 'all',
        params: { 1: 'first_name|"friend"', 2: '"Tel Aviv"', 3: '"May 12, 10:30"' },
        options: { rate: 1 },
      });
      await callApi(serve, 'campaigns:start', { id });
      await expect
        .poll(async () => (await callApi<{ state: string }>(serve, 'campaigns:get', { id })).state, { timeout: 60_000 })
        .toBe('completed');
      // Dana: one message; her row by user id skipped as the same person.
      const page1 = await callApi<{ rows: { phone: string | null; state: string; skip_reason: string | null }[] }>(
        serve,
        'campaigns:recipients',
        {
          id,
          limit: 50,
        },
      );
      expect(page1.rows.filter((r) => r.skip_reason === 'same_person').map((r) => r.phone)).toEqual([danaUserId]);
      expect(page1.rows.filter((r) => r.state !== 'skipped')).toHaveLength(GUESTS.length + 1);

      // Eli answers; the webhook carries only his user id.
      await admin(serve, 'inbound', { from: ELI, kind: 'text', text: REPLY[l.lang] });
      await expect
        .poll(async () => (await callApi<{ total: number }>(serve, 'campaigns:replies', { id })).total, { timeout: 30_000 })
        .toBe(1);

      await page.getByTestId('nav-campaigns').click();
      await page.getByTestId('campaign-row').first().click();
      const table = page.getByTestId('recipients');
      const skip = table.locator('[data-testid="recipient-skip"][data-reason="same_person"]');
      await expect(skip).toHaveText(skipText(l.lang, 'same_person'));
      if (l.lang !== 'en') expect(await skip.innerText()).not.toMatch(/[A-Za-z]{2,}/);
      await table.scrollIntoViewIfNeeded();
      await table.screenshot({ path: path.join(SHOTS, `same-person-skip-${l.lang}.png`) });

      await page.getByTestId('recipients-state').selectOption('__replied');
      await expect(page.getByTestId('reply-item')).toHaveCount(1);
      await expect(page.getByTestId('reply-item')).toContainText(REPLY[l.lang]);
      await expect(page.getByTestId('reply-item')).toContainText(eliUserId);
      await expectTranslated(page, 'replies-count', l.lang);
      await table.screenshot({ path: path.join(SHOTS, `same-person-replied-${l.lang}.png`) });

      // Eli's conversation: the campaign message, then his reply (and his first "hello").
      await page.getByTestId('nav-contacts').click();
      await page.locator(`[data-user-id="${eliUserId}"]`).click();
      const conv = page.getByTestId('drawer-conversation');
      await expect(conv.getByTestId('conversation-item')).toHaveCount(3);
      await expect(conv.getByTestId('conversation-item').first()).toHaveAttribute('data-direction', 'in');
      await expect(conv.getByTestId('conversation-item').first()).toContainText(REPLY[l.lang]);
      await expect(conv.getByTestId('conversation-item').nth(1)).toHaveAttribute('data-direction', 'out');
      await expectTranslated(page, 'drawer-conversation', l.lang, [/Reminders/g, new RegExp(REPLY.en), /hello/g]);
      await conv.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `same-person-conversation-${l.lang}.png`), fullPage: true });
    } finally {
      await serve.stop();
    }
  });
}
