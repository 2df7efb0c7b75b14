import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';

// The template editor against the built-in Sandbox, which reviews a submitted template after 5 s
// (sandbox/template-submissions.ts: a name starting with reject_ is REJECTED, INVALID_FORMAT).
const LANGS = [
  {
    lang: 'en',
    exampleMissing: 'Give an example value for {{1}}.',
    inReview: 'In review',
    active: 'Active',
    rejected: 'Invalid format',
    submitted: 'was sent to Meta for review',
  },
  {
    lang: 'he',
    exampleMissing: 'תנו ערך לדוגמה עבור {{1}}.',
    inReview: 'בבדיקה',
    active: 'פעילה',
    rejected: 'פורמט לא תקין',
    submitted: 'נשלחה לבדיקה של Meta',
  },
  {
    lang: 'zh-TW',
    exampleMissing: '請為 {{1}} 提供範例值。',
    inReview: '審核中',
    active: '使用中',
    rejected: '格式無效',
    submitted: '送交 Meta 審核',
  },
] as const;

async function openEditor(page: Page, url: string) {
  await page.goto(url);
  await page.getByTestId('nav-account').click();
  await page.getByTestId('use-sandbox').click();
  await expect(page.getByTestId('phone-numbers')).toBeVisible();
  await page.getByTestId('nav-templates').click();
  await page.getByTestId('template-new').click();
  await expect(page.getByTestId('template-editor')).toBeVisible();
}

for (const l of LANGS) {
  test.describe(`template editor in ${l.lang}`, () => {
    test.use({ settings: { language: l.lang } });

    test("write, see Meta's rules as you type, preview right-to-left, submit, and watch it get approved", async ({ page, serve }) => {
      await openEditor(page, serve.url);
      const name = `club_offer_${l.lang.replace('-', '_').toLowerCase()}`;
      await page.getByTestId('editor-name').fill(name);
      await page.getByTestId('editor-language').selectOption('he');
      await page.getByTestId('editor-body').fill('שלום ');
      await page.getByTestId('editor-add-variable').click();
      await page.getByTestId('editor-body').press('End');
      await page.getByTestId('editor-body').pressSequentially(', מבצע החורף שלנו כאן.');
      await page.getByTestId('editor-submit').click();
      // Nothing went out: the problem is shown next to the field, in the UI language.
      await expect(page.getByTestId('editor-issues').first()).toContainText(l.exampleMissing);
      await expect(page.getByTestId('editor-submit')).toBeDisabled();
      await page.getByTestId('editor-example-1').fill('דנה');
      await expect(page.getByTestId('editor-issues')).toHaveCount(0);
      // The bubble reads right-to-left (a Hebrew template), with the example filled in.
      await expect(page.getByTestId('template-bubble')).toHaveAttribute('dir', 'rtl');
      await expect(page.getByTestId('bubble-body')).toHaveText('שלום דנה, מבצע החורף שלנו כאן.');
      await page.getByTestId('editor-add-opt-out').click();
      await page.getByTestId('editor-add-url').click();
      await page.getByTestId('editor-button-1-text').fill('לחנות');
      await page.getByTestId('editor-button-1-url').fill('https://shop.example.com/winter');
      await page.screenshot({ path: path.join(SHOTS, `template-editor-${l.lang}.png`) });

      await page.getByTestId('editor-submit').click();
      await expect(page.getByTestId('template-editor')).toHaveCount(0);
      await expect(page.locator('.toasts')).toContainText(l.submitted);
      const drawer = page.getByTestId('template-drawer');
      await expect(drawer.getByTestId('template-status')).toHaveText(l.inReview);
      // Meta's review arrives by webhook: no sync, no reload.
      await expect(drawer.getByTestId('template-status')).toHaveText(l.active, { timeout: 20_000 });
      await page.screenshot({ path: path.join(SHOTS, `template-editor-approved-${l.lang}.png`) });
    });
  });
}

test("a rejected template shows Meta's reason; edit and resubmit sends it back to review; duplicate and delete", async ({
  page,
  serve,
}) => {
  await openEditor(page, serve.url);
  await page.getByTestId('editor-name').fill('reject_spring_note');
  await page.getByTestId('editor-category-UTILITY').check();
  await page.getByTestId('editor-body').fill('Your booking {{1}} is confirmed for tomorrow.');
  await page.getByTestId('editor-example-1').fill('B-204');
  await page.getByTestId('editor-submit').click();
  const drawer = page.getByTestId('template-drawer');
  await expect(drawer.getByTestId('template-status')).toHaveText('Rejected', { timeout: 20_000 });
  await expect(drawer.getByTestId('drawer-reason')).toContainText('Invalid format');

  await drawer.getByTestId('template-edit').click();
  await expect(page.getByTestId('editor-name')).toBeDisabled();
  await expect(page.getByTestId('editor-body')).toHaveValue('Your booking {{1}} is confirmed for tomorrow.');
  await expect(page.getByTestId('editor-example-1')).toHaveValue('B-204');
  await page.getByTestId('editor-body').fill('Your booking {{1}} is confirmed for tomorrow at noon.');
  await page.getByTestId('editor-submit').click();
  await expect(drawer.getByTestId('template-status')).toHaveText('In review');

  // Duplicate into Hebrew: same name, another language, a new template.
  await drawer.getByTestId('template-duplicate').click();
  await page.getByTestId('editor-language').selectOption('he');
  await page.getByTestId('editor-body').fill('ההזמנה {{1}} שלך אושרה למחר בצהריים.');
  await page.getByTestId('editor-submit').click();
  await expect(page.getByTestId('template-row-reject_spring_note-he')).toBeVisible();

  // Delete asks in the app's own words first (no browser dialog).
  page.on('dialog', () => {
    throw new Error('a browser dialog was opened');
  });
  await page.getByTestId('template-drawer').getByTestId('template-delete').click();
  await expect(page.getByTestId('template-delete-confirm')).toBeVisible();
  await page.getByTestId('template-delete-yes').click();
  await expect(page.getByTestId('template-row-reject_spring_note-he')).toHaveCount(0);
  await expect(page.getByTestId('template-row-reject_spring_note-en_US')).toBeVisible();
});
