import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';

/**
 * Issue 13 §1-2 on screen, in English, Hebrew and Chinese: the Marketing Messages API terms on the
 * Account page (unknown, then accepted once Meta's MM_LITE_TERMS_SIGNED webhook arrives), Meta's
 * impending template-category change as a warning on the template and in the campaign builder,
 * and a person known only by a business-scoped user id (username, no phone) in Contacts.
 */
const LANGS = [
  {
    lang: 'en',
    dir: 'ltr',
    accepted: 'Terms accepted',
    unknown: 'Not known yet',
    notice: 'from Marketing to Utility',
    optedOut: 'Opted out',
    noPhone: 'No phone',
    noPhoneLong: 'no phone number — reachable by WhatsApp user id',
  },
  {
    lang: 'he',
    dir: 'rtl',
    accepted: 'התנאים אושרו',
    unknown: 'עדיין לא ידוע',
    notice: 'משיווק לשירות',
    optedOut: 'הסיר הסכמה', // the drawer's consent badge
    noPhone: 'אין טלפון',
    noPhoneLong: 'אין מספר טלפון — ניתן להגיע דרך מזהה המשתמש בוואטסאפ',
  },
  {
    lang: 'zh-TW',
    dir: 'ltr',
    accepted: '已接受條款',
    unknown: '尚不清楚',
    notice: '從行銷改為工具',
    optedOut: '已退訂',
    noPhone: '無電話',
    noPhoneLong: '沒有電話號碼 — 可透過 WhatsApp 使用者 ID 聯絡',
  },
] as const;

async function admin(base: string, p: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${base}/__admin/${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(r.ok, `${p}: ${r.status}`).toBe(true);
  return (await r.json()) as Record<string, unknown>;
}

for (const l of LANGS) {
  test.describe(`marketing messages and BSUIDs in ${l.lang}`, () => {
    test.use({ settings: { language: l.lang } });

    test('MM terms on the account page, an impending category warning, a BSUID-only person in Contacts', async ({ page, serve }) => {
      await page.goto(serve.url);
      await expect(page.locator('html')).toHaveAttribute('dir', l.dir);
      await page.getByTestId('nav-account').click();
      await page.getByTestId('use-sandbox').click();
      await expect(page.getByTestId('phone-numbers')).toBeVisible();
      const sandbox = (await page.getByTestId('graph-url').textContent())!.trim();

      // 1. Terms: not known until Meta says; the how-to and the strict switch are shown.
      const card = page.getByTestId('mm-terms-card');
      await expect(card).toBeVisible();
      await expect(page.getByTestId('mm-terms-state')).toHaveAttribute('data-state', 'unknown');
      await expect(page.getByTestId('mm-terms-state')).toHaveText(l.unknown);
      await expect(page.getByTestId('mm-terms-howto')).toBeVisible();
      await expect(page.getByTestId('mm-strict')).not.toBeChecked();
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `mm-terms-unknown-${l.lang}.png`) });
      await admin(sandbox, 'marketing/terms', { accepted: true });
      await expect(page.getByTestId('mm-terms-state')).toHaveAttribute('data-state', 'accepted', { timeout: 15_000 });
      await expect(page.getByTestId('mm-terms-state')).toHaveText(l.accepted);
      await expect(page.getByTestId('mm-terms-howto')).toHaveCount(0);
      await page.getByTestId('mm-strict').click();
      await expect(page.getByTestId('mm-strict')).toBeChecked({ timeout: 10_000 });
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `mm-terms-accepted-${l.lang}.png`) });

      // 2. Meta announces spring_sale (en_US) becomes UTILITY: a warning, the category stays.
      await admin(sandbox, 'marketing/category-notice', { name: 'spring_sale', language: 'en_US', category: 'UTILITY', in_ms: 86_400_000 });
      await page.getByTestId('nav-templates').click();
      await expect(page.getByTestId('category-notices')).toBeVisible({ timeout: 15_000 });
      await expect(page.getByTestId('category-notices')).toContainText(l.notice);
      await page.getByTestId('template-row-spring_sale-en_US').click();
      await expect(page.getByTestId('template-drawer').getByTestId('category-notice')).toContainText(l.notice);
      await page.screenshot({ path: path.join(SHOTS, `mm-category-notice-template-${l.lang}.png`) });
      await page.getByTestId('drawer-close').click();

      await page.getByTestId('nav-campaigns').click();
      await page.getByTestId('new-campaign').click();
      const select = page.getByTestId('builder-template');
      const value = await select.locator('option', { hasText: 'spring_sale · en_US' }).getAttribute('value');
      await select.selectOption(value!);
      await expect(page.getByTestId('campaign-builder').getByTestId('category-notice')).toContainText(l.notice);
      await page.screenshot({ path: path.join(SHOTS, `mm-category-notice-builder-${l.lang}.png`) });

      // 3. A user with a username stops marketing; the webhook carries no phone.
      await admin(sandbox, 'users/username', { phone: '+972541239999', username: 'noa.levi' });
      await admin(sandbox, 'user-preferences', { wa_id: '+972541239999', value: 'stop' });
      await page.getByTestId('nav-contacts').click();
      // Since migration 0017 the person is a contact without a phone, in the list like anyone else.
      const row = page.locator('[data-testid="contact-row"][data-user-id]');
      await expect(row).toHaveCount(1, { timeout: 15_000 });
      await expect(row.getByTestId('row-no-phone')).toHaveText(l.noPhone);
      await expect(row).toContainText('User 9999'); // their WhatsApp profile name
      await expect(row).not.toContainText('972541239999');
      await expect(page.getByTestId('bsuid-only')).toHaveCount(0); // nobody waits outside Contacts any more
      await page.screenshot({ path: path.join(SHOTS, `bsuid-contact-row-${l.lang}.png`) });
      await row.click();
      const drawer = page.getByTestId('contact-drawer');
      await expect(drawer.getByTestId('drawer-no-phone')).toHaveText(l.noPhoneLong);
      await expect(drawer.getByTestId('drawer-username')).toHaveText('@noa.levi');
      await expect(drawer).toContainText(l.optedOut);
      await expect(drawer).not.toContainText('972541239999');
      await page.screenshot({ path: path.join(SHOTS, `bsuid-contact-drawer-${l.lang}.png`) });
      // Consent is recorded for them like for anyone (by contact id; the CLI also takes the user id).
      await drawer.getByTestId('opt-in-utility').click();
      await page.getByTestId('opt-in-source').fill('Asked in the chat');
      await page.getByTestId('opt-in-ok').click();
      await expect(drawer.getByTestId('drawer-consent-utility').getByTestId('consent-utility')).toHaveAttribute('data-state', 'opted_in');
      await expect(drawer.locator('[data-testid="consent-event"][data-category="utility"][data-state="opted_in"]')).toHaveCount(1);
    });
  });
}
